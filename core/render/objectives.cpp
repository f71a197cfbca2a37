// The built-in objective terms and the dream objective made of them.

#include <opencv2/imgproc.hpp>

#include "core/io/image_io.h"
#include "core/model/class_names.h"
#include "core/model/classifier_head.h"
#include "core/params/errors.h"
#include "core/render/objective.h"

namespace inceptionist {
namespace {

constexpr int kGuideLongSide = 299;  // guide features are taken at the network's native size

void checkCancel(const CancelToken& cancel) {
    if (cancel.cancelled()) throw Error(ErrorKind::Cancelled, "cancelled while preparing");
}

// The activations of `nodes` for `rgb` at its own size, without gradients.
std::vector<torch::Tensor> featuresOf(const Network& net, const cv::Mat& rgb,
                                      const std::vector<int>& nodes) {
    torch::NoGradGuard noGrad;
    const auto& impl = net.impl();
    auto x = impl.preprocess(imageToTensor(rgb, impl.device))
                 .contiguous(torch::MemoryFormat::ChannelsLast);
    return impl.forward(x, nodes);
}

// `image` at least `minimum` px on its short side and about `longSide` px on its long side.
cv::Mat sizedForNetwork(cv::Mat image, int longSide, int minimum) {
    image = resizeLongSide(image, std::max(longSide, minimum));
    if (std::min(image.rows, image.cols) < minimum) {
        const double f = static_cast<double>(minimum) / std::min(image.rows, image.cols);
        cv::resize(image, image, cv::Size(), f, f, cv::INTER_CUBIC);
    }
    return image;
}

// One layer's activations, or some of its channels.
class LayerTerm {
public:
    LayerTerm(const Network& net, const std::string& layer, const std::vector<int>& channels)
        : node_(net.graph().require(layer)), name_(layer) {
        if (channels.empty()) return;
        const ModelGraph& g = net.graph();
        const int side = g.minimumInputSize({node_});
        const LayerShape s = g.layerShape(node_, side, side);
        for (int c : channels)
            if (c < 0 || c >= s.c)
                throw Error(ErrorKind::Parameter, "layer '" + layer + "' has " +
                                                      std::to_string(s.c) + " channels; channel " +
                                                      std::to_string(c) + " does not exist");
        channels_ =
            torch::tensor(std::vector<int64_t>(channels.begin(), channels.end()), torch::kLong)
                .to(net.impl().device);
    }
    torch::Tensor select(const torch::Tensor& act) const {
        return channels_.defined() ? act.index_select(1, channels_) : act;
    }
    int node() const { return node_; }
    std::string describe() const {
        return channels_.defined() ? name_ + " (" + std::to_string(channels_.numel()) + " channels)"
                                   : name_;
    }

private:
    int node_;
    std::string name_;
    torch::Tensor channels_;  // indices, or undefined for the whole layer
};

// The classic DeepDream objective: the mean squared activation.
class ActivationTerm : public AdditiveTerm {
public:
    ActivationTerm(const Network& net, const std::string& layer, const std::vector<int>& channels)
        : layer_(net, layer, channels) {}
    std::vector<int> nodes() const override { return {layer_.node()}; }
    torch::Tensor tileLoss(const std::vector<torch::Tensor>& acts, const TileInfo&) const override {
        return layer_.select(acts[0]).pow(2).mean();
    }
    std::string describe() const override { return "activation of " + layer_.describe(); }

private:
    LayerTerm layer_;
};

// A guided dream: each position's features matched to their best match among the guide
// image's features (the dot product), averaged over positions.
class GuideTerm : public AdditiveTerm {
public:
    // `minimum`: the short side the guide is brought to at least (the objective's layers all
    // read one guide picture).
    GuideTerm(const Network& net, const std::string& layer, const std::vector<int>& channels,
              std::string guidePath, int minimum)
        : layer_(net, layer, channels), path_(std::move(guidePath)), minimum_(minimum) {}
    std::vector<int> nodes() const override { return {layer_.node()}; }
    void prepare(const Network& net, const CancelToken& cancel) override {
        checkCancel(cancel);
        const cv::Mat guide = sizedForNetwork(readImage(path_), kGuideLongSide, minimum_);
        checkCancel(cancel);
        auto a = layer_.select(featuresOf(net, guide, {layer_.node()})[0]);
        guide_ = a.reshape({a.size(1), -1}).contiguous();  // C×M columns
    }
    torch::Tensor tileLoss(const std::vector<torch::Tensor>& acts, const TileInfo&) const override {
        auto a = layer_.select(acts[0]);
        auto features = a.reshape({a.size(1), -1});       // C×N
        auto dots = torch::matmul(features.t(), guide_);  // N×M
        return std::get<0>(dots.max(1)).mean();
    }
    std::string describe() const override { return "guide " + path_ + " on " + layer_.describe(); }

private:
    LayerTerm layer_;
    std::string path_;
    int minimum_;
    torch::Tensor guide_;
};

// A style's channel correlations: the Gram matrix of a layer's features, normalised by the
// number of positions, matched to a painting's (squared distance, averaged over entries).
class GramTerm : public GlobalTerm {
public:
    GramTerm(const Network& net, const std::string& layer, cv::Mat style)
        : layer_(net, layer, {}), style_(std::move(style)) {}
    std::vector<int> nodes() const override { return {layer_.node()}; }
    void prepare(const Network& net, const CancelToken& cancel) override {
        checkCancel(cancel);
        const int minimum = net.graph().minimumInputSize({layer_.node()});
        cv::Mat style = style_;
        if (std::min(style.rows, style.cols) < minimum)
            style = sizedForNetwork(style, std::max(style.rows, style.cols), minimum);
        const auto a = featuresOf(net, style, {layer_.node()})[0];
        const auto s = statistic(a);
        target_ = gram(s);
    }
    torch::Tensor tileStatistic(const std::vector<torch::Tensor>& acts,
                                const TileInfo&) const override {
        return statistic(acts[0]);
    }
    torch::Tensor loss(const torch::Tensor& s) const override {
        return (gram(s) - target_).pow(2).mean();
    }
    std::string describe() const override { return "Gram matrix of " + layer_.describe(); }

private:
    // F·Fᵀ of the features and the number of positions, in one vector that sums over tiles.
    static torch::Tensor statistic(const torch::Tensor& act) {
        auto f = act.reshape({act.size(1), -1});
        auto positions = torch::full({1}, static_cast<double>(f.size(1)), f.options());
        return torch::cat({torch::matmul(f, f.t()).reshape({-1}), positions});
    }
    static torch::Tensor gram(const torch::Tensor& s) {
        const int64_t c = static_cast<int64_t>(std::lround(std::sqrt(double(s.numel() - 1))));
        return s.narrow(0, 0, c * c).reshape({c, c}) / s.narrow(0, c * c, 1);
    }

    LayerTerm layer_;
    cv::Mat style_;
    torch::Tensor target_;
};

// Class visualisation: the weighted pre-softmax logits of the chosen classes, optionally minus
// the mean logit of the others (so the picture shows this class rather than anything at all).
// Additive: each tile is pushed towards the classes by its own logits, weighted by its share.
class ClassTerm : public AdditiveTerm {
public:
    ClassTerm(const Network& net, const std::vector<ClassObjective>& classes, bool minusOthers)
        : head_(findClassifierHead(net.graph())) {
        const auto names = classNamesFor(net.manifest(), head_.classes);
        std::vector<float> weights(static_cast<size_t>(head_.classes), 0.f);
        std::vector<bool> chosen(weights.size(), false);
        double total = 0;
        for (const auto& c : classes) {
            const int i = classIndex(names, head_.classes, c.name);
            weights[i] += static_cast<float>(c.weight);
            chosen[i] = true;
            total += c.weight;
            description_ += (description_.empty() ? "class " : ", ") +
                            (names.empty() ? std::to_string(i) : names[i]) + " (" +
                            std::to_string(i) + ")";
        }
        const auto others = std::count(chosen.begin(), chosen.end(), false);
        if (minusOthers && others > 0) {
            for (size_t i = 0; i < weights.size(); ++i)
                if (!chosen[i]) weights[i] = static_cast<float>(-total / others);
            description_ += " minus the others";
        }
        weights_ = torch::tensor(weights).reshape({1, -1}).to(net.impl().device);
    }
    std::vector<int> nodes() const override { return {head_.logits}; }
    torch::Tensor tileLoss(const std::vector<torch::Tensor>& acts, const TileInfo&) const override {
        return (acts[0].reshape({1, -1}) * weights_).sum();
    }
    std::string describe() const override { return description_; }

private:
    ClassifierHead head_;
    torch::Tensor weights_;  // 1×classes: each logit's weight in the loss
    std::string description_;
};

}  // namespace

bool Objective::hasGlobalTerms() const {
    for (const auto& t : terms_)
        if (t.term->global()) return true;
    return false;
}

std::vector<int> Objective::nodes() const {
    std::vector<int> all;
    for (const auto& t : terms_)
        for (int n : t.term->nodes())
            if (std::find(all.begin(), all.end(), n) == all.end()) all.push_back(n);
    return all;
}

std::vector<std::vector<size_t>> Objective::termSlots() const {
    const auto all = nodes();
    std::vector<std::vector<size_t>> slots;
    for (const auto& t : terms_) {
        std::vector<size_t> s;
        for (int n : t.term->nodes())
            s.push_back(static_cast<size_t>(std::find(all.begin(), all.end(), n) - all.begin()));
        slots.push_back(std::move(s));
    }
    return slots;
}

void Objective::prepare(const Network& net, const CancelToken& cancel) const {
    if (preparedFor_ && preparedFor_ != &net)
        throw std::logic_error("an objective set up for one network was given another");
    for (const auto& t : terms_) t.term->prepare(net, cancel);
    preparedFor_ = &net;
}

Objective dreamObjective(const Network& net, const DreamParams& p) {
    Objective objective;
    if (p.mode == "class") {
        objective.add(std::make_shared<ClassTerm>(net, p.classes, p.classOthers));
        return objective;
    }
    std::vector<int> nodes;
    for (const auto& l : p.layers) nodes.push_back(net.graph().require(l.name));
    const int minimum = net.graph().minimumInputSize(nodes);
    for (const auto& l : p.layers) {
        std::shared_ptr<ObjectiveTerm> term;
        if (p.guideImage.empty())
            term = std::make_shared<ActivationTerm>(net, l.name, l.channels);
        else
            term = std::make_shared<GuideTerm>(net, l.name, l.channels, p.guideImage, minimum);
        objective.add(std::move(term), l.weight);
    }
    return objective;
}

std::shared_ptr<ObjectiveTerm> layerActivationTerm(const Network& net, const std::string& layer,
                                                   const std::vector<int>& channels) {
    return std::make_shared<ActivationTerm>(net, layer, channels);
}

std::shared_ptr<ObjectiveTerm> classLogitTerm(const Network& net,
                                              const std::vector<ClassObjective>& classes,
                                              bool minusOthers) {
    return std::make_shared<ClassTerm>(net, classes, minusOthers);
}

std::shared_ptr<ObjectiveTerm> gramMatchTerm(const Network& net, const std::string& layer,
                                             const cv::Mat& style) {
    return std::make_shared<GramTerm>(net, layer, style);
}

}  // namespace inceptionist
