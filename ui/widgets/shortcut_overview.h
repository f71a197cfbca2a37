#pragma once
// Help > Keyboard Shortcuts: every key the window answers, read from its menus' actions (so a
// new action with a shortcut appears without being listed twice) and the keys the canvas and
// panels take directly (hold B, Shift+B, Space in the motion timeline), grouped by menu.

#include <QDialog>

class QMenuBar;
class QTableWidget;

namespace inceptionist::ui {

class ShortcutOverview : public QDialog {
    Q_OBJECT
public:
    ShortcutOverview(const QMenuBar* menus, QWidget* parent = nullptr);

    // The rows as shown: group, what it does, keys (in the desktop's own notation).
    struct Row {
        QString group, action, keys;
    };
    const std::vector<Row>& rows() const { return rows_; }

private:
    std::vector<Row> rows_;
    QTableWidget* table_;
};

}  // namespace inceptionist::ui
