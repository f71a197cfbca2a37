#pragma once
// Autosave: the session (the current image, the original photo, the chain of kept dreams with
// their parameters, the current parameters, and the undo history within the undo bound in bytes,
// ui/model/undo_archive.h) is written in the background after every kept
// dream or opened image and, while parameters change, every few minutes, atomically, under the
// application data folder. A clean exit removes it; after a crash or `kill -9` the next start
// finds it and offers to restore it.
//
// One window saves at a time: the folder is locked (QLockFile, which also notices a lock left
// by a process that died). A session left behind is not overwritten until the person has chosen
// to restore or drop it.
//
// Images are 16-bit PNGs named by a hash of their pixels, so an image that the session and many
// undo steps share, or that the last save (or the crashed run) already wrote, is written once;
// a save removes the images it no longer names.
//
// Threading: lives on the GUI thread; the encoding and writing run on a thread of a pool of
// its own, one save at a time, with what it needs copied (QImage is shared read-only).

#include <functional>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <QDateTime>
#include <QImage>
#include <QLockFile>
#include <QObject>
#include <QTimer>
#include <nlohmann/json.hpp>

#include "core/params/cancel_token.h"
#include "core/params/dream_params.h"
#include "ui/model/undo_archive.h"

namespace inceptionist::ui {

class Document;
struct WrittenImages;

class SessionAutosave : public QObject {
    Q_OBJECT
public:
    static constexpr int kIntervalMs = 2 * 60 * 1000;  // while only parameters change

    struct Session {
        QImage image;          // what the next dream starts from
        QString path;          // the file it came from, if it was read from one
        QString originalPath;  // the photo at the start of the chain
        QImage original;       // the photo itself, when it was pasted
        std::vector<DreamParams> kept;
        DreamParams params;
        nlohmann::json motion;  // the Motion panel's clip (core/motion/clip_settings.h), or null
        QDateTime savedAt;
        // The undo stack (ui/model/undo_archive.h), or null in a session saved without it; its
        // images by key, decoded (or what reading each threw).
        nlohmann::json history;
        SavedImages historyImages;
    };

    // `folder` empty: "session" under the application data folder.
    explicit SessionAutosave(Document* doc, const QString& folder = {}, QObject* parent = nullptr);
    ~SessionAutosave() override;  // waits for a running save, then removes the session

    const QString& folder() const { return folder_; }
    // Holds the folder's lock: this window saves.
    bool active() const { return lock_ && lock_->isLocked(); }
    // A session from a run that did not end cleanly waits for restore() or dropLeftBehind().
    bool hasLeftBehind() const { return leftBehind_; }
    // Reads the session left behind, on this thread. Throws Error(Input) naming the file at fault.
    Session loadLeftBehind() const;
    // Reads the session saved in `folder` and decodes every image it names, each file once, on
    // any thread (the window's restore runs it in a file task, ui/widgets/session_restore.h):
    // `progress` gets the fraction of the images decoded after each. Throws Error(Input) naming
    // the file at fault (an image of the history that cannot be read is kept as its failure,
    // given when a step refers to it), Error(Cancelled) once `cancel` is set.
    static Session readSession(const QString& folder, const CancelToken& cancel = {},
                               const std::function<void(double)>& progress = {});
    // The person chose: from now on this run's session is saved over it.
    void dropLeftBehind();

    // The Motion panel's clip, saved with the session from the next save on.
    void setMotion(const nlohmann::json& motion);

    // Saves at the event loop's next turn, in the background (as after a kept dream); calls
    // before then make one save.
    void saveSoon();
    // Waits for a running save to be written (shutdown); its signal comes later, if at all.
    void waitForSave();

Q_SIGNALS:
    void saved(QString file);
    void saveFailed(QString message);

private:
    void saveNow();
    void startSave();
    void removeSession();

    Document* doc_;
    QString folder_;
    std::unique_ptr<QLockFile> lock_;
    bool leftBehind_ = false;
    bool dirty_ = false;             // parameters changed since the last save
    bool running_ = false;           // a save runs on the pool
    bool again_ = false;             // another save was asked for meanwhile
    bool soon_ = false;              // a save is queued for the event loop
    std::shared_future<void> save_;  // the running or last save
    QTimer interval_;
    nlohmann::json motion_;
    std::shared_ptr<WrittenImages> written_;  // the images on disk, known to the save's thread
};

}  // namespace inceptionist::ui
