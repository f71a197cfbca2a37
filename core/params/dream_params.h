#pragma once
// The one parameter schema of a dream, shared by the window's presets, `inceptionist-cli
// --preset` and the metadata embedded in exported images, so any print can be reproduced.
// What each field means, its range, option and widget are in core/params/param_table.h; the
// initialisers here are the defaults.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/params/style_params.h"

namespace inceptionist {

struct LayerObjective {
    std::string name;
    double weight = 1.0;
    std::vector<int> channels;  // empty: the whole layer

    bool operator==(const LayerObjective& o) const {
        return name == o.name && weight == o.weight && channels == o.channels;
    }
};

// A class for the network to draw (mode "class"): an ImageNet name ("barbell") or a name of the
// model's own head, case-insensitive, or an index ("543"); its logit counts with `weight`.
struct ClassObjective {
    std::string name;
    double weight = 1.0;

    bool operator==(const ClassObjective& o) const { return name == o.name && weight == o.weight; }
};

struct DreamParams {
    // Written into every file. Version 1 had no `mode`; it reads as a dream.
    static constexpr const char* kSchema = "inceptionist.dream/2";
    static constexpr const char* kSchemaFamily = "inceptionist.dream/";
    static constexpr int kSchemaVersion = 2;

    std::string mode = "dream";  // what to make: "dream", "style", or "class" (draw `classes`)
    std::string model = "inception_v3";
    std::vector<LayerObjective> layers = {{"mixed3", 1.0, {}}, {"mixed4", 1.0, {}}};
    int octaves = 4;           // pyramid levels, the smallest first
    double octaveScale = 1.4;  // size ratio between neighbouring octaves
    int steps = 10;            // ascent steps per octave
    double stepSize =
        0.01;         // change per step, in units of the normalised gradient, pixels in [0, 1]
    int jitter = 32;  // largest random roll of the image before each step, in pixels
    uint64_t seed = 0;
    int workingSize = 512;  // long side of the dream, in pixels
    bool startFromNoise = false;
    std::string guideImage;  // path; empty for none
    std::string device = "cpu";
    int tileSize = 512;  // largest tile, in pixels, of a step's gradient on a large image
    StyleParams style;   // mode "style": the paintings and the transfer's own settings

    // Class visualisation (mode "class"): the classes whose pre-softmax logits to maximise, and
    // whether to subtract the mean logit of all the other classes. The regularisers below
    // apply in every mode; 0 turns each off.
    std::vector<ClassObjective> classes;
    bool classOthers = false;
    double randomScale = 0.0;     // largest random zoom per step, as a fraction (0.05: ±5 %)
    double randomRotation = 0.0;  // largest random rotation per step, in degrees
    double blur = 0.0;            // Gaussian blur of the image after each step, sigma in pixels

    // Blend and mask (core/params/dream_mask.h). `blend` mixes the result with the picture the
    // dream started from (1: all dream, 0: the photo). `mask` says where the dream may grow: a
    // grey PNG embedded as a data URI ("data:image/png;base64,..."; white = dream), or a path
    // to one; empty: everywhere. Each step's gradient is multiplied by it, feathered by a
    // Gaussian whose radius is `maskFeather` percent of the picture's long side, so a print
    // at any size is masked like the screen.
    double blend = 1.0;
    std::string mask;
    double maskFeather = 2.0;

    // Throws Error(ErrorKind::Parameter) naming the first parameter out of range.
    void validate() const;

    // Always the current schema.
    nlohmann::json toJson() const;
    // Reads schema /1 and /2 (and a file without a schema, as /1). Missing keys keep their
    // defaults; wrong types and values out of range are errors. Unknown keys are errors in a
    // file of version 1 or without a schema, where they are typing mistakes; in a file of
    // version 2 or newer they come from a newer program: they are left out and named in
    // `warnings` (for the person to see), as is a newer version itself.
    static DreamParams fromJson(const nlohmann::json& j,
                                std::vector<std::string>* warnings = nullptr);
    static DreamParams fromFile(const std::string& path,
                                std::vector<std::string>* warnings = nullptr);

    bool operator==(const DreamParams& o) const { return toJson() == o.toJson(); }
    bool operator!=(const DreamParams& o) const { return !(*this == o); }
};

}  // namespace inceptionist
