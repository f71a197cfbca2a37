// The style transfer's objective terms: relative Gram distance (global) and relative content
// distance (additive, tile by tile).

#include "core/render/style_terms.h"

#include "core/params/errors.h"

namespace inceptionist {
namespace {

// The activations of `nodes` for a 1×3×h×w RGB tensor, without gradients.
std::vector<torch::Tensor> forwardOf(const Network& net, const torch::Tensor& rgb,
                                     const std::vector<int>& nodes) {
    torch::NoGradGuard noGrad;
    const auto& impl = net.impl();
    return impl.forward(impl.preprocess(rgb.contiguous(torch::MemoryFormat::ChannelsLast))
                            .contiguous(torch::MemoryFormat::ChannelsLast),
                        nodes);
}

// The tile `t` of `image` (1×3×H×W): the image rolled so the tile's first pixel is its corner.
torch::Tensor cutTile(const torch::Tensor& image, const TileInfo& t) {
    // A tile that does not wrap around is a plain view: rolling would copy the whole image for
    // every tile, the size of a print each time.
    if (t.top + t.height <= image.size(2) && t.left + t.width <= image.size(3))
        return image.narrow(2, t.top, t.height).narrow(3, t.left, t.width);
    auto rolled = (t.top || t.left) ? image.roll({-t.top, -t.left}, {2, 3}) : image;
    return rolled.narrow(2, 0, t.height).narrow(3, 0, t.width);
}

class RelativeGramTerm : public GlobalTerm {
public:
    RelativeGramTerm(int node, std::string layer, torch::Tensor target)
        : node_(node), layer_(std::move(layer)), target_(std::move(target)) {
        norm_ = target_.pow(2).sum().clamp_min(1e-12);
    }
    std::vector<int> nodes() const override { return {node_}; }
    torch::Tensor tileStatistic(const std::vector<torch::Tensor>& acts,
                                const TileInfo&) const override {
        return gramStatistic(acts[0]);
    }
    torch::Tensor loss(const torch::Tensor& s) const override {
        return (gramOf(s) - target_).pow(2).sum() / norm_;
    }
    std::string describe() const override { return "relative Gram distance at " + layer_; }

private:
    int node_;
    std::string layer_;
    torch::Tensor target_, norm_;
};

class ContentTerm : public AdditiveTerm {
public:
    ContentTerm(const Network& net, int node, std::string layer, const torch::Tensor& photo,
                const GradientRequest& layout, torch::ScalarType storage)
        : node_(node), layer_(std::move(layer)) {
        double norm = 0;
        for (const TileInfo& t : tileLayout(photo.size(2), photo.size(3), layout)) {
            if (layout.cancel.cancelled())
                throw Error(ErrorKind::Cancelled, "style transfer cancelled");
            auto f = forwardOf(net, cutTile(photo, t).contiguous(), {node_})[0];
            norm += f.pow(2).sum().item<double>();
            targets_[{t.top, t.left, t.height, t.width}] = f.to(storage);
        }
        norm_ = std::max(norm, 1e-12);
    }
    std::vector<int> nodes() const override { return {node_}; }
    torch::Tensor tileLoss(const std::vector<torch::Tensor>& acts,
                           const TileInfo& t) const override {
        const auto found = targets_.find({t.top, t.left, t.height, t.width});
        if (found == targets_.end())
            throw std::logic_error("content term evaluated on a tile it was not made for");
        // The tiler weights a tile's loss by its share of the image; the tiles' sums of squares
        // already add up to the image's, so the share is divided out here.
        return (acts[0] - found->second.to(acts[0].scalar_type())).pow(2).sum() /
               (norm_ * t.share());
    }
    std::string describe() const override { return "relative content distance at " + layer_; }

private:
    int node_;
    std::string layer_;
    std::map<std::tuple<int64_t, int64_t, int64_t, int64_t>, torch::Tensor> targets_;
    double norm_ = 1;
};

}  // namespace

torch::Tensor gramProduct(const torch::Tensor& act) {
    const int64_t c = act.size(1), n = act.numel() / c;
    if (!act.is_cpu() || act.scalar_type() != torch::kFloat) {
        auto f = act.reshape({c, n});
        return torch::matmul(f, f.t());
    }
    // F Fᵀ as a 1×1 convolution through oneDNN: the positions are the input channels, the
    // photo's channels both the output channels and the positions of a 1×C row. libtorch's
    // own matrix product would call the reference BLAS of Debian's build, some fifty times
    // slower, which made the Gram matrices most of an iteration's time. Autograd differentiates
    // it with oneDNN's convolution backward, with respect to both of its uses of F.
    auto rows = act.permute({0, 2, 3, 1}).reshape({n, c});  // Fᵀ, free for channels-last
    auto input = rows.reshape({1, n, 1, c}).contiguous();
    auto weight = rows.t().contiguous().reshape({c, n, 1, 1});
    auto product = at::mkldnn_convolution(input, weight, c10::nullopt, {0, 0}, {1, 1}, {1, 1}, 1);
    return product.reshape({c, c});
}

torch::Tensor gramStatistic(const torch::Tensor& act) {
    const int64_t c = act.size(1);
    auto positions = torch::full({1}, static_cast<double>(act.numel() / c), act.options());
    return torch::cat({gramProduct(act).reshape({-1}), positions});
}

torch::Tensor gramOf(const torch::Tensor& s) {
    const int64_t c = static_cast<int64_t>(std::lround(std::sqrt(double(s.numel() - 1))));
    return s.narrow(0, 0, c * c).reshape({c, c}) / s.narrow(0, c * c, 1);
}

std::vector<torch::Tensor> gramStatistics(const Network& net, const std::vector<int>& nodes,
                                          const torch::Tensor& rgb, int64_t tileSize,
                                          const CancelToken& cancel) {
    GradientRequest layout;
    layout.tileSize = tileSize;
    std::vector<torch::Tensor> sums(nodes.size());
    for (const TileInfo& t : tileLayout(rgb.size(2), rgb.size(3), layout)) {
        if (cancel.cancelled()) throw Error(ErrorKind::Cancelled, "style transfer cancelled");
        const auto acts = forwardOf(net, cutTile(rgb, t).contiguous(), nodes);
        for (size_t i = 0; i < nodes.size(); ++i) {
            auto s = gramStatistic(acts[i]);
            sums[i] = sums[i].defined() ? sums[i] + s : s;
        }
    }
    return sums;
}

std::shared_ptr<GlobalTerm> relativeGramTerm(int node, std::string layer, torch::Tensor target) {
    return std::make_shared<RelativeGramTerm>(node, std::move(layer), std::move(target));
}

std::shared_ptr<AdditiveTerm> contentTerm(const Network& net, int node, std::string layer,
                                          const torch::Tensor& photo, const GradientRequest& layout,
                                          torch::ScalarType storage) {
    return std::make_shared<ContentTerm>(net, node, std::move(layer), photo, layout, storage);
}

torch::Tensor totalVariation(const torch::Tensor& x) {
    const int64_t h = x.size(2), w = x.size(3);
    auto down = x.narrow(2, 1, h - 1) - x.narrow(2, 0, h - 1);
    auto across = x.narrow(3, 1, w - 1) - x.narrow(3, 0, w - 1);
    return down.pow(2).mean() + across.pow(2).mean();
}

double addTotalVariationGradient(const torch::Tensor& x, torch::Tensor& grad, double weight) {
    constexpr int64_t kBandRows = 128;
    const int64_t h = x.size(2), w = x.size(3);
    const double downCount = double(x.size(1)) * (h - 1) * w;
    const double acrossCount = double(x.size(1)) * h * (w - 1);
    double value = 0;
    for (int64_t top = 0; top < h; top += kBandRows) {
        const int64_t n = std::min(kBandRows, h - top);
        const int64_t withNext = n + (top + n < h ? 1 : 0);  // the row below, for its difference
        auto band = x.narrow(2, top, withNext).detach().requires_grad_(true);
        torch::Tensor loss = torch::zeros({}, x.options());
        if (withNext > 1) {
            auto down = band.narrow(2, 1, withNext - 1) - band.narrow(2, 0, withNext - 1);
            loss = loss + down.pow(2).sum() / downCount;
        }
        if (w > 1) {
            auto rows = band.narrow(2, 0, n);
            auto across = rows.narrow(3, 1, w - 1) - rows.narrow(3, 0, w - 1);
            loss = loss + across.pow(2).sum() / acrossCount;
        }
        loss.backward();
        torch::NoGradGuard noGrad;
        grad.narrow(2, top, withNext).add_(band.grad(), weight);
        value += weight * loss.item<double>();
    }
    return value;
}

}  // namespace inceptionist
