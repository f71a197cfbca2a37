#pragma once
// The objective terms of a style transfer (Gatys, Ecker and Bethge 2015), on the engine's
// objective seam (core/render/objective.h), and the statistics they compare:
//
// - the style term: the Gram matrix of a layer's features, F Fᵀ / (H W), matched to a target
//   Gram (a painting's, or a weighted blend of several paintings'), as the squared distance
//   relative to the target's own squared norm, so one weight suits every layer and network.
//   A global term: F Fᵀ and the number of positions sum over tiles, so tiled is exact.
// - the content term: the squared distance of a layer's features to the photo's at the same
//   place, relative to the photo's squared norm. An additive term: each tile compares with the
//   photo's features of the same tile, computed once when the term is made.
//
// Engine-private: includes libtorch.

#include <map>
#include <memory>
#include <tuple>

#include "core/render/objective.h"

namespace inceptionist {

// F Fᵀ (C×C) of a layer's activations F (1×C×H×W, as C×HW).
torch::Tensor gramProduct(const torch::Tensor& activations);
// F Fᵀ of a layer's activations (1×C×H×W) and the number of positions, in one vector
// (C·C + 1 entries) that sums over tiles.
torch::Tensor gramStatistic(const torch::Tensor& activations);
// The Gram matrix F Fᵀ / (H W) (C×C) of a statistic.
torch::Tensor gramOf(const torch::Tensor& statistic);

// The Gram statistics of `nodes` for `rgb` (1×3×H×W in [0, 1]), summed over the tiles of
// `tileSize` (untiled when the image fits one), without gradients. Throws Error(Cancelled)
// before a tile once `cancel` is.
std::vector<torch::Tensor> gramStatistics(const Network& net, const std::vector<int>& nodes,
                                          const torch::Tensor& rgb, int64_t tileSize,
                                          const CancelToken& cancel = {});

// ‖G(x) − target‖² / ‖target‖² for the Gram matrix of `node`.
std::shared_ptr<GlobalTerm> relativeGramTerm(int node, std::string layer, torch::Tensor target);

// ‖F(x) − F(photo)‖² / ‖F(photo)‖² at `node`, summed over the tiles of `layout` (the request
// the objective will be evaluated with: its tiles must be the ones the term sees). The photo's
// features are kept as `storage` (half precision halves them on large prints; they are
// compared in the activations' own precision).
std::shared_ptr<AdditiveTerm> contentTerm(const Network& net, int node, std::string layer,
                                          const torch::Tensor& photo, const GradientRequest& layout,
                                          torch::ScalarType storage = torch::kFloat);

// Mean squared difference of neighbouring pixels, across and down (total variation).
torch::Tensor totalVariation(const torch::Tensor& rgb);
// Adds `weight` × the gradient of totalVariation(rgb) to `grad`, a band of rows at a time (no
// temporary the size of the picture); returns `weight` × its value.
double addTotalVariationGradient(const torch::Tensor& rgb, torch::Tensor& grad, double weight);

}  // namespace inceptionist
