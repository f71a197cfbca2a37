#pragma once
// One undo step for the mask: a brush stroke ("Paint mask", "Erase mask"), Clear or Invert.
// Unlike a slider's ParamsCommand it never merges: every stroke is a step of its own.

#include <QImage>
#include <QUndoCommand>

#include "core/params/dream_params.h"

namespace inceptionist::ui {

class Document;

class MaskChangeCommand : public QUndoCommand {
public:
    MaskChangeCommand(Document* doc, DreamParams before, DreamParams after, const QString& text);
    void undo() override;
    void redo() override;

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
