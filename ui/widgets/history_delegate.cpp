#include "ui/widgets/history_delegate.h"

#include <QUndoStack>

#include "ui/model/undo_commands.h"

namespace inceptionist::ui {

namespace {

// The image step of a command, or of the macro it is (opening a photo that also turns off
// "start from noise").
const ImageCommand* imageStep(const QUndoCommand* command) {
    if (!command) return nullptr;
    if (auto* image = dynamic_cast<const ImageCommand*>(command)) return image;
    for (int i = 0; i < command->childCount(); ++i)
        if (auto* image = dynamic_cast<const ImageCommand*>(command->child(i))) return image;
    return nullptr;
}

}  // namespace

HistoryDelegate::HistoryDelegate(QUndoStack* stack, QObject* parent)
    : QStyledItemDelegate(parent), stack_(stack) {}

QImage HistoryDelegate::thumbnailAt(int row) const {
    if (row <= 0 || row > stack_->count()) return {};
    const ImageCommand* step = imageStep(stack_->command(row - 1));
    return step ? step->thumbnail() : QImage();
}

void HistoryDelegate::initStyleOption(QStyleOptionViewItem* option,
                                      const QModelIndex& index) const {
    QStyledItemDelegate::initStyleOption(option, index);
    const QImage thumbnail = thumbnailAt(index.row());
    if (thumbnail.isNull()) return;
    option->features |= QStyleOptionViewItem::HasDecoration;
    option->icon = QIcon(QPixmap::fromImage(thumbnail));
    option->decorationSize = thumbnail.size();
}

}  // namespace inceptionist::ui
