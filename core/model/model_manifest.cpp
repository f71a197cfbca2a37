#include "core/model/model_manifest.h"

#include <fstream>

#include <nlohmann/json.hpp>

#include "core/params/errors.h"

namespace inceptionist {
using nlohmann::json;

const char* preprocessingName(Preprocessing p) {
    switch (p) {
        case Preprocessing::MinusOneToOne:
            return "tf";
        case Preprocessing::Caffe:
            return "caffe";
        case Preprocessing::Torch:
            return "torch";
        case Preprocessing::Unit:
            return "unit";
    }
    return "tf";
}

ModelManifest readModelManifest(const std::filesystem::path& dir) {
    ModelManifest m;
    m.id = dir.filename().string();
    if (m.id.empty()) m.id = dir.parent_path().filename().string();
    m.displayName = m.id;
    const auto file = dir / "manifest.json";
    if (!std::filesystem::exists(file)) return m;
    std::ifstream in(file);
    try {
        const json doc = json::parse(in);
        m.displayName = doc.value("display_name", m.id);
        m.description = doc.value("description", std::string());
        const std::string pre = doc.value("preprocessing", std::string("tf"));
        if (pre == "tf")
            m.preprocessing = Preprocessing::MinusOneToOne;
        else if (pre == "caffe")
            m.preprocessing = Preprocessing::Caffe;
        else if (pre == "torch")
            m.preprocessing = Preprocessing::Torch;
        else if (pre == "unit")
            m.preprocessing = Preprocessing::Unit;
        else
            throw Error(ErrorKind::Model, file.string() + ": unknown preprocessing '" + pre + "'");
        for (const auto& l : doc.value("layers", json::array())) {
            m.layers.push_back({l.at("name").get<std::string>(), l.value("channels", 0),
                                l.value("imagenet", true), l.value("note", std::string())});
        }
        m.defaultLayers = doc.value("default_layers", std::vector<std::string>());
        const json prov = doc.value("provenance", json::object());
        m.source = prov.value("source", std::string());
        m.licence = prov.value("licence", std::string());
        m.copyright = prov.value("copyright", std::string());
        m.classes = doc.value("classes", std::vector<std::string>());
    } catch (const json::exception& e) {
        throw Error(ErrorKind::Model, file.string() + ": malformed manifest: " + e.what());
    }
    return m;
}

}  // namespace inceptionist
