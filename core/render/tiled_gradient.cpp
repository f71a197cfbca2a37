// The gradient of an objective with respect to the pixels, computed tile by tile so memory stays
// bounded on large images: additive terms in one pass, global terms in two (see objective.h).

#include <algorithm>

#include "core/params/errors.h"
#include "core/render/objective.h"

namespace inceptionist {
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
    bool reversed = false;  // a mirrored piece: rows `source` down to `source - length + 1`
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

// The image shifted by `shift` along an axis of `size`, its edge mirrored into what the shift
// leaves (..., 1, 0 | 0, 1, ... | size-1, size-2, ...): the tile's [start, start + len) in
// forward pieces (the image's own rows) and reversed ones (their mirror images).
std::vector<Piece> mirroredPieces(int64_t start, int64_t len, int64_t shift, int64_t size) {
    shift = std::clamp<int64_t>(shift, -(size - 1), size - 1);
    std::vector<Piece> pieces;
    int64_t k = start - shift;  // the position in the unshifted image of the tile's row
    int64_t done = 0;
    while (done < len) {
        Piece p;
        p.tile = done;
        if (k < 0) {  // before the first row: its mirror image
            p.length = std::min(len - done, -k);
            p.source = -1 - k;
            p.reversed = true;
        } else if (k < size) {
            p.length = std::min(len - done, size - k);
            p.source = k;
        } else {  // after the last row
            p.length = std::min(len - done, 2 * size - k);
            p.source = 2 * size - 1 - k;
            p.reversed = true;
        }
        pieces.push_back(p);
        done += p.length;
        k += p.length;
    }
    return pieces;
}

// Copies between a tile of the rolled image and the unrolled full-size tensor. A mirrored
// piece's gradient is added to that of the pixels it mirrors (which are zeroed first).
void copyTile(const torch::Tensor& full, const torch::Tensor& tile, const std::vector<Piece>& rows,
              const std::vector<Piece>& cols, bool intoTile) {
    bool mirrored = false;
    for (const auto& r : rows) mirrored = mirrored || r.reversed;
    for (const auto& c : cols) mirrored = mirrored || c.reversed;
    for (const auto& r : rows)
        for (const auto& c : cols) {
            auto a = full.narrow(2, r.reversed ? r.source - r.length + 1 : r.source, r.length)
                         .narrow(3, c.reversed ? c.source - c.length + 1 : c.source, c.length);
            auto b = tile.narrow(2, r.tile, r.length).narrow(3, c.tile, c.length);
            std::vector<int64_t> flips;
            if (r.reversed) flips.push_back(2);
            if (c.reversed) flips.push_back(3);
            if (intoTile)
                b.copy_(flips.empty() ? a : a.flip(flips));
            else if (mirrored)
                a.add_(flips.empty() ? b : b.flip(flips));
            else
                a.copy_(b);
        }
}

// One tile of the rolled image: where its rows and columns come from, and its place.
struct Tile {
    std::vector<Piece> rows, cols;
    TileInfo info;
};

std::vector<Tile> tilesOf(int64_t H, int64_t W, const GradientRequest& r) {
    std::vector<Tile> tiles;
    if (r.mirrorRoll && H <= r.tileSize && W <= r.tileSize) {
        Tile t{mirroredPieces(0, H, r.rollY, H), mirroredPieces(0, W, r.rollX, W),
               TileInfo{H, W, H, W}};
        t.info.top = t.rows.front().source;
        t.info.left = t.cols.front().source;
        tiles.push_back(std::move(t));
        return tiles;
    }
    for (const auto& [ty, th] : tileSpans(H, r.tileSize))
        for (const auto& [tx, tw] : tileSpans(W, r.tileSize))
        // A grid starting at g over the image rolled by r cuts the image rolled by r - g at
        // the grid's own lines.
        {
            Tile t{wrappedPieces(ty, th, r.rollY - r.gridY, H),
                   wrappedPieces(tx, tw, r.rollX - r.gridX, W), TileInfo{th, tw, H, W}};
            t.info.top = t.rows.front().source;
            t.info.left = t.cols.front().source;
            tiles.push_back(std::move(t));
        }
    return tiles;
}

std::vector<torch::Tensor> pick(const std::vector<torch::Tensor>& acts,
                                const std::vector<size_t>& slots) {
    std::vector<torch::Tensor> picked;
    for (size_t s : slots) picked.push_back(acts[s]);
    return picked;
}

}  // namespace

std::vector<TileInfo> tileLayout(int64_t h, int64_t w, const GradientRequest& request) {
    std::vector<TileInfo> layout;
    for (const Tile& t : tilesOf(h, w, request)) layout.push_back(t.info);
    return layout;
}

int tileCount(int64_t h, int64_t w, int64_t tileSize) {
    return static_cast<int>(((h + tileSize - 1) / tileSize) * ((w + tileSize - 1) / tileSize));
}

double objectiveGradient(const Network& net, const Objective& objective, const torch::Tensor& image,
                         torch::Tensor& grad, const GradientRequest& request) {
    const auto& impl = net.impl();
    const auto& terms = objective.terms();
    const auto nodes = objective.nodes();
    const auto slots = objective.termSlots();
    const auto tiles = tilesOf(image.size(2), image.size(3), request);
    if (request.mirrorRoll) {
        // Rows and columns shifted out of the one tile get no gradient this step.
        torch::NoGradGuard noGrad;
        grad.zero_();
    }
    auto cut = [&](const Tile& t) {
        if (request.cancel.cancelled()) throw Error(ErrorKind::Cancelled, "dream cancelled");
        auto x = torch::empty({1, 3, t.info.height, t.info.width},
                              image.options().memory_format(torch::MemoryFormat::ChannelsLast));
        copyTile(image, x, t.rows, t.cols, true);
        return x;
    };
    auto run = [&](const torch::Tensor& x) {
        const torch::Tensor seen = request.transform ? request.transform(x) : x;
        return impl.forward(impl.preprocess(seen).contiguous(torch::MemoryFormat::ChannelsLast),
                            nodes);
    };

    // One tile with global terms: the statistic is the tile's own, so one forward pass with
    // the gradient serves both passes (the same loss and gradient, a forward pass fewer).
    if (tiles.size() == 1 && objective.hasGlobalTerms()) {
        const Tile& t = tiles.front();
        auto x = cut(t);
        x.requires_grad_(true);
        const auto acts = run(x);
        torch::Tensor total;
        for (size_t i = 0; i < terms.size(); ++i) {
            const auto picked = pick(acts, slots[i]);
            auto l =
                terms[i].term->global()
                    ? static_cast<const GlobalTerm&>(*terms[i].term)
                          .loss(static_cast<const GlobalTerm&>(*terms[i].term)
                                    .tileStatistic(picked, t.info))
                    : static_cast<const AdditiveTerm&>(*terms[i].term).tileLoss(picked, t.info);
            l = l * terms[i].weight;
            total = total.defined() ? total + l : l;
        }
        total.backward();
        torch::NoGradGuard noGrad;
        copyTile(grad, x.grad(), t.rows, t.cols, false);
        if (request.tileDone) request.tileDone(1, 1);
        return total.item<double>();
    }

    // Pass one, for global terms only: their statistics summed over all tiles.
    std::vector<torch::Tensor> statisticGrads(terms.size());
    double loss = 0;
    if (objective.hasGlobalTerms()) {
        std::vector<torch::Tensor> statistics(terms.size());
        {
            torch::NoGradGuard noGrad;
            for (const Tile& t : tiles) {
                const auto acts = run(cut(t));
                for (size_t i = 0; i < terms.size(); ++i) {
                    if (!terms[i].term->global()) continue;
                    const auto& term = static_cast<const GlobalTerm&>(*terms[i].term);
                    auto s = term.tileStatistic(pick(acts, slots[i]), t.info);
                    statistics[i] = statistics[i].defined() ? statistics[i] + s : s;
                }
            }
        }
        // Each global loss once, and its gradient with respect to the whole statistic.
        for (size_t i = 0; i < terms.size(); ++i) {
            if (!statistics[i].defined()) continue;
            auto s = statistics[i].detach().requires_grad_(true);
            const auto& term = static_cast<const GlobalTerm&>(*terms[i].term);
            auto l = term.loss(s) * terms[i].weight;
            l.backward();
            statisticGrads[i] = s.grad();
            loss += l.item<double>();
        }
    }

    // Pass two: every tile back-propagated, additive terms by their own loss, global terms
    // against the gradient of their statistic.
    int done = 0;
    for (const Tile& t : tiles) {
        auto x = cut(t);
        x.requires_grad_(true);
        const auto acts = run(x);
        torch::Tensor additive;
        for (size_t i = 0; i < terms.size(); ++i) {
            if (terms[i].term->global()) continue;
            const auto& term = static_cast<const AdditiveTerm&>(*terms[i].term);
            auto l = term.tileLoss(pick(acts, slots[i]), t.info) * terms[i].weight;
            additive = additive.defined() ? additive + l : l;
        }
        // Each tile's additive loss counts by its share of the image, so the tiles add up to
        // the loss of the whole image.
        torch::Tensor weighted, total;
        if (additive.defined()) total = weighted = additive * t.info.share();
        for (size_t i = 0; i < terms.size(); ++i) {
            if (!statisticGrads[i].defined()) continue;
            const auto& term = static_cast<const GlobalTerm&>(*terms[i].term);
            auto surrogate =
                (term.tileStatistic(pick(acts, slots[i]), t.info) * statisticGrads[i]).sum();
            total = total.defined() ? total + surrogate : surrogate;
        }
        if (!total.defined()) throw Error(ErrorKind::Parameter, "the objective has no terms");
        total.backward();
        torch::NoGradGuard noGrad;
        copyTile(grad, x.grad(), t.rows, t.cols, false);
        if (weighted.defined()) loss += weighted.item<double>();
        ++done;
        if (request.tileDone) request.tileDone(done, static_cast<int>(tiles.size()));
    }
    return loss;
}

}  // namespace inceptionist
