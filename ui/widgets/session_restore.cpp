#include "ui/widgets/session_restore.h"

#include <memory>

#include <QFileInfo>
#include <QObject>

#include "core/params/errors.h"
#include "ui/model/document.h"
#include "ui/model/session_autosave.h"
#include "ui/model/undo_archive.h"
#include "ui/widgets/file_task.h"

namespace inceptionist::ui {

namespace {

// Another file is being read or written (a nested task from the event loop): nothing is read.
Error busy() { return Error(ErrorKind::Cancelled, "another file is being read or written"); }

// The photo the chain started from, for Shift+B, when the session holds it only by its path:
// read with Qt's decoder as before the restore moved off the GUI thread, but in a file task too
// (a print-size photo takes seconds).
QImage readPhoto(QWidget* parent, const QString& path) {
    auto photo = std::make_shared<QImage>();
    if (!runFileTask(parent, QObject::tr("Reading %1…").arg(QFileInfo(path).fileName()),
                     [path, photo](const CancelToken& cancel, const auto&) {
                         *photo = QImage(path);
                         if (cancel.cancelled())  // as asked, though the photo was read by then
                             throw Error(ErrorKind::Cancelled,
                                         path.toStdString() + ": reading was cancelled");
                     }))
        throw busy();
    return *photo;
}

}  // namespace

RestoredSession restoreSessionOffThread(QWidget* parent, Document& doc, const QString& folder) {
    RestoredSession result;
    try {
        auto read = std::make_shared<SessionAutosave::Session>();
        if (!runFileTask(parent, QObject::tr("Restoring the last session…"),
                         [folder, read](const CancelToken& cancel, const auto& progress) {
                             *read = SessionAutosave::readSession(folder, cancel, progress);
                         }))
            throw busy();
        SessionAutosave::Session& s = *read;

        // The undo stack as it was, when the session holds it; else (saved by a version without
        // it, or it cannot be rebuilt) the session as one step.
        bool withHistory = false;
        if (!s.history.is_null()) {
            try {
                withHistory =
                    restoreUndoHistory(doc, s.history, std::move(s.historyImages), s.params);
            } catch (const std::exception& e) {
                result.historyLost = QString::fromStdString(describeFailure(e));
            }
        }
        if (!withHistory) {
            const QImage photo = !s.original.isNull() ? s.original
                                 : s.kept.empty()     ? s.image
                                                      : readPhoto(parent, s.originalPath);
            doc.restoreSession(s.image, s.path, Lineage{s.originalPath, s.original, s.kept, photo},
                               s.params, QObject::tr("Restore session"));
        }
        result.outcome = SessionRestore::Restored;
        result.savedAt = s.savedAt;
        result.motion = s.motion;
    } catch (const std::exception& e) {
        const auto* error = dynamic_cast<const Error*>(&e);
        result.outcome = error && error->kind() == ErrorKind::Cancelled ? SessionRestore::Cancelled
                                                                        : SessionRestore::Failed;
        result.failure = QString::fromStdString(describeFailure(e));
    }
    return result;
}

}  // namespace inceptionist::ui
