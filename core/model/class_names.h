#pragma once
// Names of the classes a classifier head tells apart, and looking a class up by name or index.
// ImageNet's 1000 names ship with the program (resources/imagenet-classes.txt, torchvision's
// list, BSD-3-Clause, built into the library); a model's manifest may name its own head's.

#include <string>
#include <vector>

#include "core/model/model_manifest.h"

namespace inceptionist {

// ImageNet's 1000 class names in index order ("tench", "goldfish", …, "toilet tissue").
const std::vector<std::string>& imagenetClassNames();

// The names of a head of `count` classes: the manifest's where it gives `count` of them,
// ImageNet's for 1000 classes, else none (classes are then known by index only).
std::vector<std::string> classNamesFor(const ModelManifest& manifest, int count);

// The index of `spec` among `count` classes called `names` (possibly none): a number from 0 to
// count - 1, or a name, compared without regard to case and with '_' and ' ' alike. Throws
// Error(Parameter) naming `spec`, with the names that contain it where there are some.
int classIndex(const std::vector<std::string>& names, int count, const std::string& spec);

}  // namespace inceptionist
