#pragma once
// Restoring the session a crashed run left behind (ui/model/session_autosave.h) without freezing
// the window. Decoding its images (the current one, the photo and every image of the saved undo
// history: 0.2-0.6 s for ten keeps at the working size, seconds at print sizes) runs in a file
// task (ui/widgets/file_task.h): the window keeps answering, and after a moment a progress
// dialog counts the images, with Cancel. The document and its undo steps are then built here,
// on the GUI thread, from the decoded images.
//
// Cancel (or closing the window) while the images are read changes nothing: the document stays
// as it was, and the session on disk is left as it is, to be offered again at the next start.

#include <QDateTime>
#include <QString>
#include <nlohmann/json.hpp>

class QWidget;

namespace inceptionist::ui {

class Document;

enum class SessionRestore { Restored, Failed, Cancelled };

struct RestoredSession {
    SessionRestore outcome = SessionRestore::Failed;
    QString failure;        // Failed or Cancelled: why, for the person
    QString historyLost;    // Restored without its undo history: why
    QDateTime savedAt;      // Restored: when the session was saved
    nlohmann::json motion;  // Restored: the Motion panel's clip, or null
};

// Restores into `doc` the session saved in `folder`. Leaves the autosave's choice (restore or
// drop) to the caller. `parent`: the window the progress dialog belongs to.
RestoredSession restoreSessionOffThread(QWidget* parent, Document& doc, const QString& folder);

}  // namespace inceptionist::ui
