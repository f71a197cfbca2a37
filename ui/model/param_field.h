#pragma once
// Which dream parameter an edit changed: names the undo step and lets a slider drag fold into
// one. QtCore only, so the document and its undo commands link without widgets.

#include <QMetaType>

namespace inceptionist::ui {

enum class ParamField {
    Model,
    Layer,
    Channel,
    Octaves,
    OctaveScale,
    Steps,
    StepSize,
    Jitter,
    Seed,
    WorkingSize,
    Noise,
    Guide,
    Everything
};

}  // namespace inceptionist::ui

Q_DECLARE_METATYPE(inceptionist::ui::ParamField)
