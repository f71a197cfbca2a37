#include "core/render/print_plan.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <unistd.h>

#include "core/params/errors.h"

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

DreamParams detailPass(const DreamParams& live, int longSide) {
    DreamParams p = printParams(live, longSide);
    // From about the live size up: the structures of the approved dream stay as they are.
    p.octaves = std::clamp(p.octaves - live.octaves + 1, 1, kMaxOctaves);
    p.stepSize = live.stepSize * kScreenLookDetail;
    p.startFromNoise = false;  // it works on the dream, whatever the dream started from
    return p;
}

std::vector<DreamParams> printPlan(const std::vector<DreamParams>& kept, const DreamParams& current,
                                   int longSide, PrintLook look) {
    std::vector<DreamParams> plan;
    if (look == PrintLook::AddDetail || longSide <= current.workingSize) {
        for (const auto& k : kept) plan.push_back(printParams(k, longSide));
        plan.push_back(printParams(current, longSide));
        return plan;
    }
    plan = kept;
    plan.push_back(current);
    plan.push_back(detailPass(current, longSide));
    return plan;
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

double machineMemoryBytes() {
    if (const char* env = std::getenv("INCEPTIONIST_MEMORY_BYTES"))
        if (const double v = std::atof(env); v > 0) return v;
    double bytes = double(sysconf(_SC_PHYS_PAGES)) * double(sysconf(_SC_PAGE_SIZE));
    // cgroup v2, then v1: a container's limit ("max" or an absurd number where there is none).
    for (const char* file :
         {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
        std::ifstream in(file);
        std::string text;
        if (in >> text && !text.empty() && std::isdigit(static_cast<unsigned char>(text[0]))) {
            const double limit = std::atof(text.c_str());
            if (limit > 0 && limit < bytes) bytes = limit;
            break;
        }
    }
    return bytes;
}

void refusePrintBeyondMemory(const DreamParams& print, int width, int height) {
    const double needed = estimatePrint(print, width, height, 1.0).peakBytes;
    const double have = machineMemoryBytes();
    if (needed <= have) return;
    char text[256];
    std::snprintf(text, sizeof text,
                  "a print of %d x %d pixels needs about %.1f GB of memory; this machine has "
                  "%.1f GB. Choose a smaller size",
                  width, height, needed / double(1 << 30), have / double(1 << 30));
    throw Error(ErrorKind::Parameter, text);
}

}  // namespace inceptionist
