#include "core/render/explorer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include <opencv2/imgproc.hpp>

namespace inceptionist {

namespace {
constexpr int kGap = 12;          // px between cells and around the sheet
constexpr int kLabelHeight = 26;  // px under each cell for its label
constexpr int kTitleHeight = 40;
const cv::Scalar kBackground(0.09, 0.08, 0.12);
const cv::Scalar kText(0.92, 0.9, 0.96);
constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;

// The largest font scale up to `scale` at which `text` fits in `width` pixels.
double fittingScale(const std::string& text, int width, double scale) {
    int baseline = 0;
    while (scale > 0.25 && cv::getTextSize(text, kFont, scale, 1, &baseline).width > width)
        scale -= 0.05;
    return scale;
}

DreamParams thumbnailParams(const DreamParams& base, int size) {
    DreamParams p = base;
    p.workingSize = size;
    if (p.mode == "class") p.mode = "dream";  // a layer's or a channel's cell shows that
    return p;
}
}  // namespace

std::vector<Thumbnail> layerThumbnails(const DreamParams& base,
                                       const std::vector<std::string>& layers, int size) {
    std::vector<Thumbnail> out;
    for (const auto& name : layers) {
        DreamParams p = thumbnailParams(base, size);
        p.layers = {{name, 1.0, {}}};
        out.push_back({name, p});
    }
    return out;
}

std::vector<Thumbnail> layerThumbnails(const DreamParams& base, const ModelManifest& model,
                                       int size) {
    // ImageNet feature layers first.
    std::vector<std::string> names;
    for (const auto& l : model.layers)
        if (l.imagenet) names.push_back(l.name);
    for (const auto& l : model.layers)
        if (!l.imagenet) names.push_back(l.name);
    DreamParams p = base;
    p.model = model.id;
    return layerThumbnails(p, names, size);
}

std::vector<Thumbnail> classThumbnails(const DreamParams& base,
                                       const std::vector<std::string>& classes, int size) {
    std::vector<Thumbnail> out;
    for (const auto& name : classes) {
        DreamParams p = thumbnailParams(base, size);
        p.mode = "class";
        p.classes = {{name, 1.0}};
        out.push_back({name, p});
    }
    return out;
}

int classThumbnailSide(int size, int minimumSide, int width, int height) {
    if (minimumSide <= 0 || width <= 0 || height <= 0) return std::max(size, minimumSide);
    const double ratio = double(std::max(width, height)) / std::min(width, height);
    return std::max(size, static_cast<int>(std::ceil(minimumSide * ratio)));
}

const std::vector<std::string>& wellKnownImagenetClasses() {
    static const std::vector<std::string> classes = {
        "barbell", "goldfish",   "flamingo", "jellyfish", "peacock", "tree frog",
        "volcano", "strawberry", "lemon",    "daisy",     "castle",  "teddy"};
    return classes;
}

std::string sheetTitle(const std::string& model, const std::string& image,
                       const std::string& channelsOf) {
    return model + " - " + image + " - " +
           (channelsOf.empty() ? std::string("layers") : channelsOf + " channels, strongest first");
}

std::vector<int> rankChannels(const std::vector<float>& means) {
    std::vector<int> order(means.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return means[a] > means[b]; });
    return order;
}

std::vector<Thumbnail> channelThumbnails(const DreamParams& base, const std::string& layer,
                                         const std::vector<int>& channels, size_t first,
                                         size_t count, int size) {
    std::vector<Thumbnail> out;
    for (size_t i = first; i < std::min(channels.size(), first + count); ++i) {
        DreamParams p = thumbnailParams(base, size);
        p.layers = {{layer, 1.0, {channels[i]}}};
        out.push_back({layer + " #" + std::to_string(channels[i]), p});
    }
    return out;
}

std::vector<Thumbnail> seedThumbnails(const DreamParams& base, const std::vector<uint64_t>& seeds,
                                      int size) {
    std::vector<Thumbnail> out;
    for (const uint64_t seed : seeds) {
        DreamParams p = base;
        p.workingSize = size;
        p.seed = seed;
        out.push_back({"seed " + std::to_string(seed), p});
    }
    return out;
}

std::vector<uint64_t> variationSeeds(uint64_t first, int count) {
    std::vector<uint64_t> seeds;
    for (int i = 0; i < count; ++i) seeds.push_back(first + static_cast<uint64_t>(i));
    return seeds;
}

std::vector<double> strengthStepSizes(double stepSize) {
    // The parameter's own range (core/params/param_table.cpp): 1e-6 to 1.
    std::vector<double> sizes;
    for (const double f : {0.5, 1.0, 2.0}) {
        const double s = std::clamp(stepSize * f, 1e-6, 1.0);
        if (sizes.empty() || s > sizes.back()) sizes.push_back(s);
    }
    return sizes;
}

std::vector<int> strengthStepCounts(int steps) {
    std::vector<int> counts;
    for (const int s : {std::max(1, static_cast<int>(std::lround(steps * 0.5))), steps,
                        std::min(10000, steps * 2)})
        if (s > 0 && (counts.empty() || s > counts.back())) counts.push_back(s);
    return counts;
}

std::string strengthLabel(double stepSize, int steps) {
    char text[64];
    std::snprintf(text, sizeof text, "%.3g x %d", stepSize, steps);
    return text;
}

std::vector<Thumbnail> strengthThumbnails(const DreamParams& base,
                                          const std::vector<double>& stepSizes,
                                          const std::vector<int>& stepCounts, int size) {
    std::vector<Thumbnail> out;
    for (const int steps : stepCounts)
        for (const double stepSize : stepSizes) {
            DreamParams p = base;
            p.workingSize = size;
            p.stepSize = stepSize;
            p.steps = steps;
            out.push_back({strengthLabel(stepSize, steps), p});
        }
    return out;
}

cv::Mat contactSheet(const std::vector<cv::Mat>& cells, const std::vector<std::string>& labels,
                     const std::string& title, int columns) {
    CV_Assert(cells.size() == labels.size() && columns > 0);
    int cellW = 1, cellH = 1;
    for (const auto& c : cells) {
        cellW = std::max(cellW, c.cols);
        cellH = std::max(cellH, c.rows);
    }
    const int n = static_cast<int>(cells.size());
    const int cols = std::max(1, std::min(columns, n));
    const int rows = (n + cols - 1) / cols;
    cv::Mat sheet(kTitleHeight + kGap + rows * (cellH + kLabelHeight + kGap),
                  kGap + cols * (cellW + kGap), CV_32FC3, kBackground);
    cv::putText(sheet, title, {kGap, kTitleHeight - 12}, kFont,
                fittingScale(title, sheet.cols - 2 * kGap, 0.7), kText, 1, cv::LINE_AA);
    for (int i = 0; i < n; ++i) {
        const int x = kGap + (i % cols) * (cellW + kGap);
        const int y = kTitleHeight + kGap + (i / cols) * (cellH + kLabelHeight + kGap);
        const cv::Mat& c = cells[i];
        c.copyTo(
            sheet(cv::Rect(x + (cellW - c.cols) / 2, y + (cellH - c.rows) / 2, c.cols, c.rows)));
        cv::putText(sheet, labels[i], {x, y + cellH + 18}, kFont,
                    fittingScale(labels[i], cellW, 0.5), kText, 1, cv::LINE_AA);
    }
    return sheet;
}

}  // namespace inceptionist
