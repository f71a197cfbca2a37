#include "core/dreamer.h"

#include <chrono>
#include <cmath>
#include <random>

#include <opencv2/imgproc.hpp>

#include "core/errors.h"
#include "core/image_io.h"
#include "core/network_impl.h"

namespace inceptionist {
namespace F = torch::nn::functional;

namespace {

constexpr double kGradientEpsilon = 1e-8;  // keeps the normalisation finite on a flat gradient
constexpr int kGuideLongSide = 299;        // guide features are taken at the network's native size

struct ResolvedObjective {
    int node;
    double weight;
    torch::Tensor channels;  // indices, or undefined for the whole layer
    torch::Tensor guide;     // C×M guide features, or undefined
};

std::vector<ResolvedObjective> resolveObjectives(const Network& net, const DreamParams& p, int h, int w) {
    const ModelGraph& g = net.graph();
    std::vector<ResolvedObjective> result;
    for (const auto& l : p.layers) {
        ResolvedObjective o{g.require(l.name), l.weight, {}, {}};
        const LayerShape s = g.layerShape(o.node, h, w);
        for (int c : l.channels)
            if (c >= s.c)
                throw Error(ErrorKind::Parameter, "layer '" + l.name + "' has " + std::to_string(s.c) +
                                                      " channels; channel " + std::to_string(c) + " does not exist");
        if (!l.channels.empty())
            o.channels = torch::tensor(std::vector<int64_t>(l.channels.begin(), l.channels.end()), torch::kLong)
                             .to(net.impl().device);
        result.push_back(o);
    }
    return result;
}

torch::Tensor selectChannels(const torch::Tensor& act, const ResolvedObjective& o) {
    return o.channels.defined() ? act.index_select(1, o.channels) : act;
}

// Guide features: for each objective layer, the guide image's activations as C×M columns.
void attachGuide(const Network& net, const DreamParams& p, std::vector<ResolvedObjective>& objectives) {
    cv::Mat guide = readImage(p.guideImage);
    std::vector<int> nodes;
    for (const auto& o : objectives) nodes.push_back(o.node);
    const int minimum = net.graph().minimumInputSize(nodes);
    guide = resizeLongSide(guide, std::max(kGuideLongSide, minimum));
    if (std::min(guide.rows, guide.cols) < minimum) {
        const double f = static_cast<double>(minimum) / std::min(guide.rows, guide.cols);
        cv::resize(guide, guide, cv::Size(), f, f, cv::INTER_CUBIC);
    }
    torch::NoGradGuard noGrad;
    const auto& impl = net.impl();
    auto x = impl.preprocess(imageToTensor(guide, impl.device)).contiguous(torch::MemoryFormat::ChannelsLast);
    auto acts = impl.forward(x, nodes);
    for (size_t i = 0; i < objectives.size(); ++i) {
        auto a = selectChannels(acts[i], objectives[i]);
        objectives[i].guide = a.reshape({a.size(1), -1}).contiguous();
    }
}

// The objective the ascent maximises: for each layer, the mean squared activation, or with a
// guide, the best match of each position's features with the guide's.
torch::Tensor objective(const std::vector<torch::Tensor>& acts, const std::vector<ResolvedObjective>& objectives) {
    torch::Tensor loss;
    for (size_t i = 0; i < objectives.size(); ++i) {
        auto a = selectChannels(acts[i], objectives[i]);
        torch::Tensor term;
        if (objectives[i].guide.defined()) {
            auto features = a.reshape({a.size(1), -1});                       // C×N
            auto dots = torch::matmul(features.t(), objectives[i].guide);     // N×M
            term = std::get<0>(dots.max(1)).mean();
        } else {
            term = a.pow(2).mean();
        }
        term = term * objectives[i].weight;
        loss = loss.defined() ? loss + term : term;
    }
    return loss;
}

}  // namespace

cv::Mat dreamStart(const cv::Mat& source, const DreamParams& p) {
    if (!p.startFromNoise) {
        if (source.empty()) throw Error(ErrorKind::Input, "no image to dream on");
        cv::Mat base = resizeLongSide(source, p.workingSize);
        cv::min(cv::max(base, 0.0), 1.0, base);
        return base;
    }
    // Noise keeps the source's aspect ratio (square without a source).
    const double aspect = source.empty() ? 1.0 : static_cast<double>(source.cols) / source.rows;
    const int w = aspect >= 1 ? p.workingSize : std::max(1, static_cast<int>(std::lround(p.workingSize * aspect)));
    const int h = aspect >= 1 ? std::max(1, static_cast<int>(std::lround(p.workingSize / aspect))) : p.workingSize;
    cv::Mat noise(h, w, CV_32FC3);
    cv::RNG rng(p.seed ^ 0x9E3779B97F4A7C15ull);
    rng.fill(noise, cv::RNG::NORMAL, cv::Scalar::all(0.5), cv::Scalar::all(0.1));
    cv::min(cv::max(noise, 0.0), 1.0, noise);
    return noise;
}

cv::Mat dream(const Network& net, const cv::Mat& source, const DreamParams& p, const DreamCallbacks& callbacks,
              const CancelToken& cancel) {
    p.validate();
    const auto& impl = net.impl();
    const cv::Mat base = dreamStart(source, p);

    std::vector<int> nodes;
    for (const auto& l : p.layers) nodes.push_back(net.graph().require(l.name));
    const int minimum = net.graph().minimumInputSize(nodes);
    if (std::min(base.rows, base.cols) < minimum)
        throw Error(ErrorKind::Parameter, "the dream is " + std::to_string(base.cols) + "×" + std::to_string(base.rows) +
                                              " px; the chosen layers need at least " + std::to_string(minimum) +
                                              " px on each side");
    auto objectives = resolveObjectives(net, p, base.rows, base.cols);
    if (!p.guideImage.empty()) attachGuide(net, p, objectives);

    // Octave sizes, smallest first; those below the network's minimum are left out.
    std::vector<cv::Size> sizes;
    for (int o = p.octaves - 1; o >= 0; --o) {
        const double f = std::pow(p.octaveScale, -o);
        const cv::Size s(static_cast<int>(std::lround(base.cols * f)), static_cast<int>(std::lround(base.rows * f)));
        if (std::min(s.width, s.height) >= minimum) sizes.push_back(s);
    }

    std::mt19937_64 rng(p.seed);
    std::uniform_int_distribution<int> roll(-p.jitter, p.jitter);
    DreamProgress progress;
    progress.octaves = static_cast<int>(sizes.size());
    progress.steps = p.steps;
    progress.stepsTotal = progress.octaves * p.steps;

    torch::Tensor detail;
    torch::Tensor image;
    auto lastPreview = std::chrono::steady_clock::now() - std::chrono::hours(1);
    for (size_t o = 0; o < sizes.size(); ++o) {
        cv::Mat octaveSource;
        cv::resize(base, octaveSource, sizes[o], 0, 0, cv::INTER_AREA);
        const auto src = imageToTensor(octaveSource, impl.device);
        if (detail.defined())
            detail = F::interpolate(detail, F::InterpolateFuncOptions()
                                                .size(std::vector<int64_t>{sizes[o].height, sizes[o].width})
                                                .mode(torch::kBilinear)
                                                .align_corners(false));
        image = detail.defined() ? (src + detail).clamp(0.0, 1.0) : src.clone();
        progress.octave = static_cast<int>(o);
        progress.width = sizes[o].width;
        progress.height = sizes[o].height;
        for (int step = 0; step < p.steps; ++step) {
            if (cancel.cancelled()) throw Error(ErrorKind::Cancelled, "dream cancelled");
            const int64_t dy = roll(rng), dx = roll(rng);
            auto x = torch::roll(image, {dy, dx}, {2, 3}).detach().requires_grad_(true);
            auto input = impl.preprocess(x).contiguous(torch::MemoryFormat::ChannelsLast);
            auto loss = objective(impl.forward(input, nodes), objectives);
            loss.backward();
            torch::NoGradGuard noGrad;
            auto g = torch::roll(x.grad(), {-dy, -dx}, {2, 3});
            g = g / (g.abs().mean() + kGradientEpsilon);
            image = (image + p.stepSize * g).clamp_(0.0, 1.0);
            progress.step = step + 1;
            ++progress.stepsDone;
            progress.loss = loss.item<double>();
            if (callbacks.progress) callbacks.progress(progress);
            const auto now = std::chrono::steady_clock::now();
            const bool due = std::chrono::duration<double>(now - lastPreview).count() >= callbacks.previewIntervalSeconds;
            if (callbacks.preview && (due || step + 1 == p.steps)) {
                lastPreview = now;
                callbacks.preview(tensorToImage(image), progress);
            }
        }
        detail = image - src;
    }
    if (!image.defined()) return base.clone();
    cv::Mat result = tensorToImage(image);
    if (result.size() != base.size()) cv::resize(result, result, base.size(), 0, 0, cv::INTER_CUBIC);
    return result;
}

}  // namespace inceptionist
