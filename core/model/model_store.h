#pragma once
// Where the installed models live and which are there. The folder is, in order: the one the
// caller names (the CLI's --models-dir), $INCEPTIONIST_MODELS, the build tree's `models/`,
// and `../share/inceptionist/models` beside the executable for an installed copy.

#include <filesystem>
#include <string>
#include <vector>

#include "core/model/model_manifest.h"

namespace inceptionist {

std::filesystem::path modelsDirectory(const std::string& override = {});

// Manifests of the models under `dir` (each a folder with a model.json), sorted by id.
std::vector<ModelManifest> installedModels(const std::filesystem::path& dir);

// `dir/<id>`; throws Error(Model) naming the folder and the models that are there.
std::filesystem::path modelPath(const std::filesystem::path& dir, const std::string& id);

}  // namespace inceptionist
