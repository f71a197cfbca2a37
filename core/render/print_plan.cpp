#include "core/render/print_plan.h"

#include <algorithm>
#include <cmath>

namespace inceptionist {

namespace {
constexpr int kMaxOctaves = 16;                   // as DreamParams::validate allows
constexpr double kBaseBytes = 900.0 * (1 << 20);  // libtorch, the model and one tile's activations
constexpr double kBytesPerPixel = 60.0;  // source, image, gradient (float RGB) and the output
}  // namespace

DreamParams printParams(const DreamParams& live, int longSide) {
    DreamParams p = live;
    const double growth = static_cast<double>(longSide) / live.workingSize;
    const int extra =
        growth > 1 ? static_cast<int>(std::lround(std::log(growth) / std::log(live.octaveScale)))
                   : 0;
    p.octaves = std::clamp(live.octaves + extra, 1, kMaxOctaves);
    p.workingSize = longSide;
    return p;
}

PrintEstimate estimatePrint(const DreamParams& p, int width, int height,
                            double secondsPerMegapixelStep) {
    PrintEstimate e;
    const double megapixels = static_cast<double>(width) * height / 1e6;
    for (int o = 0; o < p.octaves; ++o)
        e.megapixelSteps += megapixels * std::pow(p.octaveScale, -2.0 * o) * p.steps;
    e.seconds = e.megapixelSteps * secondsPerMegapixelStep;
    e.peakBytes = kBaseBytes + kBytesPerPixel * width * height;
    return e;
}

}  // namespace inceptionist
