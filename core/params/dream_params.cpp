#include "core/params/dream_params.h"

#include <cmath>
#include <fstream>
#include <set>

#include "core/params/errors.h"

namespace inceptionist {
using nlohmann::json;

namespace {

[[noreturn]] void bad(const std::string& what) { throw Error(ErrorKind::Parameter, what); }

template <typename T>
void checkRange(const char* name, T value, T lo, T hi) {
    if (!(value >= lo && value <= hi))
        bad(std::string(name) + " is " + std::to_string(value) + "; it must be between " +
            std::to_string(lo) + " and " + std::to_string(hi));
}

}  // namespace

void DreamParams::validate() const {
    if (model.empty()) bad("model is empty");
    if (layers.empty()) bad("at least one layer is needed");
    for (const auto& l : layers) {
        if (l.name.empty()) bad("a layer name is empty");
        if (!std::isfinite(l.weight))
            bad("layer " + l.name + " has a weight that is not a finite number");
        for (int c : l.channels)
            if (c < 0) bad("layer " + l.name + " has a negative channel index");
    }
    checkRange("octaves", octaves, 1, 16);
    checkRange("octave_scale", octaveScale, 1.01, 4.0);
    checkRange("steps", steps, 0, 10000);
    checkRange("step_size", stepSize, 1e-6, 1.0);
    checkRange("jitter", jitter, 0, 4096);
    checkRange("working_size", workingSize, 16, 32768);
    checkRange("tile_size", tileSize, 64, 8192);
}

json DreamParams::toJson() const {
    json ls = json::array();
    for (const auto& l : layers) {
        json o{{"name", l.name}, {"weight", l.weight}};
        if (!l.channels.empty()) o["channels"] = l.channels;
        ls.push_back(o);
    }
    return json{{"schema", kSchema},
                {"model", model},
                {"layers", ls},
                {"octaves", octaves},
                {"octave_scale", octaveScale},
                {"steps", steps},
                {"step_size", stepSize},
                {"jitter", jitter},
                {"seed", seed},
                {"working_size", workingSize},
                {"start_from_noise", startFromNoise},
                {"guide_image", guideImage},
                {"device", device},
                {"tile_size", tileSize}};
}

DreamParams DreamParams::fromJson(const json& j) {
    if (!j.is_object()) bad("dream parameters must be a JSON object");
    static const std::set<std::string> known = {
        "schema",    "model",    "layers", "octaves",      "octave_scale",     "steps",
        "step_size", "jitter",   "seed",   "working_size", "start_from_noise", "guide_image",
        "device",    "tile_size"};
    for (const auto& [key, value] : j.items())
        if (!known.count(key)) bad("unknown parameter '" + key + "'");
    if (j.contains("schema") && j["schema"] != kSchema)
        bad("parameters use schema " + j["schema"].dump() + "; this version reads " + kSchema);
    DreamParams p;
    auto get = [&](const char* key, auto& field) {
        if (!j.contains(key)) return;
        try {
            j.at(key).get_to(field);
        } catch (const json::exception&) {
            bad(std::string("parameter '") + key + "' has the wrong type: " + j.at(key).dump());
        }
    };
    get("model", p.model);
    get("octaves", p.octaves);
    get("octave_scale", p.octaveScale);
    get("steps", p.steps);
    get("step_size", p.stepSize);
    get("jitter", p.jitter);
    get("seed", p.seed);
    get("working_size", p.workingSize);
    get("start_from_noise", p.startFromNoise);
    get("guide_image", p.guideImage);
    get("device", p.device);
    get("tile_size", p.tileSize);
    if (j.contains("layers")) {
        const json& ls = j["layers"];
        if (!ls.is_array()) bad("parameter 'layers' must be a list");
        p.layers.clear();
        for (const auto& l : ls) {
            LayerObjective o;
            try {
                if (l.is_string()) {
                    o.name = l.get<std::string>();
                } else {
                    o.name = l.at("name").get<std::string>();
                    o.weight = l.value("weight", 1.0);
                    o.channels = l.value("channels", std::vector<int>());
                }
            } catch (const json::exception&) {
                bad("a layer entry is malformed: " + l.dump());
            }
            p.layers.push_back(o);
        }
    }
    p.validate();
    return p;
}

DreamParams DreamParams::fromFile(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw Error(ErrorKind::Input, path + ": cannot open parameter file");
    try {
        return fromJson(json::parse(in));
    } catch (const json::parse_error& e) {
        throw Error(ErrorKind::Parameter, path + ": malformed JSON: " + e.what());
    } catch (const Error& e) {
        throw Error(e.kind(), path + ": " + e.what());
    }
}

}  // namespace inceptionist
