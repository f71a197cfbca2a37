#include "core/model/model_store.h"

#include <algorithm>
#include <cstdlib>

#include <unistd.h>

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

std::vector<ModelManifest> installedModels(const fs::path& dir) {
    std::vector<ModelManifest> models;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.is_directory() && fs::exists(entry.path() / "model.json"))
            models.push_back(readModelManifest(entry.path()));
    std::sort(models.begin(), models.end(),
              [](const auto& a, const auto& b) { return a.id < b.id; });
    return models;
}

fs::path modelPath(const fs::path& dir, const std::string& id) {
    if (fs::exists(fs::path(id) / "model.json")) return id;  // a folder given directly
    const fs::path p = dir / id;
    if (fs::exists(p / "model.json")) return p;
    std::string known;
    for (const auto& m : installedModels(dir)) known += (known.empty() ? "" : ", ") + m.id;
    throw Error(ErrorKind::Model,
                "model '" + id + "' is not installed in " + dir.string() +
                    (known.empty() ? " (no models there; run models/fetch-models.sh)"
                                   : " (installed: " + known + ")"));
}

}  // namespace inceptionist
