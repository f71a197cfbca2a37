#include "bench/onnx_bench.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "bench/conv_ceiling.h"
#include "core/engine/compiler.h"
#include "core/engine/network.h"
#include "core/io/image_io.h"
#include "core/model/importer.h"
#include "core/model/model_install.h"
#include "core/render/dreamer.h"

namespace inceptionist::bench {

namespace {

constexpr int kTimedSteps = 10, kWarmupSteps = 3;

double secondsSince(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// The node whose name contains `part` (the exporter's names carry the module path).
std::string findLayer(const ModelGraph& graph, const std::string& part) {
    for (const auto& n : graph.nodes())
        if (n.name.find(part) != std::string::npos) return n.name;
    throw std::runtime_error(graph.source().string() + ": no layer named like " + part);
}

// Median time of one ascent step on `image` (one octave of the dream path).
double medianStep(const Network& net, const cv::Mat& image, const std::string& layer) {
    DreamParams p;
    p.model = net.manifest().id;
    p.layers = {{layer, 1.0, {}}};
    p.octaves = 1;
    p.steps = kTimedSteps + kWarmupSteps;
    p.workingSize = std::max(image.cols, image.rows);
    std::vector<double> times;
    auto last = std::chrono::steady_clock::now();
    DreamCallbacks cb;
    cb.progress = [&](const DreamProgress&) {
        times.push_back(secondsSince(last));
        last = std::chrono::steady_clock::now();
    };
    dream(net, image, p, cb);
    times.erase(times.begin(), times.begin() + kWarmupSteps);
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

void measure(const std::filesystem::path& file, const char* what, const std::string& layerPart,
             int size, double ceiling) {
    const auto t0 = std::chrono::steady_clock::now();
    ModelGraph graph = importModel(file);
    const std::string layer = findLayer(graph, layerPart);
    ModelManifest manifest = describeModel(file, graph);
    auto net = compile(std::move(graph), std::move(manifest));
    std::printf("%s: import and compile %.2f s\n", what, secondsSince(t0));
    cv::Mat image;
    cv::resize(readImage(INCEPTIONIST_SAMPLE_IMAGE), image, cv::Size(size, size), 0, 0,
               cv::INTER_AREA);
    const double step = medianStep(*net, image, layer);
    const double flops = 2.0 * net->forwardFlops({layer}, size, size);
    const double gflops = flops / step / 1e9;
    std::printf(
        "%s: ascent step %dx%d to %s: %.1f ms, %.2f GFLOP, %.1f GFLOP/s, %.0f%% of the "
        "ceiling\n",
        what, size, size, layer.c_str(), step * 1e3, flops / 1e9, gflops, 100.0 * gflops / ceiling);
}

}  // namespace

void onnxSection(const std::filesystem::path& cacheDir) {
    const std::string command = std::string("/usr/bin/python3 '") + INCEPTIONIST_SOURCE_DIR +
                                "/bench/export-torchvision-onnx.py' '" + cacheDir.string() + "'";
    if (std::system(command.c_str()) != 0)
        throw std::runtime_error(
            "exporting the torchvision models failed (needs python3-torch "
            "and python3-torchvision): " +
            command);
    const double ceiling = convolutionCeilingGflops();
    std::printf("Ceiling, plain 3x3 convolution 256->256 at 128x128: %.1f GFLOP/s\n", ceiling);
    measure(cacheDir / "googlenet" / "model.onnx", "GoogLeNet (torchvision, ONNX)",
            "/inception4c/Concat", 224, ceiling);
    measure(cacheDir / "vgg16" / "model.onnx", "VGG16 features (torchvision, ONNX)", "/22/Relu",
            512, ceiling);
    std::printf("\n");
}

}  // namespace inceptionist::bench
