#pragma once
// The explorer's small dreams: one per offered layer, or one per channel of a layer, class,
// seed or strength (step size × steps), each at thumbnail size with the current settings
// otherwise; and the contact sheet that lays them
// out with their labels. Shared by the window's explorer and `inceptionist-cli sheet`.

#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/model/model_manifest.h"
#include "core/params/dream_params.h"

namespace inceptionist {

constexpr int kThumbnailSize = 192;  // long side of an explorer thumbnail

struct Thumbnail {
    std::string label;  // "mixed4" or "mixed4 #97"
    DreamParams params;
};

// One thumbnail per offered layer of `model`, ImageNet feature layers first.
std::vector<Thumbnail> layerThumbnails(const DreamParams& base, const ModelManifest& model,
                                       int size = kThumbnailSize);

// One thumbnail per named layer, in the order given.
std::vector<Thumbnail> layerThumbnails(const DreamParams& base,
                                       const std::vector<std::string>& layers,
                                       int size = kThumbnailSize);

// Channels of `layer` ordered strongest first by their mean activation.
std::vector<int> rankChannels(const std::vector<float>& means);

// Thumbnails for `channels[first, first + count)` of `layer`.
std::vector<Thumbnail> channelThumbnails(const DreamParams& base, const std::string& layer,
                                         const std::vector<int>& channels, size_t first,
                                         size_t count, int size = kThumbnailSize);

// One thumbnail per class (a name or an index, as `--class` takes them): that class drawn alone
// with weight 1 (mode "class"), with the other settings of `base`, labelled with the class.
std::vector<Thumbnail> classThumbnails(const DreamParams& base,
                                       const std::vector<std::string>& classes,
                                       int size = kThumbnailSize);

// The long side of a class thumbnail of a `width`×`height` image: `size`, or more where the
// model's head needs each side to be at least `minimumSide` (a head on a flattened map).
int classThumbnailSide(int size, int minimumSide, int width, int height);

// ImageNet classes that draw well-known, recognisable things, for the class grid's first page.
const std::vector<std::string>& wellKnownImagenetClasses();

// The title line of a contact sheet: model, image file, and which layers or channels it shows
// (`channelsOf` empty: a sheet of layers).
std::string sheetTitle(const std::string& model, const std::string& image,
                       const std::string& channelsOf);

// Variations of the current parameters `base`, everything else as it is (layers, mode, class):
// one thumbnail per seed, labelled "seed N".
std::vector<Thumbnail> seedThumbnails(const DreamParams& base, const std::vector<uint64_t>& seeds,
                                      int size = kThumbnailSize);

// `count` seeds for a seed grid: `first`, then the ones after it.
std::vector<uint64_t> variationSeeds(uint64_t first, int count);

// The step sizes and step counts of a strength grid around `base`'s: half, the same and twice
// each (kept in the parameters' ranges; repeats, as at one step, left out), smallest first.
std::vector<double> strengthStepSizes(double stepSize);
std::vector<int> strengthStepCounts(int steps);

// One thumbnail per step size × steps, row by row: a row per step count, a column per step size
// (so a sheet of strengthStepSizes().size() columns has step size growing to the right and steps
// growing downwards), labelled "0.01 x 10" (step size x steps).
std::vector<Thumbnail> strengthThumbnails(const DreamParams& base,
                                          const std::vector<double>& stepSizes,
                                          const std::vector<int>& stepCounts,
                                          int size = kThumbnailSize);

// The label of a strength cell: "0.01 x 10".
std::string strengthLabel(double stepSize, int steps);

// A labelled grid of `cells` (CV_32FC3 RGB) under a title line, `columns` wide. The labels are
// drawn with OpenCV's Hershey font: ASCII only.
cv::Mat contactSheet(const std::vector<cv::Mat>& cells, const std::vector<std::string>& labels,
                     const std::string& title, int columns);

}  // namespace inceptionist
