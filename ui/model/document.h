#pragma once
// The document: the image the next dream starts from, the dream parameters, and the undo
// stack that records every change to either. Every kept dream and every parameter change is
// one undo step; a slider drag is folded into one. Undo and redo of an image step bring back
// the pixels and the finished dream that was on show, without dreaming again; the images the
// steps hold are bounded in bytes (old ones spill to a compressed file).

#include <functional>

#include <QElapsedTimer>
#include <QImage>
#include <QObject>
#include <QUndoStack>

#include "core/params/dream_params.h"
#include "ui/model/image_snapshot.h"
#include "ui/model/param_field.h"

namespace inceptionist::ui {

// Where the current image came from: the photo as opened (by path, or the image itself when it
// was pasted) and the dreams kept since, so a print can replay them at full resolution.
// `photo` is that photo as the window holds it, for comparing with it.
struct Lineage {
    QString originalPath;
    QImage originalImage;
    std::vector<DreamParams> kept;
    QImage photo;
};

// One state of the document's image, as the undo steps record it: the image, where it came
// from, and the finished dream that was shown over it when the state was left.
struct ImageState {
    SnapshotPtr image;
    QString path;
    Lineage lineage;
    SnapshotPtr dream;
    DreamParams dreamParams;
};

class Document : public QObject {
    Q_OBJECT
public:
    // Undo steps kept; the images they hold are also bounded by undoMemoryBudget().
    static constexpr int kUndoLimit = 100;

    // Why the image last changed, so the window knows whether to dream again.
    enum class ImageChange {
        NewImage,  // opened, pasted or dropped: dream it
        Kept,      // a dream became the image: keep it, dream only when asked
        Restored,  // undo or redo: show what was there, with its dream, dream nothing
    };

    explicit Document(QObject* parent = nullptr);

    QUndoStack* undoStack() { return &undo_; }
    const QImage& image() const { return image_; }
    // Identifies the current image across spills and read-backs (QImage::cacheKey does not).
    qint64 imageKey() const { return current_ ? current_->cacheKey() : 0; }
    const QString& sourcePath() const { return path_; }
    const DreamParams& params() const { return params_; }
    const Lineage& lineage() const { return lineage_; }
    ImageChange lastImageChange() const { return change_; }
    // The finished dream over the current image (set by the window, restored by undo), if any.
    QImage dream() const { return dream_ ? dream_->image() : QImage(); }
    const DreamParams& dreamParams() const { return dreamParams_; }

    // Recorded changes (undoable). A replaced image starts a new lineage: from `path` when the
    // image was read from it, else from the image itself.
    void replaceImage(const QImage& image, const QString& path, const QString& label);
    void keepDream(const QImage& dream, const DreamParams& madeWith);
    void editParams(const DreamParams& params, ParamField field);
    // The same, with the undo step named by `label` (a preset's name).
    void editParamsAs(const DreamParams& params, ParamField field, const QString& label);

    // The window reports the finished dream on show (a null image: none), so that leaving this
    // state by undo or redo and coming back shows it again.
    void setDream(const QImage& dream, const DreamParams& madeWith);

    // A session restored after a crash: its image with its lineage, and its parameters, as one
    // undo step.
    void restoreSession(const QImage& image, const QString& path, const Lineage& lineage,
                        const DreamParams& params, const QString& label);

    // A session restored with its undo history: `build` pushes the saved steps on the emptied
    // stack (each redone as it is pushed, the document's signals held meanwhile), the stack then
    // goes back to `index`, and the window is told once, with `params` as the parameters.
    void rebuildHistory(const std::function<void(QUndoStack&)>& build, int index,
                        const DreamParams& params);
    // A snapshot of an image for an undo step, bounded with the others.
    SnapshotPtr makeSnapshot(const QImage& image) { return snapshots_.make(image); }

    // Direct changes, for the undo commands and for starting up.
    void applyImage(const ImageState& state, ImageChange change);
    void applyParams(const DreamParams& params);
    // The current state, with the dream on show, as an undo step records it when leaving it.
    ImageState currentState() const;

    // Bytes of images the undo steps keep in memory, and the bound on them.
    qint64 undoMemoryBytes() const { return snapshots_.bytesInMemory(); }
    int undoSpilledImages() const { return snapshots_.spilledCount(); }
    qint64 undoMemoryBudget() const { return snapshots_.budget(); }
    void setUndoMemoryBudget(qint64 bytes);

Q_SIGNALS:
    void imageChanged();
    void paramsChanged();

private:
    void pushImageStep(ImageState after, ImageChange change, const QString& label);
    void enforceBudget();

    QUndoStack undo_;
    SnapshotStore snapshots_;
    QImage image_;
    SnapshotPtr current_;
    QString path_;
    Lineage lineage_;
    SnapshotPtr dream_;
    DreamParams dreamParams_;
    DreamParams params_;
    ImageChange change_ = ImageChange::NewImage;
};

}  // namespace inceptionist::ui
