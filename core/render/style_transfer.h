#pragma once
// Style transfer: a photo painted in the manner of one or more paintings (Gatys, Ecker and
// Bethge 2015) on the engine's network. The picture is optimised with L-BFGS so that the Gram
// matrices of its features at several style layers match the paintings' (blended by weight)
// while its features at a content layer stay close to the photo's; optionally smooth (total
// variation). The picture is parameterised in a decorrelated Fourier basis, and grows coarse to
// fine: optimised small, enlarged, refined. Large pictures are evaluated tile by tile, the Gram
// statistics summed over tiles exactly (core/render/objective.h).
//
// Threading: run() may run on any thread, one call per Network at a time. Callbacks run on the
// calling thread. Cancellation is honoured before every tile and between iterations.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/engine/network.h"
#include "core/params/cancel_token.h"
#include "core/params/dream_params.h"

namespace inceptionist {

struct StyleProgress {
    int stage = 0;  // 0-based, the smallest first
    int stages = 0;
    int iteration = 0;  // iterations done in this stage
    int iterations = 0;
    int iterationsDone = 0;  // over the whole transfer
    int iterationsTotal = 0;
    double loss = 0.0;  // weighted loss before the last iteration
    int width = 0, height = 0;
    int tile = 0, tiles = 1;
};

struct StyleCallbacks {
    std::function<void(const StyleProgress&)> progress;  // after every iteration
    // After every iteration (at most every previewIntervalSeconds, and at the end of each
    // stage), with the picture as it would be returned now (CV_32FC3 RGB, the stage's size).
    std::function<void(const cv::Mat&, const StyleProgress&)> preview;
    double previewIntervalSeconds = 0.0;
    std::function<void(const StyleProgress&)> tileDone;  // after every tile, when several
};

// A stage of the coarse-to-fine schedule: the picture's long side and its iterations.
struct StyleStage {
    int longSide = 0;
    int iterations = 0;
};
// The schedule for a picture `workingSize` px on the long side: two thirds of the iterations
// at two thirds of the size, then the rest at full size (one stage below 300 px); with
// `printSize` above it, further stages doubling up to the print's size.
std::vector<StyleStage> styleStages(int workingSize, int iterations, int printSize = 0);

// Stages of more pixels than this run lean (StyleMemoryPlan).
constexpr long long kStyleLeanAbovePixels = 2'000'000;

// How a transfer bounds its memory on large pictures. A stage of more than `leanAbovePixels`
// pixels optimises the pixels themselves with Adam, its moments in bfloat16
// (core/render/lean_adam.h), rather than the Fourier parameters with L-BFGS, whose spectra,
// autograd graph and curvature history each take the picture's size again; it keeps the
// photo's features at the content layer in half precision. Stages at or below it are as before.
struct StyleMemoryPlan {
    long long leanAbovePixels = kStyleLeanAbovePixels;
    double leanRate = 0.01;  // Adam's step in pixel units (of [0, 1])
};

// How far a picture is from the style and from the photo, with the transfer's own measures:
// `style` the mean relative Gram distance over the style layers (to the paintings' blend),
// `content` the relative squared feature distance at the content layer.
struct StyleFigures {
    double style = 0, content = 0;
};

// A style transfer set up for one network and one set of parameters: the paintings read, the
// layers resolved. Read-only once built.
class PreparedStyle {
public:
    // Throws Error(Parameter) for parameters out of range, no style image or unknown layers,
    // Error(Input) naming the file for a style image that cannot be read.
    PreparedStyle(const Network& network, const DreamParams& params);
    ~PreparedStyle();

    const DreamParams& params() const;
    const std::vector<std::string>& styleLayers() const;
    const std::string& contentLayer() const;

    // Paints `content` (CV_32FC3 RGB in [0, 1]) at params.workingSize on the long side, or with
    // `printSize` > 0 goes on coarse to fine to that size. Throws Error(Cancelled) when
    // cancelled, Error(Parameter) for a picture too small for the layers.
    cv::Mat run(const cv::Mat& content, const StyleCallbacks& callbacks = {},
                const CancelToken& cancel = {}, int printSize = 0,
                const StyleMemoryPlan& plan = {}) const;

    // The resident memory run() will need at most for `content` (its size) and `printSize`,
    // in bytes: the process with the model loaded, the photo, and the largest stage's
    // buffers. Reckoned like a dream print's (core/render/print_plan.h).
    double peakBytes(cv::Size content, int printSize = 0, const StyleMemoryPlan& plan = {}) const;

    // The figures of `image` against `content` (brought to `image`'s size) and the paintings
    // prepared for that size, as the transfer's last stage sees them.
    StyleFigures figures(const cv::Mat& image, const cv::Mat& content) const;

private:
    struct State;
    std::shared_ptr<State> state_;
};

// Throws Error(Parameter) when style.peakBytes(content, printSize) is more than the machine's
// memory (machineMemoryBytes(), core/render/print_plan.h), saying how much each is.
void refuseStyleBeyondMemory(const PreparedStyle& style, cv::Size content, int printSize);

// PreparedStyle(network, params).run(content, callbacks, cancel, printSize).
cv::Mat styleTransfer(const Network& network, const cv::Mat& content, const DreamParams& params,
                      const StyleCallbacks& callbacks = {}, const CancelToken& cancel = {},
                      int printSize = 0);

}  // namespace inceptionist
