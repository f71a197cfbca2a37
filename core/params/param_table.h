#pragma once
// The dream's parameters as one table. Each entry says everything the program needs to know
// about a field apart from what the engine does with it: its JSON key, type, validation range,
// command-line option, panel widget and slider range, tooltip and undo name. JSON reading and
// writing, validation, the command line, the parameter panel and the undo labels all read this
// table, so a new scalar parameter is one entry here (and a member of DreamParams, whose
// initialiser is its default) plus its use in the engine.
//
// `style` (core/params/style_params.h) is a section of its own with its own JSON form and
// validation; the `style` command and the panel's Style mode read and write it.
//
// `layers` is structured (name, weight, channels) and has an entry for its key and order only:
// its JSON form, validation, options (--layer, --channels) and widgets (layer and channel) are
// written out by hand in each of those places. So is `classes` (name, weight; --class).

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/params/dream_params.h"

namespace inceptionist {

// One per table entry, in table order; code that names a particular field uses these.
enum class ParamId {
    Mode,
    Model,
    Layers,
    Octaves,
    OctaveScale,
    Steps,
    StepSize,
    Jitter,
    Seed,
    WorkingSize,
    StartFromNoise,
    GuideImage,
    Device,
    TileSize,
    Classes,
    ClassOthers,
    RandomScale,
    RandomRotation,
    Blur,
    Style,
    Blend,
    Mask,
    MaskFeather,
};
inline constexpr int kParamCount = static_cast<int>(ParamId::MaskFeather) + 1;

// How the parameter panel shows a field.
enum class PanelWidget {
    None,         // not in the panel (kept from the document as it is)
    ModelChoice,  // a list of the installed models (special: it resets the layers)
    Layers,       // the layer list and the single-channel choice (special)
    Slider,       // a slider with a spin box, linear
    LogSlider,    // a slider with a spin box, logarithmic (values spread over decades)
    SeedBox,      // a whole 64-bit number with a "new seed" button
    CheckBox,
    ImageFile,  // a path chosen with a file dialog, clearable
};

struct ParamRange {
    double min = 0, max = 0;
};

// Where the value lives in DreamParams; its alternative is the field's type.
using ParamMember =
    std::variant<std::monostate /* structured: layers, classes */, std::string DreamParams::*,
                 int DreamParams::*, double DreamParams::*, uint64_t DreamParams::*,
                 bool DreamParams::*>;

struct ParamSpec {
    ParamSpec(ParamId id, const char* key, ParamMember member,
              std::optional<ParamRange> range = std::nullopt)
        : id(id), key(key), member(member), range(range) {}

    ParamId id;
    const char* key;  // JSON key, also the name in error messages
    ParamMember member;
    std::optional<ParamRange> range;   // values outside are refused (numbers only)
    std::vector<std::string> choices;  // the accepted values of a string; empty: any
    bool required = false;             // a string that must not be empty

    const char* cliFlag = nullptr;  // long option without "--"; nullptr: no option
    const char* cliValueName = nullptr;
    const char* cliHelp = nullptr;

    PanelWidget widget = PanelWidget::None;
    const char* panelLabel = nullptr;  // with the '&' of its keyboard shortcut
    const char* tooltip = nullptr;
    // The slider's own range where the validation range is too wide to drag through; the spin
    // box beside it still accepts the whole validation range. Absent: the validation range.
    std::optional<ParamRange> sliderRange;
    int decimals = 0;  // digits after the point the spin box shows

    const char* undoName = nullptr;  // "Change <undoName>"

    bool isInteger() const {
        return std::holds_alternative<int DreamParams::*>(member) ||
               std::holds_alternative<uint64_t DreamParams::*>(member);
    }
    // The slider's range: its soft range if the table gives one, else the validation range.
    ParamRange panelRange() const {
        return sliderRange ? *sliderRange : range.value_or(ParamRange{});
    }
};

// Every field, in the order of the panel and the command line's help.
const std::vector<ParamSpec>& paramTable();
const ParamSpec& paramSpec(ParamId id);
// nullptr for a key that is not in the table.
const ParamSpec* paramSpecForKey(const std::string& key);

// A numeric field's value as a double (for sliders), and back. Integers are rounded.
double numericValue(const DreamParams& p, const ParamSpec& spec);
void setNumericValue(DreamParams& p, const ParamSpec& spec, double value);

// The default of a field as text, for help texts ("4", "1.4", "inception_v3", "off").
std::string defaultText(const ParamSpec& spec);
// A number as people write it: "16", "1.01", "1e-06".
std::string formatNumber(double value);

}  // namespace inceptionist
