#pragma once
// Whether a model can draw classes, found without loading it: the window shows its class picker
// and class grid only for models with a classifier head, and learns that when it lists the
// models, where a full import of each (weights and all) would be far too slow.

#include <filesystem>
#include <vector>

#include "core/model/model_manifest.h"

namespace inceptionist {

// The number of classes of the classifier head of the model at `path` (a folder or a model
// file), read from its topology alone: the Dense layer before the final softmax (or ending the
// model), as findClassifierHead finds it in the full graph. 0 where there is none, where the file
// cannot be read, and for Keras weights-only files (their head is known only once matched).
int classifierHeadClasses(const std::filesystem::path& path);

// Sets each model's `headClasses` from the model folder of that id under `dir` (modelPath).
void findClassifierHeads(std::vector<ModelManifest>& models, const std::filesystem::path& dir);

}  // namespace inceptionist
