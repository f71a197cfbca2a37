// inceptionist-bench: the figures in the README's performance section.
//
//   inceptionist-bench [--models-dir DIR]
//
// Prints, for this machine: one ascent step on a 512×384 image with InceptionV3 to mixed4 (time
// and effective GFLOP/s), the ceiling of a large plain 3×3 convolution, their ratio, and a full
// default dream (wall time, peak resident memory).

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "bench/conv_ceiling.h"
#include "core/dreamer.h"
#include "core/image_io.h"
#include "core/model_store.h"
#include "core/network.h"

using namespace inceptionist;

namespace {

constexpr int kStepWidth = 512, kStepHeight = 384;
constexpr int kTimedSteps = 10;
constexpr int kWarmupSteps = 3;  // oneDNN builds its kernels on first use

double peakResidentMiB() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0;
}

// Times single ascent steps through the real dream path: one octave, its steps timed one by one
// from the progress callback.
double medianStepSeconds(const Network& net, const cv::Mat& image, const std::vector<std::string>& layers) {
    DreamParams p;
    p.layers.clear();
    for (const auto& l : layers) p.layers.push_back({l, 1.0, {}});
    p.octaves = 1;
    p.steps = kTimedSteps + kWarmupSteps;
    p.workingSize = std::max(image.cols, image.rows);
    std::vector<double> times;
    auto last = std::chrono::steady_clock::now();
    DreamCallbacks cb;
    cb.progress = [&](const DreamProgress&) {
        const auto now = std::chrono::steady_clock::now();
        times.push_back(std::chrono::duration<double>(now - last).count());
        last = now;
    };
    dream(net, image, p, cb);
    times.erase(times.begin(), times.begin() + kWarmupSteps);
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    std::string modelsOverride;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string(argv[i]) == "--models-dir") modelsOverride = argv[i + 1];
    try {
        useAllCores();
        const auto dir = modelsDirectory(modelsOverride);
        std::printf("Inceptionist benchmark (%d threads)\n\n", static_cast<int>(std::thread::hardware_concurrency()));

        const auto loadStart = std::chrono::steady_clock::now();
        auto inception = Network::load(modelPath(dir, "inception_v3"));
        const double loadSeconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - loadStart).count();
        std::printf("InceptionV3 load: %.2f s\n", loadSeconds);

        const cv::Mat sample = readImage(INCEPTIONIST_SAMPLE_IMAGE);
        DreamParams defaults;
        const auto t0 = std::chrono::steady_clock::now();
        dream(*inception, sample, defaults);
        const double dreamSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::printf("Default dream (%d octaves x %d steps, %d px, layers mixed3+mixed4): %.2f s\n", defaults.octaves,
                    defaults.steps, defaults.workingSize, dreamSeconds);
        // Measured first, so the peak is that of loading the model and dreaming, nothing else.
        std::printf("Peak resident memory (model loaded, default dream done): %.0f MiB\n\n", peakResidentMiB());
        cv::Mat stepImage;
        cv::resize(sample, stepImage, cv::Size(kStepWidth, kStepHeight), 0, 0, cv::INTER_AREA);
        const double stepSeconds = medianStepSeconds(*inception, stepImage, {"mixed4"});
        // The input gradient costs as many convolution FLOPs as the forward pass.
        const double stepFlops = 2.0 * inception->forwardFlops({"mixed4"}, kStepHeight, kStepWidth);
        const double stepGflops = stepFlops / stepSeconds / 1e9;
        const double ceiling = bench::convolutionCeilingGflops();
        std::printf("Ascent step, %dx%d, InceptionV3 to mixed4: %.1f ms, %.2f GFLOP per step, %.1f GFLOP/s\n",
                    kStepWidth, kStepHeight, stepSeconds * 1e3, stepFlops / 1e9, stepGflops);
        std::printf("Ceiling, plain 3x3 convolution 256->256 at 128x128: %.1f GFLOP/s\n", ceiling);
        std::printf("Step efficiency: %.0f%% of the ceiling\n", 100.0 * stepGflops / ceiling);

        const double mobileStep = medianStepSeconds(*Network::load(modelPath(dir, "mobilenet_v2")), stepImage,
                                                    {"block_8_add"});
        std::printf("Ascent step, %dx%d, MobileNetV2 to block_8_add: %.1f ms\n", kStepWidth, kStepHeight,
                    mobileStep * 1e3);

        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "inceptionist-bench: %s\n", e.what());
        return 1;
    }
}
