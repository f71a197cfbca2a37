#pragma once
// Which dream parameter an edit changed: names the undo step and lets a slider drag fold into
// one. QtCore only, so the document and its undo commands link without widgets.
//
// The values are the parameter table's ParamId (core/params/param_table.h), so every field of
// the table is an edit without a line here: fieldOf(id). The names below are for code that
// edits one field by hand; Channel and Everything are edits that are not one table field.

#include <optional>

#include <QMetaType>

#include "core/params/param_table.h"

namespace inceptionist::ui {

enum class ParamField {
    Mode = static_cast<int>(ParamId::Mode),
    Model = static_cast<int>(ParamId::Model),
    Layer = static_cast<int>(ParamId::Layers),
    Octaves = static_cast<int>(ParamId::Octaves),
    OctaveScale = static_cast<int>(ParamId::OctaveScale),
    Steps = static_cast<int>(ParamId::Steps),
    StepSize = static_cast<int>(ParamId::StepSize),
    Jitter = static_cast<int>(ParamId::Jitter),
    Seed = static_cast<int>(ParamId::Seed),
    WorkingSize = static_cast<int>(ParamId::WorkingSize),
    Noise = static_cast<int>(ParamId::StartFromNoise),
    Guide = static_cast<int>(ParamId::GuideImage),
    Channel = kParamCount,  // the channel of the single layer: part of `layers`
    Everything,             // a whole preset
};

constexpr ParamField fieldOf(ParamId id) { return static_cast<ParamField>(id); }

// The table field an edit changed; none for Channel and Everything.
constexpr std::optional<ParamId> paramIdOf(ParamField field) {
    const int i = static_cast<int>(field);
    if (i < 0 || i >= kParamCount) return std::nullopt;
    return static_cast<ParamId>(i);
}

}  // namespace inceptionist::ui

Q_DECLARE_METATYPE(inceptionist::ui::ParamField)
