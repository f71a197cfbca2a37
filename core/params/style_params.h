#pragma once
// The `style` section of the parameter schema: what a style transfer (mode "style") needs
// beyond the dream's shared fields (model, working size, seed, device, tile size). It is a
// section of its own in the JSON, `"style": {...}`, written only when the mode is "style", so a
// preset, `--preset-from` and the metadata of an export reproduce a styled image.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace inceptionist {

struct StyleImage {
    std::string path;
    double weight = 1.0;  // share of this painting in a blend (relative to the others)

    bool operator==(const StyleImage& o) const { return path == o.path && weight == o.weight; }
};

struct StyleParams {
    std::vector<StyleImage> images;  // the paintings; their Gram matrices are blended by weight
    double styleWeight = 10.0;       // weight of the mean relative Gram distance
    double contentWeight = 1.0;      // weight of the relative feature distance to the photo
    double tvWeight = 0.0;           // total variation of the picture (smoothness)
    double styleScale = 1.0;  // the painting's long side relative to the picture's: stroke size
    int iterations = 90;      // L-BFGS iterations over all stages (coarse to fine)
    std::string preserveColors = "none";  // none, luminance or histogram
    std::string init = "content";         // content or noise
    // Empty: the model's own choice (InceptionV3: activation_2, activation_5, mixed0, mixed2,
    // mixed4 and mixed2; MobileNetV2: see core/render/style_transfer.cpp).
    std::vector<std::string> styleLayers;
    std::string contentLayer;

    // Throws Error(Parameter) naming the first field out of range.
    void validate() const;
    nlohmann::json toJson() const;
    // Missing keys keep their defaults; wrong types and values out of range are errors. Unknown
    // keys are refused as typing mistakes, or, with `unknown` given, listed there (a section
    // written by a newer version).
    static StyleParams fromJson(const nlohmann::json& j,
                                std::vector<std::string>* unknown = nullptr);

    bool operator==(const StyleParams& o) const { return toJson() == o.toJson(); }
};

// "IMG" or "IMG:WEIGHT" (the command line's --style). Throws Error(Parameter) for a bad weight.
StyleImage parseStyleImage(const std::string& text);

}  // namespace inceptionist
