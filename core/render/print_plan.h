#pragma once
// Planning a print: the parameters that render a dream chosen at the live working size at print
// size, and what that will cost.

#include "core/params/dream_params.h"

namespace inceptionist {

// `live` rendered with `longSide` pixels on the long side. The octave spacing stays; octaves are
// added below until the smallest octave is about the size the live dream started from, so the
// large structures match the preview and the last octaves add detail at full resolution rather
// than enlarging a small dream.
DreamParams printParams(const DreamParams& live, int longSide);

struct PrintEstimate {
    double seconds = 0;    // with the given speed
    double peakBytes = 0;  // resident memory of a process that loads the model and renders
    double megapixelSteps = 0;
};

// `secondsPerMegapixelStep`: measured speed of ascent steps (seconds per step per megapixel).
PrintEstimate estimatePrint(const DreamParams& print, int width, int height,
                            double secondsPerMegapixelStep);

// Speed of an ascent step on this kind of machine when nothing better is known (InceptionV3 to
// mixed4 on two cores); the window refines it from the dreams it has run.
constexpr double kDefaultSecondsPerMegapixelStep = 0.7;

}  // namespace inceptionist
