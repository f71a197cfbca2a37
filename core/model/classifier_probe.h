#pragma once
// Whether a model can draw classes, found without loading it: the window shows its class picker
// and class grid only for models with a classifier head, and learns that when it lists the
// models, where a full import of each (weights and all) would be far too slow.

#include <filesystem>
#include <vector>

#include "core/model/model_manifest.h"

namespace inceptionist {

struct ClassifierHeadFacts {
    int classes = 0;      // 0: no head
    int minimumSide = 0;  // a head on a flattened feature map needs the declared input size
};

// The classifier head of the model at `path` (a folder or a model file), read from its topology
// alone: the Dense layer before the final softmax (or ending the model), as findClassifierHead
// finds it in the full graph; and, where the model flattens a feature map on the way to it, the
// side its input declares, which a picture of a class needs at least. No classes where there is
// no head, where the file cannot be read, and for Keras weights-only files (their head is known
// only once matched).
ClassifierHeadFacts probeClassifierHead(const std::filesystem::path& path);
inline int classifierHeadClasses(const std::filesystem::path& path) {
    return probeClassifierHead(path).classes;
}

// Sets each model's `headClasses` and `headMinimumSide` from the model folder of that id under
// `dir` (modelPath).
void findClassifierHeads(std::vector<ModelManifest>& models, const std::filesystem::path& dir);

}  // namespace inceptionist
