#pragma once
// The document: the image the next dream starts from, the dream parameters, and the undo
// stack that records every change to either. Every kept dream and every parameter change is
// one undo step; a slider drag is folded into one.

#include <QElapsedTimer>
#include <QImage>
#include <QObject>
#include <QUndoStack>

#include "core/dream_params.h"
#include "ui/parameter_panel.h"

namespace inceptionist::ui {

class Document : public QObject {
    Q_OBJECT
public:
    // Undo steps kept; image steps hold a full image each, so this bounds their memory.
    static constexpr int kUndoLimit = 100;

    explicit Document(QObject* parent = nullptr);

    QUndoStack* undoStack() { return &undo_; }
    const QImage& image() const { return image_; }
    const QString& sourcePath() const { return path_; }
    const DreamParams& params() const { return params_; }

    // Recorded changes (undoable).
    void replaceImage(const QImage& image, const QString& path, const QString& label);
    void keepDream(const QImage& dream);
    void editParams(const DreamParams& params, ParamField field);

    // Direct changes, for the undo commands and for starting up.
    void applyImage(const QImage& image, const QString& path);
    void applyParams(const DreamParams& params);

Q_SIGNALS:
    void imageChanged();
    void paramsChanged();

private:
    QUndoStack undo_;
    QImage image_;
    QString path_;
    DreamParams params_;
};

}  // namespace inceptionist::ui
