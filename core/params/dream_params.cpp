#include "core/params/dream_params.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <type_traits>

#include "core/params/dream_mask.h"
#include "core/params/errors.h"
#include "core/params/json_number.h"
#include "core/params/param_table.h"

namespace inceptionist {
using nlohmann::json;

namespace {

[[noreturn]] void bad(const std::string& what) { throw Error(ErrorKind::Parameter, what); }

void checkRange(const ParamSpec& spec, double value) {
    const ParamRange r = *spec.range;
    if (!(value >= r.min && value <= r.max))
        bad(std::string(spec.key) + " is " + formatNumber(value) + "; it must be between " +
            formatNumber(r.min) + " and " + formatNumber(r.max));
}

void validateLayers(const std::vector<LayerObjective>& layers) {
    if (layers.empty()) bad("at least one layer is needed");
    for (const auto& l : layers) {
        if (l.name.empty()) bad("a layer name is empty");
        if (!std::isfinite(l.weight))
            bad("layer " + l.name + " has a weight that is not a finite number");
        for (int c : l.channels)
            if (c < 0) bad("layer " + l.name + " has a negative channel index");
    }
}

json layersToJson(const std::vector<LayerObjective>& layers) {
    json ls = json::array();
    for (const auto& l : layers) {
        json o{{"name", l.name}, {"weight", l.weight}};
        if (!l.channels.empty()) o["channels"] = l.channels;
        ls.push_back(o);
    }
    return ls;
}

std::vector<LayerObjective> layersFromJson(const json& ls) {
    if (!ls.is_array()) bad("parameter 'layers' must be a list");
    std::vector<LayerObjective> layers;
    for (const auto& l : ls) {
        LayerObjective o;
        try {
            if (l.is_string()) {
                o.name = l.get<std::string>();
            } else {
                o.name = l.at("name").get<std::string>();
                o.weight = l.value("weight", 1.0);
                // Each channel an integer that fits: a JSON number such as 1e80 would not.
                for (const auto& c : l.value("channels", json::array())) {
                    using Limits = std::numeric_limits<int>;
                    const bool fits = c.is_number_unsigned()
                                          ? c.get<uint64_t>() <= uint64_t(Limits::max())
                                          : c.is_number_integer() &&
                                                c.get<int64_t>() >= Limits::min() &&
                                                c.get<int64_t>() <= Limits::max();
                    if (!fits) bad("a layer's channel is not a channel number: " + c.dump());
                    o.channels.push_back(c.get<int>());  // validate() checks the range
                }
            }
        } catch (const json::exception&) {
            bad("a layer entry is malformed: " + l.dump());
        }
        layers.push_back(o);
    }
    return layers;
}

void validateClasses(const std::vector<ClassObjective>& classes, const std::string& mode) {
    if (mode == "class" && classes.empty())
        bad("mode 'class' needs at least one class (classes, or --class NAME)");
    if (mode != "class" && !classes.empty())
        bad("classes are drawn in mode 'class'; mode is '" + mode + "'");
    for (const auto& c : classes) {
        if (c.name.empty()) bad("a class name is empty");
        if (!std::isfinite(c.weight))
            bad("class " + c.name + " has a weight that is not a finite number");
    }
}

json classesToJson(const std::vector<ClassObjective>& classes) {
    json cs = json::array();
    for (const auto& c : classes) cs.push_back({{"name", c.name}, {"weight", c.weight}});
    return cs;
}

std::vector<ClassObjective> classesFromJson(const json& cs) {
    if (!cs.is_array()) bad("parameter 'classes' must be a list");
    std::vector<ClassObjective> classes;
    for (const auto& c : cs) {
        ClassObjective o;
        try {
            if (c.is_string()) {
                o.name = c.get<std::string>();
            } else if (c.is_number_integer()) {
                o.name = std::to_string(c.get<int64_t>());
            } else {
                o.name = c.at("name").get<std::string>();
                o.weight = c.value("weight", 1.0);
            }
        } catch (const json::exception&) {
            bad("a class entry is malformed: " + c.dump());
        }
        classes.push_back(o);
    }
    return classes;
}

// The version of the schema a file declares; a file without one is from version 1, when
// presets were often written by hand without it.
int schemaVersion(const json& j) {
    if (!j.contains("schema")) return 1;
    const json& s = j["schema"];
    const std::string family = DreamParams::kSchemaFamily;
    const std::string reads = std::string("; this version reads ") + family + "1 to " + family +
                              std::to_string(DreamParams::kSchemaVersion);
    if (!s.is_string()) bad("parameters use schema " + s.dump() + reads);
    const std::string name = s.get<std::string>();
    const std::string number = name.substr(std::min(name.size(), family.size()));
    if (name.compare(0, family.size(), family) != 0 || number.empty() || number.size() > 6 ||
        number.find_first_not_of("0123456789") != std::string::npos || std::stoi(number) < 1)
        bad("parameters use schema " + s.dump() + reads);
    return std::stoi(number);
}

}  // namespace

void DreamParams::validate() const {
    for (const ParamSpec& spec : paramTable()) {
        if (spec.id == ParamId::Layers) {
            validateLayers(layers);
            continue;
        }
        if (spec.id == ParamId::Classes) {
            validateClasses(classes, mode);
            continue;
        }
        if (spec.id == ParamId::Style) {
            style.validate();
            continue;
        }
        if (spec.id == ParamId::Mask) {
            validateMaskText(mask);
            continue;
        }
        std::visit(
            [this, &spec](auto member) {
                using M = decltype(member);
                if constexpr (std::is_same_v<M, std::string DreamParams::*>) {
                    const std::string& value = this->*member;
                    if (spec.required && value.empty()) bad(std::string(spec.key) + " is empty");
                    if (!spec.choices.empty() && std::find(spec.choices.begin(), spec.choices.end(),
                                                           value) == spec.choices.end()) {
                        std::string known;
                        for (const auto& c : spec.choices) known += (known.empty() ? "" : ", ") + c;
                        bad(std::string(spec.key) + " is '" + value + "'; this version knows " +
                            known);
                    }
                } else if constexpr (std::is_same_v<M, int DreamParams::*> ||
                                     std::is_same_v<M, double DreamParams::*>) {
                    if (spec.range) checkRange(spec, static_cast<double>(this->*member));
                }
            },
            spec.member);
    }
}

json DreamParams::toJson() const {
    json j{{"schema", kSchema}};
    for (const ParamSpec& spec : paramTable()) {
        if (spec.id == ParamId::Layers) {
            j[spec.key] = layersToJson(layers);
            continue;
        }
        if (spec.id == ParamId::Classes) {
            if (!classes.empty()) j[spec.key] = classesToJson(classes);
            continue;
        }
        if (spec.id == ParamId::Style) {
            if (mode == "style") j[spec.key] = style.toJson();  // dreams' files stay as they were
            continue;
        }
        // Written only where used, so files without a blend or mask stay as they were.
        if ((spec.id == ParamId::Blend && blend == DreamParams().blend) ||
            (spec.id == ParamId::Mask && mask.empty()) ||
            (spec.id == ParamId::MaskFeather && mask.empty() &&
             maskFeather == DreamParams().maskFeather))
            continue;
        std::visit(
            [this, &j, &spec](auto member) {
                if constexpr (!std::is_same_v<decltype(member), std::monostate>)
                    j[spec.key] = this->*member;
            },
            spec.member);
    }
    return j;
}

DreamParams DreamParams::fromJson(const json& j, std::vector<std::string>* warnings) {
    if (!j.is_object()) bad("dream parameters must be a JSON object");
    const int version = schemaVersion(j);
    auto warn = [warnings](const std::string& text) {
        if (warnings) warnings->push_back(text);
    };
    if (version > kSchemaVersion)
        warn("parameters use schema " + std::string(kSchemaFamily) + std::to_string(version) +
             ", newer than this version's " + kSchema + "; only what this version knows is read");
    std::string unknown;
    for (const auto& [key, value] : j.items()) {
        if (key == "schema" || paramSpecForKey(key)) continue;
        if (version <= 1) bad("unknown parameter '" + key + "'");
        unknown += (unknown.empty() ? "'" : ", '") + key + "'";
    }
    if (!unknown.empty()) warn("parameters this version does not know were left out: " + unknown);

    DreamParams p;
    for (const ParamSpec& spec : paramTable()) {
        if (!j.contains(spec.key)) continue;
        const json& value = j.at(spec.key);
        if (spec.id == ParamId::Layers) {
            p.layers = layersFromJson(value);
            continue;
        }
        if (spec.id == ParamId::Classes) {
            p.classes = classesFromJson(value);
            continue;
        }
        if (spec.id == ParamId::Style) {
            // A style section with keys this version does not know comes from a newer version
            // (in a file of version 2 or later): its paintings may depend on them, so it is left
            // out whole, and named.
            std::vector<std::string> newer;
            StyleParams style = StyleParams::fromJson(value, version >= 2 ? &newer : nullptr);
            if (newer.empty()) {
                p.style = style;
            } else {
                std::string keys;
                for (const auto& k : newer) keys += (keys.empty() ? "" : ", ") + k;
                warn("parameters this version does not know were left out: 'style' (it holds " +
                     keys + ")");
            }
            continue;
        }
        std::visit(
            [&p, &value, &spec](auto member) {
                if constexpr (!std::is_same_v<decltype(member), std::monostate>) {
                    using M = std::remove_reference_t<decltype(p.*member)>;
                    if constexpr (std::is_integral_v<M> && !std::is_same_v<M, bool>)
                        if (value.is_number() && !fitsWholeNumber<M>(value))
                            bad(std::string("parameter '") + spec.key +
                                "' is not a whole number in range: " + value.dump());
                    try {
                        value.get_to(p.*member);
                    } catch (const json::exception&) {
                        bad(std::string("parameter '") + spec.key +
                            "' has the wrong type: " + value.dump());
                    }
                }
            },
            spec.member);
    }
    p.validate();
    return p;
}

DreamParams DreamParams::fromFile(const std::string& path, std::vector<std::string>* warnings) {
    std::ifstream in(path);
    if (!in) throw Error(ErrorKind::Input, path + ": cannot open parameter file");
    try {
        std::vector<std::string> found;
        json doc = json::parse(in);
        // A preset as the window saves it: {"name", "description", "params": {...}} and, for a
        // clip, "motion" (read by the window's Motion panel, not here).
        if (doc.is_object() && doc.contains("params") && doc["params"].is_object()) {
            for (const auto& [key, value] : doc.items())
                if (key != "name" && key != "description" && key != "params" && key != "motion")
                    throw Error(ErrorKind::Parameter, "unknown preset key '" + key + "'");
            doc = json(doc["params"]);
        }
        DreamParams p = fromJson(doc, &found);
        if (warnings)
            for (const auto& w : found) warnings->push_back(path + ": " + w);
        return p;
    } catch (const json::parse_error& e) {
        throw Error(ErrorKind::Parameter, path + ": malformed JSON: " + e.what());
    } catch (const Error& e) {
        throw Error(e.kind(), path + ": " + e.what());
    }
}

}  // namespace inceptionist
