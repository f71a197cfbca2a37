#include "core/model/model_store.h"

#include <algorithm>
#include <cstdlib>

#include <unistd.h>

#include "core/model/importer.h"
#include "core/model/model_install.h"
#include "core/params/errors.h"

#ifndef INCEPTIONIST_DEFAULT_MODELS_DIR
#define INCEPTIONIST_DEFAULT_MODELS_DIR ""
#endif

namespace inceptionist {
namespace fs = std::filesystem;

fs::path modelsDirectory(const std::string& override) {
    if (!override.empty()) return override;
    if (const char* env = std::getenv("INCEPTIONIST_MODELS"); env && *env) return env;
    const fs::path built = INCEPTIONIST_DEFAULT_MODELS_DIR;
    if (!built.empty() && fs::is_directory(built)) return built;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path installed =
            exe.parent_path().parent_path() / "share" / "inceptionist" / "models";
        if (fs::is_directory(installed)) return installed;
    }
    return built;
}

std::vector<ModelManifest> installedModels(const fs::path& dir,
                                           std::vector<ModelProblem>* problems) {
    std::vector<ModelManifest> models;
    std::vector<ModelProblem> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (!entry.is_directory(ec)) continue;
        if (entry.path().filename().string().front() == '.') continue;  // being added or removed
        const fs::path file = findModelFile(entry.path());
        if (file.empty()) continue;  // not a model folder
        try {
            ModelManifest manifest = readModelManifest(entry.path());
            checkModelFiles(file);
            models.push_back(std::move(manifest));
        } catch (const Error& e) {
            found.push_back({entry.path(), e.what()});
        }
    }
    std::sort(models.begin(), models.end(),
              [](const auto& a, const auto& b) { return a.id < b.id; });
    std::sort(found.begin(), found.end(),
              [](const auto& a, const auto& b) { return a.folder < b.folder; });
    if (problems) *problems = std::move(found);
    return models;
}

std::vector<ModelManifest> availableModels(const fs::path& dir,
                                           std::vector<ModelProblem>* problems) {
    std::vector<ModelProblem> installedProblems, addedProblems;
    auto models = installedModels(dir, &installedProblems);
    const fs::path user = userModelsDirectory();
    std::error_code ec;
    if (!fs::equivalent(user, dir, ec))  // the same folder is listed once
        for (auto& m : installedModels(user, &addedProblems)) models.push_back(std::move(m));
    if (problems) {
        *problems = std::move(installedProblems);
        problems->insert(problems->end(), addedProblems.begin(), addedProblems.end());
    }
    return models;
}

fs::path modelPath(const fs::path& dir, const std::string& id) {
    if (fs::is_directory(id) && !findModelFile(id).empty()) return id;  // a folder given directly
    const fs::path p = dir / id;
    if (!findModelFile(p).empty()) return p;
    if (id.find('/') == std::string::npos && !id.empty() && id.front() != '.') {
        const fs::path added = userModelsDirectory() / id;
        if (!findModelFile(added).empty()) return added;
    }
    std::string known;
    for (const auto& m : installedModels(dir)) known += (known.empty() ? "" : ", ") + m.id;
    throw Error(ErrorKind::Model,
                "model '" + id + "' is not installed in " + dir.string() +
                    (known.empty() ? " (no models there; run models/fetch-models.sh)"
                                   : " (installed: " + known + ")"));
}

}  // namespace inceptionist
