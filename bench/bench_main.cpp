// inceptionist-bench: the figures in the README's performance section.
//
//   inceptionist-bench [--models-dir DIR]
//
// Prints, for this machine: a full default dream (wall time, peak resident memory); one ascent
// step on a 512×384 image with InceptionV3 to mixed4 (time and effective GFLOP/s), the ceiling of
// a large plain 3×3 convolution and their ratio; a 6000×4000 print (time, peak memory); and the
// step time per megapixel at 1.5 and 24 megapixels; the explorer's timings in the window; a
// style transfer (bench/style_bench.h), ONNX imports and motion.
// Then the start-up of a whole `inceptionist-cli dream`, the window's latency from a slider to
// the first preview (bench/latency_bench.cpp) and the default dream on a busy machine
// (bench/busy_bench.cpp). `--section NAME` runs one part alone; `--baseline-cli PATH` adds
// another build's command line to the last two, `--rounds N` sets the busy section's rounds.

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "bench/busy_bench.h"
#include "bench/conv_ceiling.h"
#include "bench/explorer_bench.h"
#include "bench/latency_bench.h"
#include "bench/motion_bench.h"
#include "bench/onnx_bench.h"
#include "bench/style_bench.h"
#include "bench/style_latency_bench.h"
#include "core/engine/network.h"
#include "core/engine/thread_policy.h"
#include "core/io/image_io.h"
#include "core/model/model_store.h"
#include "core/render/dreamer.h"

using namespace inceptionist;

namespace {

constexpr int kStepWidth = 512, kStepHeight = 384;
constexpr int kPrintWidth = 6000, kPrintHeight = 4000;
constexpr int kTimedSteps = 10;
constexpr int kWarmupSteps = 3;  // oneDNN builds its kernels on first use

double seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

double peakResidentMiB() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0;
}

// Times single ascent steps through the real dream path: one octave, its steps timed one by one
// from the progress callback.
double medianStepSeconds(const Network& net, const cv::Mat& image,
                         const std::vector<std::string>& layers) {
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

// Each section runs in a process of its own, so peak memory is that section's alone.
int runSections(const char* self, const std::string& modelsOverride) {
    int failures = 0;
    for (const char* section :
         {"dream", "step", "explorer", "print-memory", "print-scaling", "startup", "latency",
          "busy", "onnx", "style", "style-latency", "style-print", "motion", "motion-drift",
          "motion-memory", "motion-clip"}) {
        std::string command = std::string(self) + " --section " + section;
        if (!modelsOverride.empty()) command += " --models-dir '" + modelsOverride + "'";
        std::fflush(stdout);
        if (std::system(command.c_str()) != 0) ++failures;
    }
    return failures == 0 ? 0 : 1;
}

void dreamSection(const std::filesystem::path& dir) {
    const auto loadStart = std::chrono::steady_clock::now();
    auto inception = Network::load(modelPath(dir, "inception_v3"));
    std::printf("InceptionV3 load: %.2f s\n", seconds(loadStart));
    const cv::Mat sample = readImage(INCEPTIONIST_SAMPLE_IMAGE);
    DreamParams defaults;
    const auto t0 = std::chrono::steady_clock::now();
    dream(*inception, sample, defaults);
    std::printf("Default dream (%d octaves x %d steps, %d px, layers mixed3+mixed4): %.2f s\n",
                defaults.octaves, defaults.steps, defaults.workingSize, seconds(t0));
    std::printf("Peak resident memory (model loaded, default dream done): %.0f MiB\n\n",
                peakResidentMiB());
}

void stepSection(const std::filesystem::path& dir) {
    auto inception = Network::load(modelPath(dir, "inception_v3"));
    const cv::Mat sample = readImage(INCEPTIONIST_SAMPLE_IMAGE);
    cv::Mat stepImage;
    cv::resize(sample, stepImage, cv::Size(kStepWidth, kStepHeight), 0, 0, cv::INTER_AREA);
    const double stepSeconds = medianStepSeconds(*inception, stepImage, {"mixed4"});
    // The input gradient costs as many convolution FLOPs as the forward pass.
    const double stepFlops = 2.0 * inception->forwardFlops({"mixed4"}, kStepHeight, kStepWidth);
    const double stepGflops = stepFlops / stepSeconds / 1e9;
    const double ceiling = bench::convolutionCeilingGflops();
    std::printf(
        "Ascent step, %dx%d, InceptionV3 to mixed4: %.1f ms, %.2f GFLOP per step, %.1f GFLOP/s\n",
        kStepWidth, kStepHeight, stepSeconds * 1e3, stepFlops / 1e9, stepGflops);
    std::printf("Ceiling, plain 3x3 convolution 256->256 at 128x128: %.1f GFLOP/s\n", ceiling);
    std::printf("Step efficiency: %.0f%% of the ceiling\n", 100.0 * stepGflops / ceiling);
    std::printf(
        "(The same convolution through the engine's Winograd kernel: %.1f GFLOP/s "
        "effective)\n",
        bench::engineConvolutionGflops());
    const double mobileStep = medianStepSeconds(*Network::load(modelPath(dir, "mobilenet_v2")),
                                                stepImage, {"block_8_add"});
    std::printf("Ascent step, %dx%d, MobileNetV2 to block_8_add: %.1f ms\n\n", kStepWidth,
                kStepHeight, mobileStep * 1e3);
}

cv::Mat sampleAt(int width, int height) {
    cv::Mat out;
    cv::resize(readImage(INCEPTIONIST_SAMPLE_IMAGE), out, cv::Size(width, height), 0, 0,
               cv::INTER_CUBIC);
    cv::min(cv::max(out, 0.0), 1.0, out);
    return out;
}

// A 6000x4000 print whose last octave runs at full size, written as a 16-bit TIFF.
void printMemorySection(const std::filesystem::path& dir) {
    auto inception = Network::load(modelPath(dir, "inception_v3"));
    DreamParams p;
    p.octaves = 2;
    p.steps = 1;
    p.workingSize = kPrintWidth;
    cv::Mat source = sampleAt(kPrintWidth, kPrintHeight);
    const auto t0 = std::chrono::steady_clock::now();
    cv::Mat result = dream(*inception, source, p);
    source.release();
    const std::string out =
        (std::filesystem::temp_directory_path() / "inceptionist-bench-print.tif").string();
    WriteOptions o;
    o.bitDepth = 16;
    o.dpi = 300;
    o.metadata = p.toJson().dump();
    writeImage(out, result, o);
    std::filesystem::remove(out);
    std::printf(
        "Print %dx%d (2 octaves x 1 step, last at full size, tiles of %d px, 16-bit TIFF written): "
        "%.1f s\n",
        kPrintWidth, kPrintHeight, p.tileSize, seconds(t0));
    std::printf("Peak resident memory of that print: %.0f MiB (limit 2560 MiB)\n\n",
                peakResidentMiB());
}

// Time per megapixel of an ascent step, small and print size: tiling keeps the cost linear.
void printScalingSection(const std::filesystem::path& dir) {
    auto inception = Network::load(modelPath(dir, "inception_v3"));
    auto perMegapixelStep = [&](int w, int h) {
        DreamParams p;
        p.octaves = 1;
        p.steps = 1;
        p.workingSize = std::max(w, h);
        const cv::Mat source = sampleAt(w, h);
        dream(*inception, source, p);  // warms oneDNN's kernels for these tile shapes
        p.steps = 2;
        const auto t0 = std::chrono::steady_clock::now();
        dream(*inception, source, p);
        return seconds(t0) / (p.steps * double(w) * h / 1e6);
    };
    const double small = perMegapixelStep(1500, 1000);
    const double large = perMegapixelStep(kPrintWidth, kPrintHeight);
    std::printf(
        "Step time per megapixel: %.3f s at 1.5 MP, %.3f s at 24 MP, ratio %.2f (limit 1.25)\n\n",
        small, large, large / small);
}

// The value of `--name N`, or `fallback` when it is not given.
int intOption(int argc, char** argv, const std::string& name, int fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (argv[i] == name) return std::stoi(argv[i + 1]);
    return fallback;
}

}  // namespace

int main(int argc, char** argv) {
    std::string modelsOverride, section;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::string(argv[i]) == "--models-dir") modelsOverride = argv[i + 1];
        if (std::string(argv[i]) == "--section") section = argv[i + 1];
    }
    try {
        useAllCores();
        if (section.empty()) {
            std::printf("Inceptionist benchmark (%s)\n\n",
                        ThreadPolicy::instance().describe().c_str());
            return runSections(argv[0], modelsOverride);
        }
        if (section == "explorer") return bench::explorerSection(argc, argv);
        if (section == "busy") return bench::busySection(argc, argv, modelsOverride);
        if (section == "startup") return bench::startupSection(argc, argv, modelsOverride);
        if (section == "latency") return bench::latencySection(argc, argv);
        if (section == "onnx") {
            bench::onnxSection(INCEPTIONIST_BENCH_MODELS);
            return 0;
        }
        if (section == "style") return bench::styleSection(argc, argv);
        if (section == "style-latency") return bench::styleLatencySection(argc, argv);
        if (section == "style-print") return bench::stylePrintSection(argc, argv);
        const auto dir = modelsDirectory(modelsOverride);
        if (section == "dream")
            dreamSection(dir);
        else if (section == "step")
            stepSection(dir);
        else if (section == "print-memory")
            printMemorySection(dir);
        else if (section == "print-scaling")
            printScalingSection(dir);
        else if (section == "motion")
            bench::motionSection(dir);
        else if (section == "motion-drift")
            bench::motionDriftSection(dir);
        else if (section == "motion-memory")
            bench::motionMemorySection(dir, intOption(argc, argv, "--frames", 1000),
                                       intOption(argc, argv, "--size", 128));
        else if (section == "motion-clip")
            bench::motionClipSection(dir);
        else
            throw std::runtime_error("unknown section " + section);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "inceptionist-bench: %s\n", e.what());
        return 1;
    }
}
