#include "ui/model/undo_commands.h"

#include <QCoreApplication>

#include "ui/model/document.h"

namespace inceptionist::ui {

QString fieldName(ParamField field) {
    if (const auto id = paramIdOf(field))
        return QCoreApplication::translate("undo", paramSpec(*id).undoName);
    if (field == ParamField::Channel) return QCoreApplication::translate("undo", "channel");
    return QCoreApplication::translate("undo", "preset");
}

ImageCommand::ImageCommand(Document* doc, ImageState before, ImageState after,
                           Document::ImageChange firstChange, const QString& text)
    : QUndoCommand(text),
      doc_(doc),
      before_(std::move(before)),
      after_(std::move(after)),
      firstChange_(firstChange) {}

void ImageCommand::undo() {
    const ImageState leaving = doc_->currentState();
    after_.dream = leaving.dream;
    after_.dreamParams = leaving.dreamParams;
    doc_->applyImage(before_, Document::ImageChange::Restored);
}

void ImageCommand::redo() {
    if (!done_) {
        done_ = true;
        doc_->applyImage(after_, firstChange_);
        return;
    }
    const ImageState leaving = doc_->currentState();
    before_.dream = leaving.dream;
    before_.dreamParams = leaving.dreamParams;
    doc_->applyImage(after_, Document::ImageChange::Restored);
}

ParamsCommand::ParamsCommand(Document* doc, DreamParams before, DreamParams after, ParamField field)
    : doc_(doc), before_(std::move(before)), after_(std::move(after)), field_(field) {
    setText(field == ParamField::Everything
                ? QCoreApplication::translate("undo", "Apply preset")
                : QCoreApplication::translate("undo", "Change %1").arg(fieldName(field)));
    lastChange_.start();
}

void ParamsCommand::undo() { doc_->applyParams(before_); }
void ParamsCommand::redo() { doc_->applyParams(after_); }

int ParamsCommand::id() const {
    return field_ == ParamField::Everything ? -1 : 1000 + static_cast<int>(field_);
}

bool ParamsCommand::mergeWith(const QUndoCommand* other) {
    if (other->id() != id() || lastChange_.elapsed() > kMergeWindowMs) return false;
    after_ = static_cast<const ParamsCommand*>(other)->after_;
    lastChange_.restart();
    setObsolete(after_ == before_);  // dragged back to where it started: no step at all
    return true;
}

}  // namespace inceptionist::ui
