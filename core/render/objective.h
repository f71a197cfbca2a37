#pragma once
// The seam for what a picture optimises. An Objective is a weighted list of terms; each term
// reads the activations of some layers on an image or a tile of it and says how tiles combine:
//
// - An AdditiveTerm (layer activations, channels, a guide image) adds up over tiles: each
//   tile's loss is weighted by the tile's share of the image, and the tiles' gradients are the
//   whole image's gradient. This is the per-tile evaluation dreams have always used.
// - A GlobalTerm (a Gram matrix over the whole image, a class logit after global pooling)
//   depends on a statistic of the whole image. It is evaluated in two passes: the statistic is
//   summed over all tiles, the loss and its gradient with respect to the statistic are formed
//   once, and each tile is then back-propagated against that gradient. Because the statistic is
//   a sum over tiles, this is the exact chain rule: the tiled gradient is the untiled one.
//
// To add an objective, derive a term here (core/render/objectives.cpp holds the built-in ones)
// and add it to an Objective; the dreamer, the explorer and the tests use it unchanged.
//
// Engine-private: includes libtorch. Terms are prepared once (prepare()) and then only read, so
// one Objective may serve every tile, octave and frame of a dream.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/engine/network_impl.h"
#include "core/params/cancel_token.h"
#include "core/params/dream_params.h"

namespace inceptionist {

// Where a tile lies in the image it was cut from (after the step's roll).
struct TileInfo {
    int64_t height = 0, width = 0;          // the tile
    int64_t fullHeight = 0, fullWidth = 0;  // the whole image at this octave
    // The image pixel (row, column) the tile's first pixel shows: the tile is the image rolled
    // by (-top, -left) cut at its corner. Terms with a target of their own (a style transfer's
    // photo features) read the same place of it.
    int64_t top = 0, left = 0;
    double share() const {
        return static_cast<double>(height * width) / static_cast<double>(fullHeight * fullWidth);
    }
};

class ObjectiveTerm {
public:
    virtual ~ObjectiveTerm() = default;
    // Graph nodes whose activations the term reads; they arrive in this order.
    virtual std::vector<int> nodes() const = 0;
    virtual bool global() const = 0;
    // Set-up that needs the network once (guide features, a style's statistics). Honours
    // `cancel` by throwing Error(Cancelled).
    virtual void prepare(const Network& net, const CancelToken& cancel) {}
    virtual std::string describe() const = 0;
};

class AdditiveTerm : public ObjectiveTerm {
public:
    bool global() const final { return false; }
    // The term's loss on one tile, scaled so that the tiles of an image add up to its loss.
    virtual torch::Tensor tileLoss(const std::vector<torch::Tensor>& acts,
                                   const TileInfo& tile) const = 0;
};

class GlobalTerm : public ObjectiveTerm {
public:
    bool global() const final { return true; }
    // A statistic of one tile that sums over the tiles to the whole image's statistic.
    virtual torch::Tensor tileStatistic(const std::vector<torch::Tensor>& acts,
                                        const TileInfo& tile) const = 0;
    // The term's loss for the whole image's statistic.
    virtual torch::Tensor loss(const torch::Tensor& statistic) const = 0;
};

struct WeightedTerm {
    std::shared_ptr<ObjectiveTerm> term;
    double weight = 1.0;
};

class Objective {
public:
    // Maximise for dreams (gradient ascent); minimise for losses such as a style's distance.
    enum class Direction { Maximise, Minimise };

    Objective() = default;
    explicit Objective(std::vector<WeightedTerm> terms, Direction direction = Direction::Maximise)
        : terms_(std::move(terms)), direction_(direction) {}

    void add(std::shared_ptr<ObjectiveTerm> term, double weight = 1.0) {
        terms_.push_back({std::move(term), weight});
    }
    const std::vector<WeightedTerm>& terms() const { return terms_; }
    Direction direction() const { return direction_; }
    bool hasGlobalTerms() const;

    // Every node any term reads, each once, and where each term's nodes are in that list.
    std::vector<int> nodes() const;
    std::vector<std::vector<size_t>> termSlots() const;

    // Prepares every term for `net`. Terms hold node indices and targets of one network: an
    // objective prepared for one network and then for another throws std::logic_error.
    void prepare(const Network& net, const CancelToken& cancel) const;

private:
    std::vector<WeightedTerm> terms_;
    Direction direction_ = Direction::Maximise;
    mutable const Network* preparedFor_ = nullptr;
};

// The dream objective of `params`: for each layer, the mean squared activation (of its chosen
// channels), or with a guide image, the best match of each position's features with the guide's;
// weighted by the layer's weight. In mode "class", the class logit term of `params.classes`
// instead. Throws Error(Parameter) for unknown layers, channels or classes, and for class mode on
// a model without a classifier head.
Objective dreamObjective(const Network& net, const DreamParams& params);

// Built-in terms, for objectives put together by hand.
std::shared_ptr<ObjectiveTerm> layerActivationTerm(const Network& net, const std::string& layer,
                                                   const std::vector<int>& channels = {});
// The pre-softmax logits of `classes` (names or indices, core/model/class_names.h) of the
// model's classifier head (core/model/classifier_head.h), weighted, optionally minus the mean
// logit of the other classes: maximised.
std::shared_ptr<ObjectiveTerm> classLogitTerm(const Network& net,
                                              const std::vector<ClassObjective>& classes,
                                              bool minusOthers = false);
// Matches the Gram matrices (channel correlations, normalised by positions) of `layer` to those
// of `style` (CV_32FC3 RGB in [0, 1]): a global term, minimised.
std::shared_ptr<ObjectiveTerm> gramMatchTerm(const Network& net, const std::string& layer,
                                             const cv::Mat& style);

// The gradient of `objective` with respect to the pixels of `image` (1×3×H×W, RGB in [0, 1]),
// evaluated tile by tile on a grid of tiles no larger than `tileSize` over the image rolled by
// (dy, dx), written into `grad` (same shape). Returns the objective's value. `tileDone` is
// called after each tile of the last pass with (tiles done, tiles).
struct GradientRequest {
    int64_t tileSize = 512;
    int64_t rollY = 0, rollX = 0;
    // The tile grid's start over the rolled image (0: at its corner). Changes nothing when one
    // tile covers the image.
    int64_t gridY = 0, gridX = 0;
    // Where one tile covers the image: shift it by the roll with its edges mirrored into the
    // rows and columns it leaves, instead of wrapping the opposite edge round. A wrapped roll
    // sets the bottom edge against the top one, and low layers answer the false edge there
    // with a band of blobs along the image's border (fault 9). Rows and columns shifted out
    // get no gradient that step; mirrored ones add theirs to the pixels they mirror.
    bool mirrorRoll = false;
    std::function<void(int, int)> tileDone;
    CancelToken cancel;
    // Applied to each tile (1×3×h×w, RGB in [0, 1]) before the network sees it, and
    // differentiated through: the random zoom and rotation that regularise class pictures.
    std::function<torch::Tensor(const torch::Tensor&)> transform;
};
double objectiveGradient(const Network& net, const Objective& objective, const torch::Tensor& image,
                         torch::Tensor& grad, const GradientRequest& request);

// Number of tiles objectiveGradient cuts an h×w image into.
int tileCount(int64_t h, int64_t w, int64_t tileSize);
// The tiles objectiveGradient cuts an h×w image into for `request`, in its order.
std::vector<TileInfo> tileLayout(int64_t h, int64_t w, const GradientRequest& request);

}  // namespace inceptionist
