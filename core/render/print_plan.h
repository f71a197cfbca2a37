#pragma once
// Planning a print: the parameters that render a dream chosen at the live working size at print
// size, and what that will cost.

#include <vector>

#include "core/params/dream_params.h"

namespace inceptionist {

// `live` rendered with `longSide` pixels on the long side. The octave spacing stays; octaves are
// added below until the smallest octave is about the size the live dream started from, so the
// large structures match the preview and the last octaves add detail at full resolution rather
// than enlarging a small dream.
DreamParams printParams(const DreamParams& live, int longSide);

// How a print treats the dream approved on screen.
enum class PrintLook {
    // The dreams as they were on screen, at their working size, then one pass at print size that
    // adds detail gently (kScreenLookDetail of the step size over the octaves between the two
    // sizes): the print looks like the screen, only sharper.
    Screen,
    // Every dream rendered again up to print size (printParams): new, small detail at full
    // resolution, as the classic DeepDream prints.
    AddDetail,
};
constexpr double kScreenLookDetail = 0.3;

// The pass that brings a dream made at `live.workingSize` to `longSide` in the Screen look.
DreamParams detailPass(const DreamParams& live, int longSide);

// The dreams that render a chain (kept dreams, oldest first, then the current one) at `longSide`
// in `look`, in order; each runs on the result of the one before.
std::vector<DreamParams> printPlan(const std::vector<DreamParams>& kept, const DreamParams& current,
                                   int longSide, PrintLook look);

struct PrintEstimate {
    double seconds = 0;    // with the given speed
    double peakBytes = 0;  // resident memory of a process that loads the model and renders
    double megapixelSteps = 0;
};

// `secondsPerMegapixelStep`: measured speed of ascent steps (seconds per step per megapixel).
PrintEstimate estimatePrint(const DreamParams& print, int width, int height,
                            double secondsPerMegapixelStep);

// The memory a print may use: the machine's physical memory, or a control group's limit where
// that is lower; $INCEPTIONIST_MEMORY_BYTES says otherwise (tests, or to leave room for others).
double machineMemoryBytes();

// Throws Error(Parameter) when rendering `print` at `width` x `height` would need more memory
// than machineMemoryBytes(), saying how much it needs and how much there is, before anything
// is rendered.
void refusePrintBeyondMemory(const DreamParams& print, int width, int height);

// Speed of an ascent step on this kind of machine when nothing better is known (InceptionV3 to
// mixed4 on two cores); the window refines it from the dreams it has run.
constexpr double kDefaultSecondsPerMegapixelStep = 0.7;

}  // namespace inceptionist
