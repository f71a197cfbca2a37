#include "core/params/style_params.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "core/params/errors.h"
#include "core/params/json_number.h"
#include "core/params/param_table.h"

namespace inceptionist {
using nlohmann::json;

namespace {

[[noreturn]] void bad(const std::string& what) { throw Error(ErrorKind::Parameter, what); }

void checkRange(const char* key, double value, double min, double max) {
    if (!(value >= min && value <= max))
        bad(std::string("style.") + key + " is " + formatNumber(value) + "; it must be between " +
            formatNumber(min) + " and " + formatNumber(max));
}

void checkChoice(const char* key, const std::string& value, std::vector<std::string> choices) {
    if (std::find(choices.begin(), choices.end(), value) != choices.end()) return;
    std::string known;
    for (const auto& c : choices) known += (known.empty() ? "" : ", ") + c;
    bad(std::string("style.") + key + " is '" + value + "'; this version knows " + known);
}

template <typename T>
void read(const json& j, const char* key, T& into) {
    if (!j.contains(key)) return;
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>)
        if (j.at(key).is_number() && !fitsWholeNumber<T>(j.at(key)))
            bad(std::string("parameter 'style.") + key +
                "' is not a whole number in range: " + j.at(key).dump());
    try {
        j.at(key).get_to(into);
    } catch (const json::exception&) {
        bad(std::string("parameter 'style.") + key + "' has the wrong type: " + j.at(key).dump());
    }
}

}  // namespace

void StyleParams::validate() const {
    for (const auto& s : images) {
        if (s.path.empty()) bad("a style image path is empty");
        if (!std::isfinite(s.weight) || s.weight < 0)
            bad("style image " + s.path + " has weight " + formatNumber(s.weight) +
                "; it must be 0 or more");
    }
    double total = 0;
    for (const auto& s : images) total += s.weight;
    if (!images.empty() && total <= 0) bad("the style images' weights add up to 0");
    checkRange("style_weight", styleWeight, 0, 1e6);
    checkRange("content_weight", contentWeight, 0, 1e6);
    checkRange("tv_weight", tvWeight, 0, 1e6);
    checkRange("style_scale", styleScale, 0.1, 10);
    checkRange("iterations", iterations, 1, 10000);
    checkChoice("preserve_colors", preserveColors, {"none", "luminance", "histogram"});
    checkChoice("init", init, {"content", "noise"});
    for (const auto& l : styleLayers)
        if (l.empty()) bad("a style layer name is empty");
}

json StyleParams::toJson() const {
    json list = json::array();
    for (const auto& s : images) list.push_back({{"path", s.path}, {"weight", s.weight}});
    return {{"images", list},
            {"style_weight", styleWeight},
            {"content_weight", contentWeight},
            {"tv_weight", tvWeight},
            {"style_scale", styleScale},
            {"iterations", iterations},
            {"preserve_colors", preserveColors},
            {"init", init},
            {"style_layers", styleLayers},
            {"content_layer", contentLayer}};
}

StyleParams StyleParams::fromJson(const json& j, std::vector<std::string>* unknown) {
    if (!j.is_object()) bad("parameter 'style' must be a JSON object");
    static const char* const known[] = {
        "images",     "style_weight",    "content_weight", "tv_weight",    "style_scale",
        "iterations", "preserve_colors", "init",           "style_layers", "content_layer"};
    for (const auto& [key, value] : j.items())
        if (std::find_if(std::begin(known), std::end(known),
                         [&key = key](const char* k) { return key == k; }) == std::end(known)) {
            if (!unknown) bad("unknown parameter 'style." + key + "'");
            unknown->push_back(key);
        }
    StyleParams p;
    if (j.contains("images")) {
        const json& list = j.at("images");
        if (!list.is_array()) bad("parameter 'style.images' must be a list");
        for (const auto& s : list) {
            StyleImage image;
            try {
                if (s.is_string()) {
                    image.path = s.get<std::string>();
                } else {
                    image.path = s.at("path").get<std::string>();
                    image.weight = s.value("weight", 1.0);
                }
            } catch (const json::exception&) {
                bad("a style image entry is malformed: " + s.dump());
            }
            p.images.push_back(image);
        }
    }
    read(j, "style_weight", p.styleWeight);
    read(j, "content_weight", p.contentWeight);
    read(j, "tv_weight", p.tvWeight);
    read(j, "style_scale", p.styleScale);
    read(j, "iterations", p.iterations);
    read(j, "preserve_colors", p.preserveColors);
    read(j, "init", p.init);
    read(j, "style_layers", p.styleLayers);
    read(j, "content_layer", p.contentLayer);
    p.validate();
    return p;
}

StyleImage parseStyleImage(const std::string& text) {
    StyleImage image{text, 1.0};
    // A weight follows the last colon, where what follows it is a number (a Windows drive
    // letter or a colon in a file name stays part of the path).
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) return image;
    const std::string tail = text.substr(colon + 1);
    char* end = nullptr;
    const double w = std::strtod(tail.c_str(), &end);
    if (tail.empty() || end != tail.c_str() + tail.size()) return image;
    if (!std::isfinite(w) || w < 0)
        bad("--style " + text + ": the weight must be a number of 0 or more");
    image.path = text.substr(0, colon);
    image.weight = w;
    return image;
}

}  // namespace inceptionist
