#include "ui/model/document.h"

#include "ui/model/undo_commands.h"

namespace inceptionist::ui {

Document::Document(QObject* parent) : QObject(parent) { undo_.setUndoLimit(kUndoLimit); }

void Document::replaceImage(const QImage& image, const QString& path, const QString& label) {
    const Lineage fresh{path, path.isEmpty() ? image : QImage(), {}};
    undo_.push(new ImageCommand(this, {image_, path_, lineage_}, {image, path, fresh}, label));
}

void Document::keepDream(const QImage& dream, const DreamParams& madeWith) {
    Lineage next = lineage_;
    next.kept.push_back(madeWith);
    undo_.push(
        new ImageCommand(this, {image_, path_, lineage_}, {dream, path_, next}, tr("Keep dream")));
}

void Document::editParams(const DreamParams& params, ParamField field) {
    if (params == params_) return;
    undo_.push(new ParamsCommand(this, params_, params, field));
}

void Document::applyImage(const QImage& image, const QString& path, const Lineage& lineage) {
    image_ = image;
    path_ = path;
    lineage_ = lineage;
    Q_EMIT imageChanged();
}

void Document::applyParams(const DreamParams& params) {
    if (params == params_) return;
    params_ = params;
    Q_EMIT paramsChanged();
}

void Document::restoreSession(const QImage& image, const QString& path, const Lineage& lineage,
                              const DreamParams& params, const QString& label) {
    undo_.beginMacro(label);
    undo_.push(new ImageCommand(this, {image_, path_, lineage_}, {image, path, lineage}, label));
    if (params != params_)
        undo_.push(new ParamsCommand(this, params_, params, ParamField::Everything));
    undo_.endMacro();
}

}  // namespace inceptionist::ui
