#pragma once
// The top of the Dream dock: a Dream | Style switch over the two panels, shown one at a time
// in a stack. Switching is an undoable change of the parameters' mode ("Change mode dream →
// style"); Style mode starts from the paintings last used when the parameters have none. The
// panels' edits go to the document; the document's changes (undo, presets) come back here.
//
// Dream mode keeps whatever the dream panel set ("dream", or "class" with its classes), so
// switching to Style and back returns to it.

#include <QWidget>

#include "core/params/dream_params.h"

class QStackedWidget;
class QTabBar;

namespace inceptionist::ui {

class Document;
class ParameterPanel;
class StylePanel;

class ModePanel : public QWidget {
    Q_OBJECT
public:
    // Shows `dream` (the window's dream panel) under the Dream tab.
    ModePanel(ParameterPanel* dream, Document* doc, QWidget* parent = nullptr);

    StylePanel* stylePanel() const { return style_; }
    QTabBar* modeBar() const { return tabs_; }
    bool styleMode() const;
    // As if the person picked the tab: one undo step, nothing when already there.
    void setStyleMode(bool style);

Q_SIGNALS:
    // The mode on show changed (by the switch, undo or a preset).
    void styleModeChanged(bool style);
    // The person picked the other tab (after the parameters changed): a finished change, like a
    // released slider, so its picture may start at once.
    void modeSwitched();

private:
    void showParams();

    Document* doc_;
    QTabBar* tabs_;
    QStackedWidget* stack_;
    StylePanel* style_;
    bool shownStyle_ = false;
    // What Dream mode was before switching to Style, to go back to.
    std::string dreamMode_ = "dream";
    std::vector<ClassObjective> classes_;
};

}  // namespace inceptionist::ui
