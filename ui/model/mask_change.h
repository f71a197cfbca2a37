#pragma once
// One undo step for the mask: a brush stroke ("Paint mask", "Erase mask"), Clear or Invert.
// Unlike a slider's ParamsCommand it never merges: every stroke is a step of its own.

#include <functional>
#include <memory>

#include <QImage>
#include <QUndoCommand>
#include <nlohmann/json.hpp>

#include "core/params/dream_params.h"

namespace inceptionist::ui {

class Document;
class HistoryImages;
class HistoryParams;
class RestoredHistory;

class MaskChangeCommand : public QUndoCommand {
public:
    MaskChangeCommand(Document* doc, DreamParams before, DreamParams after, const QString& text);
    void undo() override;
    void redo() override;

    // The autosaved form (ui/model/undo_archive.h): both parameter sets, mask included.
    std::function<nlohmann::json(HistoryParams&)> saved(HistoryImages& images) const;
    static std::unique_ptr<MaskChangeCommand> fromJson(Document* doc, const nlohmann::json& j,
                                                       RestoredHistory& history);

private:
    Document* doc_;
    DreamParams before_, after_;
};

// A mask painted in the window (QImage::Format_Grayscale8, white = dream) as the text of
// DreamParams::mask, and back (a null image for no mask). Encoding is a few milliseconds for a
// 512 px mask; decoding likewise.
std::string maskText(const QImage& grey);
QImage maskImage(const std::string& text);

}  // namespace inceptionist::ui
