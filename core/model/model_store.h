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

// A model folder that could not be offered, and why.
struct ModelProblem {
    std::filesystem::path folder;
    std::string problem;  // the error message, naming the file at fault
};

// Manifests of the models under `dir` (each a folder holding a file importModel reads), sorted
// by id. A folder whose manifest, model file or weight shards are broken is left out and, where
// `problems` is given, reported there (sorted by folder), so one bad model never hides the
// others.
std::vector<ModelManifest> installedModels(const std::filesystem::path& dir,
                                           std::vector<ModelProblem>* problems = nullptr);

// installedModels of `dir` followed by those the user added (userModelsDirectory(),
// core/model/model_install.h), each sorted by id; problems of both.
std::vector<ModelManifest> availableModels(const std::filesystem::path& dir,
                                           std::vector<ModelProblem>* problems = nullptr);

// `dir/<id>`, else the user's model folder's `<id>`; throws Error(Model) naming the folder and
// the models that are there.
std::filesystem::path modelPath(const std::filesystem::path& dir, const std::string& id);

}  // namespace inceptionist
