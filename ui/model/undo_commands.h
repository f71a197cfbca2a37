#pragma once
// The document's undo steps: an image replaced (opened, pasted, or a dream kept) and a change
// of dream parameters. Consecutive changes of one parameter within a moment (a slider drag,
// repeated spin-box clicks) merge into one step, as in Qt's undo framework example.

#include <functional>
#include <memory>

#include <QElapsedTimer>
#include <QImage>
#include <QUndoCommand>
#include <nlohmann/json.hpp>

#include "core/params/dream_params.h"
#include "ui/model/document.h"
#include "ui/model/param_field.h"

namespace inceptionist::ui {

class Document;
class HistoryImages;
class HistoryParams;
class RestoredHistory;

// Leaving a state records the dream then on show, so coming back to it shows that dream again.
class ImageCommand : public QUndoCommand {
public:
    ImageCommand(Document* doc, ImageState before, ImageState after,
                 Document::ImageChange firstChange, const QString& text);
    void undo() override;
    void redo() override;
    static constexpr int kThumbnailSide = 48;
    const QImage& thumbnail() const { return thumbnail_; }

    // The autosaved form (ui/model/undo_archive.h): both states, images by reference. saved()
    // copies what the JSON needs and adds the images; the writer it returns makes the JSON.
    std::function<nlohmann::json(HistoryParams&)> saved(HistoryImages& images) const;
    static std::unique_ptr<ImageCommand> fromJson(Document* doc, const nlohmann::json& j,
                                                  RestoredHistory& history);

private:
    Document* doc_;
    ImageState before_, after_;
    QImage thumbnail_;
    Document::ImageChange firstChange_;
    bool done_ = false;  // redone at least once (the push)
};

class ParamsCommand : public QUndoCommand {
public:
    static constexpr int kMergeWindowMs = 1500;

    // `label` names the step (a preset's name); empty: the field with its old and new value.
    ParamsCommand(Document* doc, DreamParams before, DreamParams after, ParamField field,
                  const QString& label = {});
    void undo() override;
    void redo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand* other) override;

    // The autosaved form (ui/model/undo_archive.h). A step read back is closed: the next change
    // is a step of its own, as it would have been after the pause a crash means.
    std::function<nlohmann::json(HistoryParams&)> saved(HistoryImages& images) const;
    static std::unique_ptr<ParamsCommand> fromJson(Document* doc, const nlohmann::json& j,
                                                   RestoredHistory& history);

private:
    Document* doc_;
    DreamParams before_, after_;
    ParamField field_;
    QElapsedTimer lastChange_;
    bool closed_ = false;  // read back from an autosave: merges with nothing
};

QString fieldName(ParamField field);
QString describeChange(const DreamParams& before, const DreamParams& after, ParamField field);

}  // namespace inceptionist::ui
