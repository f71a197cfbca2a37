#include "core/render/dreamer.h"

#include <chrono>
#include <cmath>
#include <random>

#include <opencv2/imgproc.hpp>

#include "core/engine/network_impl.h"
#include "core/io/image_io.h"
#include "core/params/errors.h"

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

std::vector<ResolvedObjective> resolveObjectives(const Network& net, const DreamParams& p, int h,
                                                 int w) {
    const ModelGraph& g = net.graph();
    std::vector<ResolvedObjective> result;
    for (const auto& l : p.layers) {
        ResolvedObjective o{g.require(l.name), l.weight, {}, {}};
        const LayerShape s = g.layerShape(o.node, h, w);
        for (int c : l.channels)
            if (c >= s.c)
                throw Error(ErrorKind::Parameter, "layer '" + l.name + "' has " +
                                                      std::to_string(s.c) + " channels; channel " +
                                                      std::to_string(c) + " does not exist");
        if (!l.channels.empty())
            o.channels = torch::tensor(std::vector<int64_t>(l.channels.begin(), l.channels.end()),
                                       torch::kLong)
                             .to(net.impl().device);
        result.push_back(o);
    }
    return result;
}

torch::Tensor selectChannels(const torch::Tensor& act, const ResolvedObjective& o) {
    return o.channels.defined() ? act.index_select(1, o.channels) : act;
}

// Guide features: for each objective layer, the guide image's activations as C×M columns.
void attachGuide(const Network& net, const DreamParams& p,
                 std::vector<ResolvedObjective>& objectives) {
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
    auto x = impl.preprocess(imageToTensor(guide, impl.device))
                 .contiguous(torch::MemoryFormat::ChannelsLast);
    auto acts = impl.forward(x, nodes);
    for (size_t i = 0; i < objectives.size(); ++i) {
        auto a = selectChannels(acts[i], objectives[i]);
        objectives[i].guide = a.reshape({a.size(1), -1}).contiguous();
    }
}

// The objective the ascent maximises: for each layer, the mean squared activation, or with a
// guide, the best match of each position's features with the guide's.
torch::Tensor objective(const std::vector<torch::Tensor>& acts,
                        const std::vector<ResolvedObjective>& objectives) {
    torch::Tensor loss;
    for (size_t i = 0; i < objectives.size(); ++i) {
        auto a = selectChannels(acts[i], objectives[i]);
        torch::Tensor term;
        if (objectives[i].guide.defined()) {
            auto features = a.reshape({a.size(1), -1});                    // C×N
            auto dots = torch::matmul(features.t(), objectives[i].guide);  // N×M
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

double workFraction(const DreamProgress& r, double octaveScale) {
    // Octave o (0 = smallest) has scale^-2(octaves-1-o) of the last octave's pixels.
    double total = 0, done = 0;
    for (int o = 0; o < r.octaves; ++o) {
        const double w = std::pow(octaveScale, -2.0 * (r.octaves - 1 - o));
        total += w * r.steps;
        if (o < r.octave) done += w * r.steps;
        if (o == r.octave) done += w * (r.step + (r.tiles > 0 ? double(r.tile) / r.tiles : 0.0));
    }
    return total > 0 ? std::min(1.0, done / total) : 1.0;
}

cv::Mat dreamStart(const cv::Mat& source, const DreamParams& p) {
    if (!p.startFromNoise) {
        if (source.empty()) throw Error(ErrorKind::Input, "no image to dream on");
        if (std::max(source.cols, source.rows) == p.workingSize && source.isContinuous())
            return source;  // shared, not copied: a print-size source is large
        cv::Mat base = resizeLongSide(source, p.workingSize);
        cv::min(cv::max(base, 0.0), 1.0, base);  // cubic upscaling overshoots
        return base;
    }
    // Noise keeps the source's aspect ratio (square without a source).
    const double aspect = source.empty() ? 1.0 : static_cast<double>(source.cols) / source.rows;
    const int w = aspect >= 1 ? p.workingSize
                              : std::max(1, static_cast<int>(std::lround(p.workingSize * aspect)));
    const int h = aspect >= 1 ? std::max(1, static_cast<int>(std::lround(p.workingSize / aspect)))
                              : p.workingSize;
    cv::Mat noise(h, w, CV_32FC3);
    cv::RNG rng(p.seed ^ 0x9E3779B97F4A7C15ull);
    rng.fill(noise, cv::RNG::NORMAL, cv::Scalar::all(0.5), cv::Scalar::all(0.1));
    cv::min(cv::max(noise, 0.0), 1.0, noise);
    return noise;
}

namespace {

// Splits [0, length) into the fewest nearly equal spans no longer than `tile`.
std::vector<std::pair<int64_t, int64_t>> tileSpans(int64_t length, int64_t tile) {
    const int64_t n = (length + tile - 1) / tile;
    std::vector<std::pair<int64_t, int64_t>> spans;
    int64_t start = 0;
    for (int64_t i = 0; i < n; ++i) {
        const int64_t len = length / n + (i < length % n ? 1 : 0);
        spans.emplace_back(start, len);
        start += len;
    }
    return spans;
}

// The rolled image's [start, start + len) along an axis of `size` comes from the unrolled image
// in at most two contiguous pieces: {source offset, offset in the tile, length}.
struct Piece {
    int64_t source, tile, length;
};
std::vector<Piece> wrappedPieces(int64_t start, int64_t len, int64_t shift, int64_t size) {
    std::vector<Piece> pieces;
    int64_t from = ((start - shift) % size + size) % size;
    int64_t done = 0;
    while (done < len) {
        const int64_t n = std::min(len - done, size - from);
        pieces.push_back({from, done, n});
        done += n;
        from = 0;
    }
    return pieces;
}

// Copies between a tile of the rolled image and the unrolled full-size tensor.
void copyTile(const torch::Tensor& full, const torch::Tensor& tile, const std::vector<Piece>& rows,
              const std::vector<Piece>& cols, bool intoTile) {
    for (const auto& r : rows)
        for (const auto& c : cols) {
            auto a = full.narrow(2, r.source, r.length).narrow(3, c.source, c.length);
            auto b = tile.narrow(2, r.tile, r.length).narrow(3, c.tile, c.length);
            if (intoTile)
                b.copy_(a);
            else
                a.copy_(b);
        }
}

}  // namespace

cv::Mat dream(const Network& net, const cv::Mat& source, const DreamParams& p,
              const DreamCallbacks& callbacks, const CancelToken& cancel) {
    p.validate();
    const auto& impl = net.impl();
    const cv::Mat base = dreamStart(source, p);

    std::vector<int> nodes;
    for (const auto& l : p.layers) nodes.push_back(net.graph().require(l.name));
    const int minimum = net.graph().minimumInputSize(nodes);
    if (std::min(base.rows, base.cols) < minimum)
        throw Error(ErrorKind::Parameter, "the dream is " + std::to_string(base.cols) + "×" +
                                              std::to_string(base.rows) +
                                              " px; the chosen layers need at least " +
                                              std::to_string(minimum) + " px on each side");
    if (p.tileSize < minimum)
        throw Error(ErrorKind::Parameter, "tile_size is " + std::to_string(p.tileSize) +
                                              "; the chosen layers need tiles of at least " +
                                              std::to_string(minimum) + " px");
    auto objectives = resolveObjectives(net, p, base.rows, base.cols);
    if (!p.guideImage.empty()) attachGuide(net, p, objectives);

    // Octave sizes, smallest first; those below the network's minimum are left out.
    std::vector<cv::Size> sizes;
    for (int o = p.octaves - 1; o >= 0; --o) {
        const double f = std::pow(p.octaveScale, -o);
        const cv::Size s(static_cast<int>(std::lround(base.cols * f)),
                         static_cast<int>(std::lround(base.rows * f)));
        if (std::min(s.width, s.height) >= minimum) sizes.push_back(s);
    }

    std::mt19937_64 rng(p.seed);
    std::uniform_int_distribution<int> roll(-p.jitter, p.jitter);
    DreamProgress progress;
    progress.octaves = static_cast<int>(sizes.size());
    progress.steps = p.steps;
    progress.stepsTotal = progress.octaves * p.steps;

    // Full-size tensors are channels-last, the layout of OpenCV's images and of the network's
    // input, and updated in place: a print-size dream holds the source, the image and its
    // gradient, and little else besides one tile's activations.
    torch::Tensor image;  // becomes the detail (image - source) at the end of each octave
    auto lastPreview = std::chrono::steady_clock::now() - std::chrono::hours(1);
    for (size_t o = 0; o < sizes.size(); ++o) {
        cv::Mat octaveSource = base;
        if (sizes[o] != base.size()) cv::resize(base, octaveSource, sizes[o], 0, 0, cv::INTER_AREA);
        const auto src = imageToTensor(octaveSource, impl.device);
        if (image.defined()) {
            image = F::interpolate(image,
                                   F::InterpolateFuncOptions()
                                       .size(std::vector<int64_t>{sizes[o].height, sizes[o].width})
                                       .mode(torch::kBilinear)
                                       .align_corners(false));
            image.add_(src).clamp_(0.0, 1.0);
        } else {
            image = src.clone(torch::MemoryFormat::ChannelsLast);
        }
        const int64_t H = sizes[o].height, W = sizes[o].width;
        const auto rowSpans = tileSpans(H, p.tileSize), colSpans = tileSpans(W, p.tileSize);
        auto grad = torch::empty_like(image);
        progress.octave = static_cast<int>(o);
        progress.step = 0;
        progress.width = sizes[o].width;
        progress.height = sizes[o].height;
        progress.tiles = static_cast<int>(rowSpans.size() * colSpans.size());
        for (int step = 0; step < p.steps; ++step) {
            progress.step = step;
            progress.tile = 0;
            const int64_t dy = roll(rng), dx = roll(rng);
            progress.rollX = static_cast<int>(dx);
            progress.rollY = static_cast<int>(dy);
            double loss = 0;
            int tile = 0;
            for (const auto& [ty, th] : rowSpans) {
                const auto rows = wrappedPieces(ty, th, dy, H);
                for (const auto& [tx, tw] : colSpans) {
                    if (cancel.cancelled()) throw Error(ErrorKind::Cancelled, "dream cancelled");
                    const auto cols = wrappedPieces(tx, tw, dx, W);
                    auto x = torch::empty({1, 3, th, tw}, image.options().memory_format(
                                                              torch::MemoryFormat::ChannelsLast));
                    copyTile(image, x, rows, cols, true);
                    x.requires_grad_(true);
                    auto input = impl.preprocess(x).contiguous(torch::MemoryFormat::ChannelsLast);
                    // Each tile's objective counts by its share of the image, so the tiles add up
                    // to the objective of the whole image.
                    auto l = objective(impl.forward(input, nodes), objectives) *
                             (double(th * tw) / double(H * W));
                    l.backward();
                    torch::NoGradGuard noGrad;
                    copyTile(grad, x.grad(), rows, cols, false);
                    loss += l.item<double>();
                    progress.tile = ++tile;
                    if (callbacks.tileDone && progress.tiles > 1) callbacks.tileDone(progress);
                }
            }
            torch::NoGradGuard noGrad;
            const double meanAbs = at::linalg_vector_norm(grad, 1).item<double>() / grad.numel();
            image.add_(grad, p.stepSize / (meanAbs + kGradientEpsilon)).clamp_(0.0, 1.0);
            progress.step = step + 1;
            progress.tile = 0;
            ++progress.stepsDone;
            progress.loss = loss;
            if (callbacks.progress) callbacks.progress(progress);
            const auto now = std::chrono::steady_clock::now();
            const bool due = std::chrono::duration<double>(now - lastPreview).count() >=
                             callbacks.previewIntervalSeconds;
            if (callbacks.preview && (due || step + 1 == p.steps)) {
                lastPreview = now;
                callbacks.preview(tensorToImage(image), progress);
            }
        }
        if (o + 1 < sizes.size()) image.sub_(src);  // the detail this octave added
    }
    if (!image.defined()) return base.clone();
    cv::Mat result = tensorToImage(image);
    if (result.size() != base.size())
        cv::resize(result, result, base.size(), 0, 0, cv::INTER_CUBIC);
    return result;
}

}  // namespace inceptionist
