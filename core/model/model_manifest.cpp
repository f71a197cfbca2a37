#include "core/model/model_manifest.h"

#include <fstream>

#include <nlohmann/json.hpp>

#include "core/io/atomic_file.h"
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
            return "imagenet";
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
        try {
            m.preprocessing = parsePreprocessing(pre);
        } catch (const Error&) {
            throw Error(ErrorKind::Model, file.string() + ": unknown preprocessing '" + pre + "'");
        }
        m.inputSize = doc.value("input_size", 0);
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

Preprocessing parsePreprocessing(const std::string& name) {
    if (name == "tf") return Preprocessing::MinusOneToOne;
    if (name == "caffe") return Preprocessing::Caffe;
    if (name == "imagenet" || name == "torch") return Preprocessing::Torch;
    if (name == "unit") return Preprocessing::Unit;
    throw Error(ErrorKind::Parameter,
                "unknown preprocessing '" + name + "' (expected caffe, imagenet, tf or unit)");
}

void writeModelManifest(const std::filesystem::path& dir, const ModelManifest& m) {
    json layers = json::array();
    for (const auto& l : m.layers) {
        json layer{{"name", l.name}, {"channels", l.channels}, {"imagenet", l.imagenet}};
        if (!l.note.empty()) layer["note"] = l.note;
        layers.push_back(layer);
    }
    json doc{
        {"display_name", m.displayName},
        {"description", m.description},
        {"preprocessing", preprocessingName(m.preprocessing)},
        {"layers", layers},
        {"default_layers", m.defaultLayers},
        {"provenance", {{"source", m.source}, {"licence", m.licence}, {"copyright", m.copyright}}}};
    if (m.inputSize > 0) doc["input_size"] = m.inputSize;
    const std::string text = doc.dump(2) + "\n";
    AtomicFile out((dir / "manifest.json").string());
    out.write(reinterpret_cast<const unsigned char*>(text.data()), text.size());
    out.commit();
}

}  // namespace inceptionist
