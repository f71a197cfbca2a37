#include "core/params/param_table.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace inceptionist {

namespace {

using P = DreamParams;

std::vector<ParamSpec> makeTable() {
    std::vector<ParamSpec> t;
    auto add = [&t](ParamSpec s) { t.push_back(std::move(s)); };

    ParamSpec mode{ParamId::Mode, "mode", &P::mode};
    // Style and class have sections of their own (below); animation comes later.
    mode.choices = {"dream", "style", "class"};
    mode.required = true;
    mode.cliFlag = "mode";
    mode.cliValueName = "mode";
    mode.cliHelp =
        "What to make: dream, style (a style transfer) or class (draw the --class classes).";
    mode.undoName = "mode";
    add(mode);

    ParamSpec model{ParamId::Model, "model", &P::model};
    model.required = true;
    model.cliFlag = "model";
    model.cliValueName = "id";
    model.cliHelp = "Model to dream with.";
    model.widget = PanelWidget::ModelChoice;
    model.panelLabel = "&Model";
    model.tooltip =
        "The network that dreams. InceptionV3 gives the richest dreams; MobileNetV2 is about "
        "four times faster, good for quick previews.";
    model.undoName = "model";
    add(model);

    ParamSpec layers{ParamId::Layers, "layers", std::monostate{}};
    layers.widget = PanelWidget::Layers;
    layers.panelLabel = "&Layer";
    layers.tooltip =
        "Which layer of the network to excite. Low layers paint strokes and textures, middle "
        "layers eyes, fur and buildings, deep layers animal parts and objects. Layers marked "
        "fine-tuned were retrained for another task.";
    layers.undoName = "layer";
    add(layers);

    ParamSpec octaves{ParamId::Octaves, "octaves", &P::octaves, ParamRange{1, 16}};
    octaves.cliFlag = "octaves";
    octaves.cliValueName = "n";
    octaves.cliHelp = "Number of octaves.";
    octaves.widget = PanelWidget::Slider;
    octaves.panelLabel = "&Octaves";
    octaves.tooltip =
        "How many sizes the dream grows through, smallest first. More octaves give larger "
        "structures.";
    octaves.undoName = "octaves";
    add(octaves);

    ParamSpec scale{ParamId::OctaveScale, "octave_scale", &P::octaveScale, ParamRange{1.01, 4.0}};
    scale.cliFlag = "octave-scale";
    scale.cliValueName = "x";
    scale.cliHelp = "Size ratio between octaves.";
    scale.widget = PanelWidget::Slider;
    scale.panelLabel = "Octave &scale";
    scale.tooltip = "Size ratio between one octave and the next.";
    scale.sliderRange = ParamRange{1.1, 2.0};
    scale.decimals = 2;
    scale.undoName = "octave scale";
    add(scale);

    ParamSpec steps{ParamId::Steps, "steps", &P::steps, ParamRange{0, 10000}};
    steps.cliFlag = "steps";
    steps.cliValueName = "n";
    steps.cliHelp = "Ascent steps per octave.";
    steps.widget = PanelWidget::Slider;
    steps.panelLabel = "S&teps";
    steps.tooltip = "Ascent steps at each octave. More steps make stronger dreams and take longer.";
    steps.sliderRange = ParamRange{1, 60};
    steps.undoName = "steps";
    add(steps);

    ParamSpec stepSize{ParamId::StepSize, "step_size", &P::stepSize, ParamRange{1e-6, 1.0}};
    stepSize.cliFlag = "step-size";
    stepSize.cliValueName = "x";
    stepSize.cliHelp = "Change of the pixels (in [0, 1]) per step.";
    stepSize.widget = PanelWidget::LogSlider;
    stepSize.panelLabel = "Step si&ze";
    stepSize.tooltip = "How far each step changes the pixels. Larger is bolder and grainier.";
    // Measured on the sample photo at 256 px (README, "Step size"): 0.002 changes it visibly,
    // 0.03 is strong with the photo still there (5 % of channels clipped); 0.1 destroyed it
    // (15 % clipped), so the old upper half of the slider was unusable.
    stepSize.sliderRange = ParamRange{0.002, 0.03};
    stepSize.decimals = 6;
    stepSize.undoName = "step size";
    add(stepSize);

    ParamSpec jitter{ParamId::Jitter, "jitter", &P::jitter, ParamRange{0, 4096}};
    jitter.cliFlag = "jitter";
    jitter.cliValueName = "px";
    jitter.cliHelp = "Largest random shift before each step, in pixels.";
    jitter.widget = PanelWidget::Slider;
    jitter.panelLabel = "&Jitter";
    jitter.tooltip =
        "Random shift of the image before each step, in pixels. It hides the network's grid "
        "and keeps patterns from locking in place.";
    jitter.sliderRange = ParamRange{0, 64};
    jitter.undoName = "jitter";
    add(jitter);

    ParamSpec seed{ParamId::Seed, "seed", &P::seed};  // any 64-bit number
    seed.cliFlag = "seed";
    seed.cliValueName = "n";
    seed.cliHelp = "Random seed.";
    seed.widget = PanelWidget::SeedBox;
    seed.panelLabel = "S&eed";
    seed.tooltip = "Random seed. The same seed and settings give the same dream, pixel for pixel.";
    seed.undoName = "seed";
    add(seed);

    ParamSpec size{ParamId::WorkingSize, "working_size", &P::workingSize, ParamRange{16, 32768}};
    size.cliFlag = "size";
    size.cliValueName = "px";
    size.cliHelp = "Working size: long side of the dream in pixels.";
    size.widget = PanelWidget::Slider;
    size.panelLabel = "&Working size";
    size.tooltip = "Long side of the dream in pixels. Larger is finer and slower.";
    size.sliderRange = ParamRange{128, 2048};
    size.undoName = "working size";
    add(size);

    ParamSpec noise{ParamId::StartFromNoise, "start_from_noise", &P::startFromNoise};
    noise.cliFlag = "noise";
    noise.cliHelp = "Start from seeded noise instead of the image.";
    noise.widget = PanelWidget::CheckBox;
    noise.panelLabel = "Start from noise";
    noise.tooltip =
        "Dream from seeded noise instead of the photo: pure imagination of the network.";
    noise.undoName = "start from noise";
    add(noise);

    ParamSpec guide{ParamId::GuideImage, "guide_image", &P::guideImage};
    guide.cliFlag = "guide";
    guide.cliValueName = "image";
    guide.cliHelp = "Guide image whose features the dream should take on.";
    guide.widget = PanelWidget::ImageFile;
    guide.panelLabel = "&Guide";
    guide.tooltip = "A guide image: the dream takes on the features the network sees in it.";
    guide.undoName = "guide image";
    add(guide);

    // Where the dream runs is the machine's business, not the picture's: the window keeps it
    // out of the panel and presets do not change it.
    ParamSpec device{ParamId::Device, "device", &P::device};
    device.cliFlag = "device";
    device.cliValueName = "device";
    device.cliHelp = "cpu, cuda or cuda:N.";
    device.undoName = "device";
    add(device);

    ParamSpec tile{ParamId::TileSize, "tile_size", &P::tileSize, ParamRange{64, 8192}};
    tile.cliFlag = "tile-size";
    tile.cliValueName = "px";
    tile.cliHelp = "Largest tile of a step's gradient, in pixels.";
    tile.undoName = "tile size";
    add(tile);

    // Class visualisation: its classes are structured (see dream_params.cpp and --class).
    ParamSpec classes{ParamId::Classes, "classes", std::monostate{}};
    classes.undoName = "classes";
    add(classes);

    ParamSpec others{ParamId::ClassOthers, "class_others", &P::classOthers};
    others.cliFlag = "class-others";
    others.cliHelp = "Class mode: also push the mean logit of the other classes down.";
    others.undoName = "class contrast";
    add(others);

    ParamSpec randomScale{ParamId::RandomScale, "random_scale", &P::randomScale,
                          ParamRange{0.0, 0.5}};
    randomScale.cliFlag = "random-scale";
    randomScale.cliValueName = "x";
    randomScale.cliHelp =
        "Largest random zoom of the image before each step, as a fraction (0.05 for 5 %).";
    randomScale.undoName = "random scale";
    add(randomScale);

    ParamSpec rotation{ParamId::RandomRotation, "random_rotation", &P::randomRotation,
                       ParamRange{0.0, 45.0}};
    rotation.cliFlag = "random-rotation";
    rotation.cliValueName = "deg";
    rotation.cliHelp = "Largest random rotation of the image before each step, in degrees.";
    rotation.undoName = "random rotation";
    add(rotation);

    ParamSpec blur{ParamId::Blur, "blur", &P::blur, ParamRange{0.0, 8.0}};
    blur.cliFlag = "blur";
    blur.cliValueName = "px";
    blur.cliHelp = "Gaussian blur of the image after each step, sigma in pixels.";
    blur.undoName = "blur";
    add(blur);
    // The style transfer's section: paintings with weights, loss weights, style scale,
    // iterations, colour preservation, start (core/params/style_params.h).
    ParamSpec style{ParamId::Style, "style", std::monostate{}};
    style.undoName = "style";
    add(style);

    // `video --blend` mixes a frame with the previous dream, so the command line calls this
    // one --opacity; presets and metadata call it `blend`.
    ParamSpec blend{ParamId::Blend, "blend", &P::blend, ParamRange{0.0, 1.0}};
    blend.cliFlag = "opacity";
    blend.cliValueName = "x";
    blend.cliHelp = "Opacity of the dream over the photo it started from (1: all dream).";
    blend.widget = PanelWidget::Slider;
    blend.panelLabel = "&Blend";
    blend.tooltip =
        "How much of the dream shows over the photo: 1 is all dream, 0.5 half dream and half "
        "photo, 0 the photo. Exports and prints are blended the same way.";
    blend.decimals = 2;
    blend.undoName = "blend";
    add(blend);

    // The mask is painted in the window (Mask tool) or read from a grey image; the command line
    // embeds the file's pixels, so presets and exported metadata carry them.
    ParamSpec mask{ParamId::Mask, "mask", &P::mask};
    mask.cliFlag = "mask";
    mask.cliValueName = "image";
    mask.cliHelp = "Grey image of where the dream may grow (white: dream, black: photo).";
    mask.undoName = "mask";
    add(mask);

    ParamSpec feather{ParamId::MaskFeather, "mask_feather", &P::maskFeather, ParamRange{0.0, 25.0}};
    feather.cliFlag = "mask-feather";
    feather.cliValueName = "percent";
    feather.cliHelp = "Softness of the mask's edge: a radius in percent of the long side.";
    feather.decimals = 1;
    feather.undoName = "mask feather";
    add(feather);

    return t;
}

}  // namespace

const std::vector<ParamSpec>& paramTable() {
    static const std::vector<ParamSpec> table = [] {
        auto t = makeTable();
        // ParamId doubles as the index into the table.
        for (size_t i = 0; i < t.size(); ++i)
            if (static_cast<size_t>(t[i].id) != i) std::abort();
        if (t.size() != static_cast<size_t>(kParamCount)) std::abort();
        return t;
    }();
    return table;
}

const ParamSpec& paramSpec(ParamId id) { return paramTable()[static_cast<size_t>(id)]; }

const ParamSpec* paramSpecForKey(const std::string& key) {
    for (const auto& s : paramTable())
        if (key == s.key) return &s;
    return nullptr;
}

double numericValue(const DreamParams& p, const ParamSpec& spec) {
    return std::visit(
        [&p](auto member) -> double {
            using M = decltype(member);
            if constexpr (std::is_same_v<M, int DreamParams::*> ||
                          std::is_same_v<M, double DreamParams::*> ||
                          std::is_same_v<M, uint64_t DreamParams::*>)
                return static_cast<double>(p.*member);
            else
                return 0.0;
        },
        spec.member);
}

void setNumericValue(DreamParams& p, const ParamSpec& spec, double value) {
    std::visit(
        [&p, value](auto member) {
            using M = decltype(member);
            if constexpr (std::is_same_v<M, int DreamParams::*>)
                p.*member = static_cast<int>(std::lround(value));
            else if constexpr (std::is_same_v<M, double DreamParams::*>)
                p.*member = value;
            else if constexpr (std::is_same_v<M, uint64_t DreamParams::*>)
                p.*member = static_cast<uint64_t>(std::llround(value));
        },
        spec.member);
}

std::string formatNumber(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.10g", value);
    return text;
}

std::string defaultText(const ParamSpec& spec) {
    const DreamParams defaults;
    return std::visit(
        [&defaults](auto member) -> std::string {
            using M = decltype(member);
            if constexpr (std::is_same_v<M, std::monostate>)
                return {};
            else if constexpr (std::is_same_v<M, std::string DreamParams::*>)
                return defaults.*member;
            else if constexpr (std::is_same_v<M, bool DreamParams::*>)
                return defaults.*member ? "on" : "off";
            else if constexpr (std::is_same_v<M, uint64_t DreamParams::*>)
                return std::to_string(defaults.*member);
            else
                return formatNumber(static_cast<double>(defaults.*member));
        },
        spec.member);
}

}  // namespace inceptionist
