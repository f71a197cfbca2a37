#pragma once
// Names an edit of the `style` section for the undo history: "Add style image scream.jpg",
// "Change style strength 10 → 30", "Change weight of scream.jpg 1 → 0.5". Several changes in one
// step (a quick run of edits merged) are listed together.

#include <QString>

#include "core/params/style_params.h"

namespace inceptionist::ui {

QString describeStyleChange(const StyleParams& before, const StyleParams& after);

// Which one setting an edit changed ("style_weight", "weight:PATH"), to let a slider drag or a
// run of spin-box clicks fold into one undo step; empty for an edit of several settings or of
// the list of paintings (adding and removing are steps of their own).
QString styleSettingChanged(const StyleParams& before, const StyleParams& after);

}  // namespace inceptionist::ui
