#pragma once
// The DeepDream algorithm: an octave pyramid with detail re-injection and, at each octave, steps
// that move the pixels along the gradient of an objective. What is optimised is an Objective
// (core/render/objective.h), how the pixels move a StepRule (core/render/step_rule.h), and the
// gradient of a large image is formed tile by tile (core/render/tiled_gradient.cpp).
//
// Threading: dream() and PreparedDream::run() may run on any thread, one call per Network at a
// time. Callbacks run on the calling thread. Cancellation is honoured before every tile.

#include <functional>
#include <memory>

#include <opencv2/core.hpp>

#include "core/engine/network.h"
#include "core/params/cancel_token.h"
#include "core/params/dream_params.h"

namespace inceptionist {

struct DreamProgress {
    int octave = 0;   // 0-based, the smallest octave first
    int octaves = 0;  // octaves actually run (those too small for the network are skipped)
    int step = 0;     // steps done in this octave
    int steps = 0;
    int stepsDone = 0;  // over the whole dream
    int stepsTotal = 0;
    double loss = 0.0;          // objective value at the last step
    int width = 0, height = 0;  // size of the current octave
    int tile = 0, tiles = 1;    // tiles of the current step done (0 between steps), and in all
    int rollX = 0, rollY = 0;   // the current step's random shift of the image (the jitter)
    // Where the tile grid starts over the shifted image this step: random and independent of
    // the jitter, so tile edges never stay in one place (0 when one tile covers the image). In
    // image coordinates the tile edges lie at the grid's lines + gridX - rollX (wrapping).
    int gridX = 0, gridY = 0;
};

struct DreamCallbacks {
    std::function<void(const DreamProgress&)> progress;  // after every step
    std::function<void(const DreamProgress&)>
        tileDone;  // after every tile, when a step has several
    // After every step, with the current image (CV_32FC3 RGB). A dream's is at its full size:
    // the detail grown so far over the sharp starting image; a style transfer's coarse stage
    // sends its own smaller size. Leave empty to save the copy.
    std::function<void(const cv::Mat&, const DreamProgress&)> preview;
    // Least time between two previews; the last step of each octave always gets one. Saves the
    // image copies a screen could not show anyway.
    double previewIntervalSeconds = 0.0;
};

class Objective;
class StepRule;
using StepRuleFactory = std::function<std::unique_ptr<StepRule>()>;

// A dream set up once for one network and one set of parameters: the objective resolved (layers,
// channels, guide features read and computed), the minimum input size known. It can then dream
// any number of images (the frames of a sequence, the tiles and octaves of a print) without
// doing that again. Read-only once built: run() may be called again, one call per Network at a
// time.
class PreparedDream {
public:
    // The dream objective of `params` (core/render/objective.h, dreamObjective). Throws
    // Error(Parameter) for parameters out of range or unknown layers or channels, Error(Input)
    // for an unreadable guide image, Error(Cancelled) when cancelled while reading the guide.
    PreparedDream(const Network& network, const DreamParams& params,
                  const CancelToken& cancel = {});
    // An objective of the caller's own, with the pyramid, tiling and step rule of `params`.
    PreparedDream(const Network& network, const DreamParams& params,
                  std::shared_ptr<const Objective> objective, const CancelToken& cancel = {});
    ~PreparedDream();

    // How the pixels move each step (core/render/step_rule.h); normalised ascent with
    // params.stepSize unless set. The factory makes a fresh rule for each octave.
    void setStepRule(StepRuleFactory factory);

    const DreamParams& params() const;
    // Smallest side, in pixels, that reaches every layer the objective reads.
    int minimumSize() const;

    // Dreams `source` (CV_32FC3 RGB in [0, 1]; ignored, apart from its aspect ratio, when
    // params.startFromNoise). Images larger than params.tileSize have each step's gradient
    // computed tile by tile, on a grid that moves with the random shift, so memory stays bounded
    // and no seams form; an image that fits one tile gets exactly the untiled result. Returns the
    // dream at params.workingSize on the long side. Throws Error(Parameter) for an image too
    // small for the layers, Error(Cancelled) when cancelled.
    cv::Mat run(const cv::Mat& source, const DreamCallbacks& callbacks = {},
                const CancelToken& cancel = {}) const;

    // Gradient of the objective with respect to the pixels of `rgb` (CV_32FC3 RGB in [0, 1]) at
    // its own size, in one piece: for saliency maps and for checking the engine's kernels.
    cv::Mat gradient(const cv::Mat& rgb) const;

private:
    struct State;
    std::shared_ptr<State> state_;
};

// Dreams `source` with `network`: PreparedDream(network, params, cancel).run(...).
cv::Mat dream(const Network& network, const cv::Mat& source, const DreamParams& params,
              const DreamCallbacks& callbacks = {}, const CancelToken& cancel = {});

// Fraction of a dream's work done at `p`, each step weighted by its octave's pixels and the
// current step counted by its finished tiles.
double workFraction(const DreamProgress& p, double octaveScale);

// `dream` mixed with the picture it started from: `blend` of the dream (DreamParams::blend).
cv::Mat blended(const cv::Mat& dream, const cv::Mat& start, double blend);

// The dream's starting picture: the source at working size (the source itself when it already
// has that size), or seeded noise of that shape.
cv::Mat dreamStart(const cv::Mat& source, const DreamParams& params);

}  // namespace inceptionist
