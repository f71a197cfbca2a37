#include "ui/model/undo_commands.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <variant>

#include "ui/model/document.h"
#include "ui/model/style_change.h"

namespace inceptionist::ui {

QString fieldName(ParamField field) {
    if (const auto id = paramIdOf(field))
        return QCoreApplication::translate("undo", paramSpec(*id).undoName);
    if (field == ParamField::Channel) return QCoreApplication::translate("undo", "channel");
    return QCoreApplication::translate("undo", "preset");
}

namespace {

QString layersText(const DreamParams& p) {
    QStringList parts;
    for (const auto& l : p.layers) {
        QString t = QString::fromStdString(l.name);
        if (!l.channels.empty()) {
            QStringList channels;
            for (int c : l.channels) channels << QString::number(c);
            t += ":" + channels.join(',');
        }
        if (l.weight != 1.0) t += QString(" ×%1").arg(l.weight);
        parts << t;
    }
    return parts.join(" + ");
}

QString valueText(const DreamParams& p, ParamField field) {
    if (field == ParamField::Layer || field == ParamField::Channel) return layersText(p);
    const auto id = paramIdOf(field);
    if (!id) return {};
    const ParamSpec& spec = paramSpec(*id);
    return std::visit(
        [&](auto member) -> QString {
            using M = decltype(member);
            if constexpr (std::is_same_v<M, std::monostate>) {
                return layersText(p);
            } else if constexpr (std::is_same_v<M, std::string DreamParams::*>) {
                const std::string& v = p.*member;
                return v.empty() ? QCoreApplication::translate("undo", "none")
                                 : QFileInfo(QString::fromStdString(v)).fileName();
            } else if constexpr (std::is_same_v<M, bool DreamParams::*>) {
                return p.*member ? QCoreApplication::translate("undo", "on")
                                 : QCoreApplication::translate("undo", "off");
            } else if constexpr (std::is_same_v<M, double DreamParams::*>) {
                return QString::number(p.*member, 'f', std::max(spec.decimals, 1));
            } else {
                return QString::number(p.*member);
            }
        },
        spec.member);
}

}  // namespace

namespace {

// "Draw class: barbell", "Draw classes: barbell + goldfish ×2", "Stop drawing classes".
bool sameClasses(const DreamParams& a, const DreamParams& b) {
    if (a.classes.size() != b.classes.size()) return false;
    for (size_t i = 0; i < a.classes.size(); ++i)
        if (a.classes[i].name != b.classes[i].name) return false;
    return true;
}

QString describeClasses(const DreamParams& after) {
    if (after.classes.empty()) return QCoreApplication::translate("undo", "Stop drawing classes");
    QStringList parts;
    for (const auto& c : after.classes) {
        QString t = QString::fromStdString(c.name);
        if (c.weight != 1.0) t += QString(" ×%1").arg(c.weight);
        parts << t;
    }
    return (after.classes.size() == 1 ? QCoreApplication::translate("undo", "Draw class: %1")
                                      : QCoreApplication::translate("undo", "Draw classes: %1"))
        .arg(parts.join(" + "));
}

}  // namespace

// "Change steps 10 → 20", "Change layer mixed3 + mixed4 → mixed5".
QString describeChange(const DreamParams& before, const DreamParams& after, ParamField field) {
    if (field == fieldOf(ParamId::Classes)) return describeClasses(after);
    if (field == fieldOf(ParamId::Style)) return describeStyleChange(before.style, after.style);
    return QCoreApplication::translate("undo", "Change %1 %2 → %3")
        .arg(fieldName(field), valueText(before, field), valueText(after, field));
}

ImageCommand::ImageCommand(Document* doc, ImageState before, ImageState after,
                           Document::ImageChange firstChange, const QString& text)
    : QUndoCommand(text),
      doc_(doc),
      before_(std::move(before)),
      after_(std::move(after)),
      firstChange_(firstChange) {
    // A small picture of the step's image for the history, made once: the image may spill.
    const QImage shown = after_.image ? after_.image->image() : QImage();
    if (!shown.isNull())
        thumbnail_ = shown
                         .scaled(kThumbnailSide, kThumbnailSide, Qt::KeepAspectRatio,
                                 Qt::SmoothTransformation)
                         .convertToFormat(QImage::Format_RGB32);
}

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

ParamsCommand::ParamsCommand(Document* doc, DreamParams before, DreamParams after, ParamField field,
                             const QString& label)
    : doc_(doc), before_(std::move(before)), after_(std::move(after)), field_(field) {
    setText(!label.isEmpty()                  ? label
            : field == ParamField::Everything ? QCoreApplication::translate("undo", "Apply preset")
                                              : describeChange(before_, after_, field));
    lastChange_.start();
}

void ParamsCommand::undo() { doc_->applyParams(before_); }
void ParamsCommand::redo() { doc_->applyParams(after_); }

int ParamsCommand::id() const {
    return field_ == ParamField::Everything ? -1 : 1000 + static_cast<int>(field_);
}

bool ParamsCommand::mergeWith(const QUndoCommand* other) {
    if (closed_ || other->id() != id() || lastChange_.elapsed() > kMergeWindowMs) return false;
    // Choosing or removing a class is a step of its own; only its weight's edits fold into one.
    if (field_ == fieldOf(ParamId::Classes) &&
        !sameClasses(after_, static_cast<const ParamsCommand*>(other)->after_))
        return false;
    if (field_ == fieldOf(ParamId::Style)) {  // one setting of the section, dragged or clicked
        const QString setting = styleSettingChanged(before_.style, after_.style);
        const StyleParams& next = static_cast<const ParamsCommand*>(other)->after_.style;
        if (setting.isEmpty() || styleSettingChanged(after_.style, next) != setting) return false;
    }
    after_ = static_cast<const ParamsCommand*>(other)->after_;
    setText(describeChange(before_, after_, field_));
    lastChange_.restart();
    setObsolete(after_ == before_);  // dragged back to where it started: no step at all
    return true;
}

}  // namespace inceptionist::ui
