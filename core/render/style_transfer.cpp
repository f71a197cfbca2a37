// Style transfer on the engine: the stages of the coarse-to-fine schedule, each an objective of
// relative Gram and content terms (core/render/style_terms.h) descended by libtorch's L-BFGS on
// the Fourier parameters of the picture (core/render/fourier_image.h), the pixels' gradient
// computed tile by tile by the tiler.

#include "core/render/style_transfer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include <opencv2/imgproc.hpp>

#include "core/io/image_io.h"
#include "core/params/errors.h"
#include "core/render/fourier_image.h"
#include "core/render/lean_adam.h"
#include "core/render/objective.h"
#include "core/render/print_plan.h"
#include "core/render/style_colour.h"
#include "core/render/style_terms.h"
#include "core/render/vgg_style_layers.h"

namespace inceptionist {
namespace F = torch::nn::functional;

namespace {

constexpr int kHistory = 50;                          // L-BFGS curvature pairs kept at most
constexpr double kHistoryBudget = 768.0 * (1 << 20);  // bytes for them, bounding large prints
// As a dream print reckons it (core/render/print_plan.cpp): libtorch, the model, one tile's
// activations and gradients.
constexpr double kBaseBytes = 900.0 * (1 << 20);
constexpr double kFloatPixel = 3 * sizeof(float);  // an RGB float picture, per pixel
constexpr int kSingleStageBelow = 300;             // px: smaller pictures run in one stage

// What worked best on each default model in the prototype (shared/reference/style).
struct LayerChoice {
    const char* probe;  // a layer only this model has
    std::vector<std::string> style;
    std::string content;
};
const std::vector<LayerChoice>& layerChoices() {
    static const std::vector<LayerChoice> choices = {
        {"mixed4", {"activation_2", "activation_5", "mixed0", "mixed2", "mixed4"}, "mixed2"},
        {"block_10_expand_relu",
         {"Conv1_relu", "block_1_expand_relu", "block_3_expand_relu", "block_6_expand_relu",
          "block_10_expand_relu"},
         "block_6_expand_relu"},
    };
    return choices;
}

cv::Size sizeWithLongSide(cv::Size s, int longSide) {
    const double f = static_cast<double>(longSide) / std::max(s.width, s.height);
    return {std::max(1, static_cast<int>(std::lround(s.width * f))),
            std::max(1, static_cast<int>(std::lround(s.height * f)))};
}

cv::Mat resized(const cv::Mat& image, cv::Size size) {
    if (image.size() == size) return image.clone();
    cv::Mat out;
    const bool shrink = size.width < image.cols;
    cv::resize(image, out, size, 0, 0, shrink ? cv::INTER_AREA : cv::INTER_CUBIC);
    cv::min(cv::max(out, 0.0), 1.0, out);  // cubic enlarging overshoots
    return out;
}

// A tensor of its own (1×3×H×W, contiguous) holding `rgb`: one copy.
torch::Tensor toTensor(const cv::Mat& rgb, const torch::Device& device) {
    auto t = imageToTensor(rgb, device).contiguous();
    return t.data_ptr() == static_cast<void*>(rgb.data) ? t.clone() : t;
}

// The L-BFGS history for a Fourier spectrum of `values` floats: as many pairs as the budget
// allows, two at least.
int historyFor(double values) {
    const double bytesPerPair = 2.0 * values * sizeof(float);
    return std::clamp(static_cast<int>(kHistoryBudget / bytesPerPair), 2, kHistory);
}

double fourierValues(cv::Size s) { return 3.0 * s.height * (s.width / 2 + 1) * 2; }

}  // namespace

std::vector<StyleStage> styleStages(int workingSize, int iterations, int printSize) {
    std::vector<StyleStage> stages;
    if (workingSize < kSingleStageBelow || iterations < 3) {
        stages.push_back({workingSize, iterations});
    } else {
        const int coarse = (2 * iterations + 2) / 3;
        stages.push_back({static_cast<int>(std::lround(workingSize / 1.5)), coarse});
        stages.push_back({workingSize, iterations - coarse});
    }
    int size = workingSize;
    while (printSize > size) {
        size = std::min(printSize, size * 2);
        stages.push_back({size, std::max(5, iterations / 6)});
    }
    return stages;
}

struct PreparedStyle::State {
    const Network* network = nullptr;
    DreamParams params;
    std::vector<cv::Mat> paintings;
    std::vector<double> weights;  // summing to 1
    std::vector<std::string> styleLayers;
    std::vector<int> styleNodes;
    std::string contentLayer;
    int contentNode = -1;
    int minimum = 0;

    bool luminanceOnly() const { return params.style.preserveColors == "luminance"; }

    // What the network sees of the photo: grey for a luminance-only transfer.
    cv::Mat photoInput(const cv::Mat& photo) const {
        return luminanceOnly() ? greyRgb(luminanceOf(photo)) : photo;
    }

    // A painting as the network sees it at a picture of `longSide` px: scaled by the style
    // scale, and in the photo's colours or luminance where those are kept.
    cv::Mat paintingInput(const cv::Mat& painting, const cv::Mat& photo, int longSide) const {
        const int side =
            std::max(8, static_cast<int>(std::lround(longSide * params.style.styleScale)));
        cv::Size size = sizeWithLongSide(painting.size(), side);
        if (std::min(size.width, size.height) < minimum) {
            const double f = static_cast<double>(minimum) / std::min(size.width, size.height);
            size = {static_cast<int>(std::ceil(size.width * f)),
                    static_cast<int>(std::ceil(size.height * f))};
        }
        cv::Mat p = resized(painting, size);
        if (params.style.preserveColors == "histogram") return matchColours(p, photo);
        if (luminanceOnly()) return greyRgb(matchLuminance(luminanceOf(p), luminanceOf(photo)));
        return p;
    }

    // The blend of the paintings' Gram matrices at each style layer, for a picture of
    // `longSide` px whose photo is `photo`.
    std::vector<torch::Tensor> targets(const cv::Mat& photo, int longSide,
                                       const CancelToken& cancel = {}) const {
        const Network& net = *network;
        std::vector<torch::Tensor> blend(styleNodes.size());
        for (size_t i = 0; i < paintings.size(); ++i) {
            if (weights[i] <= 0) continue;
            // A view of the painting: the tiles are copied from it one at a time.
            const cv::Mat input = paintingInput(paintings[i], photo, longSide);
            const auto image = imageToTensor(input, net.impl().device);
            const auto stats = gramStatistics(net, styleNodes, image, params.tileSize, cancel);
            for (size_t l = 0; l < stats.size(); ++l) {
                auto g = gramOf(stats[l]) * weights[i];
                blend[l] = blend[l].defined() ? blend[l] + g : g;
            }
        }
        return blend;
    }

    // The picture to return from the optimised one: with the photo's chroma where only the
    // luminance was transferred.
    cv::Mat finish(const cv::Mat& picture, const cv::Mat& photo) const {
        return luminanceOnly() ? withChromaOf(luminanceOf(picture), photo) : picture;
    }

    void checkSize(cv::Size s) const {
        if (std::min(s.width, s.height) < minimum)
            throw Error(ErrorKind::Parameter, "the picture is " + std::to_string(s.width) + "×" +
                                                  std::to_string(s.height) +
                                                  " px; the style layers need at least " +
                                                  std::to_string(minimum) + " px on each side");
    }
};

PreparedStyle::PreparedStyle(const Network& network, const DreamParams& params)
    : state_(std::make_shared<State>()) {
    params.validate();
    const StyleParams& sp = params.style;
    if (sp.images.empty())
        throw Error(ErrorKind::Parameter, "a style transfer needs at least one style image");
    State& s = *state_;
    s.network = &network;
    s.params = params;
    const ModelGraph& g = network.graph();
    s.styleLayers = sp.styleLayers;
    s.contentLayer = sp.contentLayer;
    if (s.styleLayers.empty() || s.contentLayer.empty()) {
        const LayerChoice* choice = nullptr;
        for (const auto& c : layerChoices())
            if (g.find(c.probe) >= 0) choice = &c;
        LayerChoice vgg;
        if (!choice) {
            // An imported VGG-19: the classic layers, found by the network's structure.
            if (auto classic = vgg19StyleLayers(g)) {
                vgg = {"", classic->style, classic->content};
                choice = &vgg;
            }
        }
        if (!choice)
            throw Error(ErrorKind::Parameter, "model " + params.model +
                                                  " has no default style layers (it is neither "
                                                  "a default model nor a VGG-19); give "
                                                  "style_layers and content_layer");
        if (s.styleLayers.empty()) s.styleLayers = choice->style;
        if (s.contentLayer.empty()) s.contentLayer = choice->content;
    }
    for (const auto& l : s.styleLayers) s.styleNodes.push_back(g.require(l));
    s.contentNode = g.require(s.contentLayer);
    auto all = s.styleNodes;
    all.push_back(s.contentNode);
    s.minimum = g.minimumInputSize(all);
    if (params.tileSize < s.minimum)
        throw Error(ErrorKind::Parameter, "tile_size is " + std::to_string(params.tileSize) +
                                              "; the style layers need tiles of at least " +
                                              std::to_string(s.minimum) + " px");
    double total = 0;
    for (const auto& image : sp.images) total += image.weight;
    for (const auto& image : sp.images) {
        s.paintings.push_back(readImage(image.path));
        s.weights.push_back(image.weight / total);
    }
}

PreparedStyle::~PreparedStyle() = default;
const DreamParams& PreparedStyle::params() const { return state_->params; }
const std::vector<std::string>& PreparedStyle::styleLayers() const { return state_->styleLayers; }
const std::string& PreparedStyle::contentLayer() const { return state_->contentLayer; }

cv::Mat PreparedStyle::run(const cv::Mat& content, const StyleCallbacks& callbacks,
                           const CancelToken& cancel, int printSize,
                           const StyleMemoryPlan& plan) const {
    const State& s = *state_;
    const Network& net = *s.network;
    const Network::ThreadGuard exclusive(net);
    const DreamParams& p = s.params;
    const StyleParams& sp = p.style;
    const auto device = net.impl().device;
    if (content.empty()) throw Error(ErrorKind::Input, "no photo to style");

    const auto stages = styleStages(p.workingSize, sp.iterations, printSize);
    StyleProgress progress;
    progress.stages = static_cast<int>(stages.size());
    for (const auto& st : stages) progress.iterationsTotal += st.iterations;
    s.checkSize(sizeWithLongSide(content.size(), stages.front().longSide));

    auto lastPreview = std::chrono::steady_clock::now() - std::chrono::hours(1);
    torch::Tensor picture;  // the optimised picture (in the network's colours), 1×3×H×W
    cv::Mat photo;          // the photo at the stage's size
    for (size_t si = 0; si < stages.size(); ++si) {
        const cv::Size size = sizeWithLongSide(content.size(), stages[si].longSide);
        s.checkSize(size);
        const bool lean = static_cast<long long>(size.area()) > plan.leanAbovePixels;
        photo = resized(content, size);

        // The objective of this stage: the paintings' Gram matrices at this size, the photo's
        // features on the tiles the tiler will cut.
        GradientRequest request;
        request.tileSize = p.tileSize;
        request.cancel = cancel;
        if (callbacks.tileDone)
            request.tileDone = [&](int done, int tiles) {
                progress.tile = done;
                if (tiles > 1) callbacks.tileDone(progress);
            };
        Objective objective({}, Objective::Direction::Minimise);
        {
            torch::NoGradGuard noGrad;
            const auto targets = s.targets(photo, stages[si].longSide, cancel);
            for (size_t l = 0; l < s.styleNodes.size(); ++l)
                objective.add(relativeGramTerm(s.styleNodes[l], s.styleLayers[l], targets[l]),
                              sp.styleWeight / static_cast<double>(s.styleNodes.size()));
            if (sp.contentWeight > 0) {
                const cv::Mat photoIn = s.photoInput(photo);
                objective.add(
                    contentTerm(net, s.contentNode, s.contentLayer, imageToTensor(photoIn, device),
                                request, lean ? torch::kHalf : torch::kFloat),
                    sp.contentWeight);
            }
        }
        if (cancel.cancelled()) throw Error(ErrorKind::Cancelled, "style transfer cancelled");
        // Only a luminance-only transfer needs the photo again (for its chroma) before the end.
        if (lean && !s.luminanceOnly()) photo.release();

        // Where this stage starts: the photo (or seeded noise), or the last stage enlarged.
        torch::Tensor start;
        if (picture.defined()) {
            torch::NoGradGuard noGrad;
            start = F::interpolate(picture, F::InterpolateFuncOptions()
                                                .size(std::vector<int64_t>{size.height, size.width})
                                                .mode(torch::kBicubic)
                                                .align_corners(false));
            picture = torch::Tensor();
            start.clamp_(0.0, 1.0);
        } else if (sp.init == "noise") {
            cv::Mat noise(size, CV_32FC3);
            cv::RNG rng(p.seed ^ 0x9E3779B97F4A7C15ull);
            rng.fill(noise, cv::RNG::NORMAL, cv::Scalar::all(0.5), cv::Scalar::all(0.1));
            start = toTensor(noise, device).clamp(0.0, 1.0);
        } else {
            start = toTensor(s.photoInput(photo), device);
        }

        progress.stage = static_cast<int>(si);
        progress.iterations = stages[si].iterations;
        progress.width = size.width;
        progress.height = size.height;
        progress.tiles = tileCount(size.height, size.width, p.tileSize);
        // Runs the stage's iterations, `step` taking one, `current` the picture as it is now.
        auto iterate = [&](const std::function<void()>& step,
                           const std::function<torch::Tensor()>& current) {
            for (int it = 0; it < stages[si].iterations; ++it) {
                progress.iteration = it;
                progress.tile = 0;
                step();
                if (cancel.cancelled())
                    throw Error(ErrorKind::Cancelled, "style transfer cancelled");
                progress.iteration = it + 1;
                progress.tile = 0;
                ++progress.iterationsDone;
                if (callbacks.progress) callbacks.progress(progress);
                const auto now = std::chrono::steady_clock::now();
                const bool last = it + 1 == stages[si].iterations;
                if (callbacks.preview &&
                    (last || std::chrono::duration<double>(now - lastPreview).count() >=
                                 callbacks.previewIntervalSeconds)) {
                    lastPreview = now;
                    torch::NoGradGuard noGrad;
                    callbacks.preview(s.finish(tensorToImage(current()), photo), progress);
                }
            }
        };

        if (lean) {
            // The pixels themselves, descended by Adam: the picture, its gradient and Adam's
            // moments are the only buffers of the picture's size.
            picture = start;
            start = torch::Tensor();
            LeanAdam adam(picture, plan.leanRate);
            torch::Tensor grad = torch::empty_like(picture);
            iterate(
                [&] {
                    double loss = objectiveGradient(net, objective, picture, grad, request);
                    if (sp.tvWeight > 0)
                        loss += addTotalVariationGradient(picture, grad, sp.tvWeight);
                    progress.loss = loss;
                    adam.step(picture, grad);
                },
                [&] { return picture; });
            continue;
        }

        FourierImage fourier(start);
        start = torch::Tensor();
        const int history = historyFor(static_cast<double>(fourier.parameter().numel()));
        torch::optim::LBFGS lbfgs({fourier.parameter()}, torch::optim::LBFGSOptions(1.0)
                                                             .max_iter(1)
                                                             .history_size(history)
                                                             .tolerance_grad(-1)
                                                             .tolerance_change(-1));
        torch::Tensor grad =
            torch::empty({1, 3, size.height, size.width}, torch::TensorOptions().device(device));
        auto closure = [&]() -> torch::Tensor {
            lbfgs.zero_grad();
            auto rgb = fourier.image();
            double loss = objectiveGradient(net, objective, rgb.detach(), grad, request);
            // The tiler's gradient with respect to the pixels, carried on to the parameters.
            auto surrogate = (rgb * grad).sum();
            if (sp.tvWeight > 0) {
                auto tv = totalVariation(rgb) * sp.tvWeight;
                loss += tv.item<double>();
                surrogate = surrogate + tv;
            }
            surrogate.backward();
            progress.loss = loss;
            return torch::tensor(loss, torch::kDouble);
        };
        iterate([&] { lbfgs.step(closure); }, [&] { return fourier.image(); });
        torch::NoGradGuard noGrad;
        picture = fourier.image().detach();
    }
    if (photo.empty()) photo = resized(content, cv::Size(picture.size(3), picture.size(2)));
    return s.finish(tensorToImage(picture), photo);
}

double PreparedStyle::peakBytes(cv::Size content, int printSize,
                                const StyleMemoryPlan& plan) const {
    const State& s = *state_;
    const ModelGraph& g = s.network->graph();
    const DreamParams& p = s.params;
    // The photo's features at the content layer, over the tiles the stage cuts.
    auto featureValues = [&](cv::Size size) {
        GradientRequest layout;
        layout.tileSize = p.tileSize;
        double values = 0;
        for (const TileInfo& t : tileLayout(size.height, size.width, layout)) {
            const auto shape =
                g.layerShape(s.contentNode, static_cast<int>(t.height), static_cast<int>(t.width));
            values += double(shape.c) * double(shape.h) * double(shape.w);
        }
        return values;
    };
    double largest = 0;
    for (const StyleStage& stage : styleStages(p.workingSize, p.style.iterations, printSize)) {
        const cv::Size size = sizeWithLongSide(content, stage.longSide);
        const double pixels = double(size.area());
        double bytes = 0;
        if (static_cast<long long>(size.area()) > plan.leanAbovePixels) {
            // The picture, its gradient, the photo at this size, Adam's two bfloat16 moments;
            // the photo's features in half precision.
            bytes = pixels * (3 * kFloatPixel + 3 * LeanAdam::kStateBytesPerValue) +
                    featureValues(size) * 2;
        } else {
            // The spectrum, its gradient and L-BFGS's own vectors, each the spectrum's size, and
            // its history; the picture, its gradient, the photo and the Fourier image's autograd
            // graph (about eight buffers of the picture's size); the features in floats.
            const double spectrum = fourierValues(size) * sizeof(float);
            bytes = spectrum * (5 + 2 * historyFor(fourierValues(size))) +
                    pixels * kFloatPixel * 8 + featureValues(size) * sizeof(float);
        }
        // Before the stage: the paintings at this size, read one at a time, beside the last
        // stage's picture enlarged and the photo.
        double painting = 0;
        for (const cv::Mat& image : s.paintings) {
            const int side =
                std::max(8, static_cast<int>(std::lround(stage.longSide * p.style.styleScale)));
            painting = std::max(painting, double(sizeWithLongSide(image.size(), side).area()));
        }
        bytes = std::max(bytes, painting * kFloatPixel + pixels * kFloatPixel * 2);
        largest = std::max(largest, bytes);
    }
    return kBaseBytes + double(content.area()) * kFloatPixel + largest;
}

void refuseStyleBeyondMemory(const PreparedStyle& style, cv::Size content, int printSize) {
    const double needed = style.peakBytes(content, printSize);
    const double have = machineMemoryBytes();
    if (needed <= have) return;
    char text[256];
    std::snprintf(text, sizeof text,
                  "a styled picture of %d px needs about %.1f GB of memory; this machine has "
                  "%.1f GB. Choose a smaller size",
                  printSize > 0 ? printSize : style.params().workingSize, needed / double(1 << 30),
                  have / double(1 << 30));
    throw Error(ErrorKind::Parameter, text);
}

StyleFigures PreparedStyle::figures(const cv::Mat& image, const cv::Mat& content) const {
    const State& s = *state_;
    const Network& net = *s.network;
    const Network::ThreadGuard exclusive(net);
    torch::NoGradGuard noGrad;
    const auto device = net.impl().device;
    s.checkSize(image.size());
    const cv::Mat photo = resized(content, image.size());
    const int longSide = std::max(image.cols, image.rows);
    const auto targets = s.targets(photo, longSide);
    StyleFigures f;
    const auto stats =
        gramStatistics(net, s.styleNodes, toTensor(s.photoInput(image), device), s.params.tileSize);
    for (size_t l = 0; l < stats.size(); ++l)
        f.style +=
            ((gramOf(stats[l]) - targets[l]).pow(2).sum() / targets[l].pow(2).sum()).item<double>();
    f.style /= static_cast<double>(stats.size());
    const auto& impl = net.impl();
    auto features = [&](const cv::Mat& rgb) {
        auto x = impl.preprocess(toTensor(s.photoInput(rgb), device))
                     .contiguous(torch::MemoryFormat::ChannelsLast);
        return impl.forward(x, {s.contentNode})[0];
    };
    const auto a = features(image), b = features(photo);
    f.content = ((a - b).pow(2).sum() / b.pow(2).sum()).item<double>();
    return f;
}

cv::Mat styleTransfer(const Network& network, const cv::Mat& content, const DreamParams& params,
                      const StyleCallbacks& callbacks, const CancelToken& cancel, int printSize) {
    return PreparedStyle(network, params).run(content, callbacks, cancel, printSize);
}

}  // namespace inceptionist
