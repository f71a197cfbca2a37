#pragma once
// The document: the image the next dream starts from, the dream parameters, and the undo
// stack that records every change to either. Every kept dream and every parameter change is
// one undo step; a slider drag is folded into one.

#include <QElapsedTimer>
#include <QImage>
#include <QObject>
#include <QUndoStack>

#include "core/params/dream_params.h"
#include "ui/model/param_field.h"

namespace inceptionist::ui {

// Where the current image came from: the photo as opened (by path, or the image itself when it
// was pasted) and the dreams kept since, so a print can replay them at full resolution.
struct Lineage {
    QString originalPath;
    QImage originalImage;
    std::vector<DreamParams> kept;
};

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
    const Lineage& lineage() const { return lineage_; }

    // Recorded changes (undoable). A replaced image starts a new lineage: from `path` when the
    // image was read from it, else from the image itself.
    void replaceImage(const QImage& image, const QString& path, const QString& label);
    void keepDream(const QImage& dream, const DreamParams& madeWith);
    void editParams(const DreamParams& params, ParamField field);

    // A session restored after a crash: its image with its lineage, and its parameters, as one
    // undo step.
    void restoreSession(const QImage& image, const QString& path, const Lineage& lineage,
                        const DreamParams& params, const QString& label);

    // Direct changes, for the undo commands and for starting up.
    void applyImage(const QImage& image, const QString& path, const Lineage& lineage);
    void applyParams(const DreamParams& params);

Q_SIGNALS:
    void imageChanged();
    void paramsChanged();

private:
    QUndoStack undo_;
    QImage image_;
    QString path_;
    Lineage lineage_;
    DreamParams params_;
};

}  // namespace inceptionist::ui
