#include "bench/style_bench.h"

#include <sys/resource.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <torch/torch.h>

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "core/io/image_io.h"
#include "core/model/model_store.h"
#include "core/render/print_plan.h"
#include "core/render/style_transfer.h"

namespace inceptionist::bench {
namespace {

constexpr int kSize = 384;
constexpr int kPrototypeIterations = 8;

double since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::string argument(int argc, char** argv, const std::string& name, std::string fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (argv[i] == name) return argv[i + 1];
    return fallback;
}

// The prototype's seconds per iteration at 384 px, or a negative number when it cannot run.
double prototypeSecondsPerIteration(const std::string& script, const std::filesystem::path& models,
                                    const std::string& photo, const std::string& painting,
                                    int threads) {
    if (!std::filesystem::exists(script) || !std::filesystem::exists("/usr/bin/python3")) return -1;
    const auto out = std::filesystem::temp_directory_path() / "inceptionist-style-prototype.png";
    const std::string command =
        "STYLE_MODELS='" + models.string() + "' /usr/bin/python3 '" + script + "' --content '" +
        photo + "' --style '" + painting + "' --out '" + out.string() + "' --size " +
        std::to_string(kSize) +
        " --content-layer mixed2 --sw 10 --opt lbfgs --param fourier --iters " +
        std::to_string(kPrototypeIterations) + " --threads " + std::to_string(threads) +
        " 2>/dev/null | tail -1";
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return -1;
    std::string text;
    char buffer[4096];
    while (fgets(buffer, sizeof buffer, pipe)) text += buffer;
    pclose(pipe);
    try {
        return nlohmann::json::parse(text).at("stages").at(0).at("s_per_iter").get<double>();
    } catch (const std::exception&) {
        return -1;
    }
}

}  // namespace

int styleSection(int argc, char** argv) {
    const auto models = modelsDirectory(argument(argc, argv, "--models-dir", ""));
    const std::string data = INCEPTIONIST_TEST_DATA;
    const std::string photoPath = data + "/horses.jpg", paintingPath = data + "/scream.jpg";
    const std::string script = argument(argc, argv, "--prototype", INCEPTIONIST_STYLE_PROTOTYPE);
    const std::string out = argument(argc, argv, "--style-out", "style-horses-scream.jpg");
    auto net = Network::load(modelPath(models, "inception_v3"));
    const cv::Mat photo = readImage(photoPath);

    DreamParams params;
    params.mode = "style";
    params.workingSize = kSize;
    params.style.images = {{paintingPath, 1.0}};
    const auto stages = styleStages(params.workingSize, params.style.iterations);

    // Pressing Style: the painting read, the stages set up, until the first preview.
    const auto start = std::chrono::steady_clock::now();
    double firstPreview = -1;
    std::vector<double> lastStage;
    auto last = start;
    StyleCallbacks callbacks;
    callbacks.preview = [&](const cv::Mat&, const StyleProgress&) {
        if (firstPreview < 0) firstPreview = since(start);
    };
    callbacks.progress = [&](const StyleProgress& p) {
        const auto now = std::chrono::steady_clock::now();
        if (p.stage + 1 == p.stages && p.iteration > 1)  // the first builds oneDNN's kernels
            lastStage.push_back(std::chrono::duration<double>(now - last).count());
        last = now;
    };
    const PreparedStyle style(*net, params);
    const cv::Mat result = style.run(photo, callbacks);
    const double total = since(start);
    writeImage(out, result);

    std::sort(lastStage.begin(), lastStage.end());
    const double perIteration = lastStage.empty() ? 0 : lastStage[lastStage.size() / 2];
    std::printf("Style transfer, horses.jpg after scream.jpg, defaults at %d px (", kSize);
    for (size_t i = 0; i < stages.size(); ++i)
        std::printf("%s%d px x %d", i ? " then " : "", stages[i].longSide, stages[i].iterations);
    std::printf(" iterations):\n");
    std::printf("  first preview after pressing Style: %.2f s\n", firstPreview);
    std::printf("  whole transfer: %.2f s\n", total);
    std::printf("  one iteration at %d px (median): %.3f s\n", kSize, perIteration);

    cv::Mat painting;
    cv::resize(readImage(paintingPath), painting, result.size(), 0, 0, cv::INTER_AREA);
    const StyleFigures ofResult = style.figures(result, photo);
    const StyleFigures ofPhoto = style.figures(resizeLongSide(photo, kSize), photo);
    const StyleFigures ofPainting = style.figures(painting, photo);
    std::printf(
        "  style figure (mean relative Gram distance): result %.4f, photo %.4f, ratio %.3f "
        "(target <= 0.1)\n",
        ofResult.style, ofPhoto.style, ofResult.style / ofPhoto.style);
    std::printf(
        "  content figure (relative distance at %s): result %.4f, painting %.4f, ratio "
        "%.3f (target <= 0.5)\n",
        style.contentLayer().c_str(), ofResult.content, ofPainting.content,
        ofResult.content / ofPainting.content);
    std::printf("  result written to %s\n", out.c_str());

    const int threads = torch::get_num_threads();
    const double prototype =
        prototypeSecondsPerIteration(script, models, photoPath, paintingPath, threads);
    if (prototype > 0)
        std::printf(
            "  PyTorch prototype (st.py, %d threads), one iteration at %d px: %.3f s; "
            "the engine is %.1fx faster (target >= 3)\n",
            threads, kSize, prototype, prototype / perIteration);
    else
        std::printf("  PyTorch prototype not run (needs %s and /usr/bin/python3 with torch)\n",
                    script.c_str());
    std::printf("\n");
    return 0;
}

namespace {

constexpr int kPrintIterations = 30;

double peakResidentBytes() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss * 1024.0;
}

// One styled print of `longSide` px (3:2), in this process.
int stylePrint(int argc, char** argv, int longSide) {
    const auto models = modelsDirectory(argument(argc, argv, "--models-dir", ""));
    const std::string data = INCEPTIONIST_TEST_DATA;
    auto net = Network::load(modelPath(models, "inception_v3"));
    const cv::Size size(longSide, longSide * 2 / 3);
    // The photo at the print's size, as a user's own would come: horses.jpg cropped to 3:2.
    cv::Mat photo;
    {
        const cv::Mat horses = readImage(data + "/horses.jpg");
        const int h = horses.cols * 2 / 3;
        cv::resize(horses(cv::Rect(0, (horses.rows - h) / 2, horses.cols, h)), photo, size, 0, 0,
                   cv::INTER_CUBIC);
        cv::min(cv::max(photo, 0.0), 1.0, photo);
    }
    DreamParams params;
    params.mode = "style";
    params.style.images = {{data + "/scream.jpg", 1.0}};
    params.style.iterations = kPrintIterations;
    const PreparedStyle style(*net, params);
    const double planned = style.peakBytes(photo.size(), longSide);
    double firstLoss = -1, lastLoss = 0;
    StyleCallbacks callbacks;
    callbacks.progress = [&](const StyleProgress& p) {
        if (p.stage + 1 != p.stages) return;
        if (firstLoss < 0) firstLoss = p.loss;
        lastLoss = p.loss;
    };
    const auto start = std::chrono::steady_clock::now();
    cv::Mat result = style.run(photo, callbacks, {}, longSide);
    photo.release();
    const std::string out =
        (std::filesystem::temp_directory_path() / "inceptionist-bench-style-print.tif").string();
    WriteOptions o;
    o.bitDepth = 16;
    o.metadata = params.toJson().dump();
    writeImage(out, result, o);
    std::filesystem::remove(out);
    const double seconds = since(start);
    std::printf("Styled print %dx%d (", result.cols, result.rows);
    const auto stages = styleStages(params.workingSize, kPrintIterations, longSide);
    for (size_t i = 0; i < stages.size(); ++i)
        std::printf("%s%d px x %d", i ? ", " : "", stages[i].longSide, stages[i].iterations);
    std::printf(" iterations; tiles of %d px; 16-bit TIFF written): %.1f s\n", params.tileSize,
                seconds);
    std::printf("  peak resident memory %.0f MiB (planned %.0f MiB; limit 2560 MiB)\n",
                peakResidentBytes() / (1 << 20), planned / (1 << 20));
    std::printf("  last stage's loss: %.4f after its first iteration, %.4f after its last\n",
                firstLoss, lastLoss);
    return 0;
}

}  // namespace

int stylePrintSection(int argc, char** argv) {
    const std::string one = argument(argc, argv, "--print-size", "");
    if (!one.empty()) return stylePrint(argc, argv, std::stoi(one));
    int failures = 0;
    for (int longSide : {3000, 6000}) {
        std::string command = std::string(argv[0]) + " --section style-print --print-size " +
                              std::to_string(longSide);
        const std::string models = argument(argc, argv, "--models-dir", "");
        if (!models.empty()) command += " --models-dir '" + models + "'";
        std::fflush(stdout);
        if (std::system(command.c_str()) != 0) ++failures;
    }
    std::printf("\n");
    return failures == 0 ? 0 : 1;
}

}  // namespace inceptionist::bench
