#pragma once
// Draws the history's entries with a small picture beside each step that changed the image
// (an opened photo, a kept dream), so a kept dream can be found by eye.

#include <QStyledItemDelegate>

class QUndoStack;

namespace inceptionist::ui {

class HistoryDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    HistoryDelegate(QUndoStack* stack, QObject* parent);
    // The picture of the history's row `row` (row 0 is the state before any step); null when
    // that step did not change the image.
    QImage thumbnailAt(int row) const;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;

private:
    QUndoStack* stack_;
};

}  // namespace inceptionist::ui
