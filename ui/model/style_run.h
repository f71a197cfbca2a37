#pragma once
// Style transfers for the window's worker and prints: the core's PreparedStyle
// (core/render/style_transfer.h) with its progress told as a dream's (a stage as an octave, an
// iteration as a step), so the controller, the status bar, the explorer and the print dialog
// follow a style transfer as they follow a dream. renderStep() is one step of a chain: a dream
// or a style transfer, by params.mode.
//
// Threading: as the core's: any thread, one call per Network at a time.

#include <opencv2/core.hpp>

#include "core/engine/network.h"
#include "core/params/cancel_token.h"
#include "core/params/dream_params.h"
#include "core/render/dreamer.h"

namespace inceptionist::ui {

// Paints `source` with the style transfer of `params` (mode "style") at params.workingSize, or,
// with `printSize` above it, coarse to fine up to that long side. Previews follow
// callbacks.previewIntervalSeconds. Throws as PreparedStyle does.
cv::Mat paintStyle(const Network& network, const cv::Mat& source, const DreamParams& params,
                   const DreamCallbacks& callbacks = {}, const CancelToken& cancel = {},
                   int printSize = 0);

// A dream or a style transfer of `source`, as params.mode says; printSize as paintStyle (a
// dream's print size is in its params: core/render/print_plan.h).
cv::Mat renderStep(const Network& network, const cv::Mat& source, const DreamParams& params,
                   const DreamCallbacks& callbacks = {}, const CancelToken& cancel = {},
                   int printSize = 0);

// Fraction of the work done at `p`: a dream's by its octaves' pixels, a style transfer's by
// iterations (its stages cost about the same: fewer iterations where the picture is larger).
double progressFraction(const DreamProgress& p, const DreamParams& params);

// A style transfer's work relative to a dream's megapixel steps (core/render/print_plan.h), for
// the share of a print's time: an iteration costs about two dream steps (the Gram terms, the
// line search's second evaluation on occasion).
double styleMegapixelSteps(const DreamParams& params, int width, int height, int printSize = 0);

}  // namespace inceptionist::ui
