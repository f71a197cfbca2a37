#pragma once
// The DeepDream algorithm: an octave pyramid with detail re-injection and, at each octave,
// gradient ascent on the pixels to excite chosen layers of a network.
//
// Threading: a Dreamer holds no state between calls; dream() may run on any thread, one call
// per Network at a time. Callbacks run on the calling thread. Cancellation is honoured before
// every ascent step.

#include <atomic>
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
    int rollX = 0,
        rollY = 0;  // the current step's random shift: tile edges lie at the shifted grid
};

struct DreamCallbacks {
    std::function<void(const DreamProgress&)> progress;  // after every step
    std::function<void(const DreamProgress&)>
        tileDone;  // after every tile, when a step has several
    // After every step, with the current image (CV_32FC3 RGB, at the octave's size). Leave empty
    // to save the copy.
    std::function<void(const cv::Mat&, const DreamProgress&)> preview;
    // Least time between two previews; the last step of each octave always gets one. Saves the
    // image copies a screen could not show anyway.
    double previewIntervalSeconds = 0.0;
};

// Dreams `source` (CV_32FC3 RGB in [0, 1]; ignored, apart from its aspect ratio, when
// params.startFromNoise) with `network`. Images larger than params.tileSize have each step's
// gradient computed tile by tile, on a grid that moves with the random shift, so memory stays
// bounded and no seams form; an image that fits one tile gets exactly the untiled result. Returns
// the dream at params.workingSize on the long side. Throws Error(Parameter) for unknown layers or
// channels, an image too small for the layers, Error(Input) for an unreadable guide image,
// Error(Cancelled) when cancelled.
cv::Mat dream(const Network& network, const cv::Mat& source, const DreamParams& params,
              const DreamCallbacks& callbacks = {}, const CancelToken& cancel = {});

// Fraction of a dream's work done at `p`, each step weighted by its octave's pixels and the
// current step counted by its finished tiles.
double workFraction(const DreamProgress& p, double octaveScale);

// The dream's starting picture: the source at working size (the source itself when it already
// has that size), or seeded noise of that shape.
cv::Mat dreamStart(const cv::Mat& source, const DreamParams& params);

}  // namespace inceptionist
