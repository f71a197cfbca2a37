#include "ui/model/session_autosave.h"

#include <algorithm>
#include <future>
#include <mutex>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QThreadPool>
#include <QUndoStack>

#include "core/io/image_io.h"
#include "core/params/dream_chain.h"
#include "core/params/errors.h"
#include "core/util/thread_handoff.h"
#include "ui/model/document.h"
#include "ui/model/image_convert.h"
#include "ui/model/undo_archive.h"

namespace inceptionist::ui {

namespace {

constexpr const char* kSchema = "inceptionist.session/1";
const char kSessionFile[] = "session.json";
// The images of this version, and those of the version that wrote one pair per save.
const QStringList kImageFiles{"img-*.png", "image-*.png", "original-*.png"};

// Everything a save needs, taken on the GUI thread.
struct Snapshot {
    QString folder;
    HistoryImages images;            // the session's own and the undo steps', by key
    nlohmann::json image, original;  // keys into `images`
    QString path, originalPath;
    DreamChain chain;        // kept dreams, then the current parameters
    nlohmann::json motion;   // the Motion panel's clip, or null
    PendingHistory history;  // the undo stack, its images by key
    std::shared_ptr<WrittenImages> written;
};

// The document's own precision: what a 16-bit PNG holds exactly and reading it back gives.
QImage deep(const QImage& image) { return image.convertToFormat(QImage::Format_RGBX64); }

// A name for the pixels: the same image gets the same file in every save and every run.
QString fileNameFor(const QImage& image) {
    QCryptographicHash hash(QCryptographicHash::Sha1);
    const qint64 size[2] = {image.width(), image.height()};
    hash.addData(QByteArrayView(reinterpret_cast<const char*>(size), sizeof size));
    const qsizetype row = qsizetype(image.width()) * 8;  // RGBX64, without padding
    for (int y = 0; y < image.height(); ++y)
        hash.addData(QByteArrayView(reinterpret_cast<const char*>(image.constScanLine(y)), row));
    return "img-" + QString::fromLatin1(hash.result().toHex().left(24)) + ".png";
}

}  // namespace

// The files this run's saves wrote, by the key of the image they hold, so a save that names the
// same image again neither reads nor hashes it. Used by one save at a time, on the pool's thread.
struct WrittenImages {
    std::mutex mutex;
    std::map<std::string, QString> files;
};

namespace {

// Writes each image not already on disk, then the session file that names them (atomically),
// then removes images no longer named: a crash at any point leaves a complete session.
QString writeSession(const Snapshot& s) {
    const QDir folder(s.folder);
    std::lock_guard lock(s.written->mutex);
    std::map<std::string, QString> files;
    for (const auto& [key, entry] : s.images.entries()) {
        const auto known = s.written->files.find(key);
        if (known != s.written->files.end() && folder.exists(known->second)) {
            files[key] = known->second;
            continue;
        }
        const QImage pixels = deep(entry.pixels.load());
        if (pixels.isNull())
            throw Error(ErrorKind::Output, "an undo image could not be read back from " +
                                               entry.pixels.spillFile.toStdString());
        const QString name = fileNameFor(pixels);
        if (!folder.exists(name)) {
            WriteOptions sixteen;
            sixteen.bitDepth = 16;
            writeImage(folder.filePath(name).toStdString(), toMat(pixels), sixteen);
        }
        files[key] = name;
    }
    s.written->files = files;

    auto fileOf = [&](const nlohmann::json& key) {
        return key.is_null() ? std::string() : files.at(key.get<std::string>()).toStdString();
    };
    nlohmann::json table = nlohmann::json::object();
    for (const auto& [key, name] : files) table[key] = name.toStdString();
    nlohmann::json j{
        {"schema", kSchema},
        {"saved_at", QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString()},
        {"image", fileOf(s.image)},
        {"path", s.path.toStdString()},
        {"original_path", s.originalPath.toStdString()},
        {"original", fileOf(s.original)},
        {"dream", s.chain.toJson()},
        {"images", table},
        {"history", s.history.toJson()}};
    if (!s.motion.is_null()) j["motion"] = s.motion;
    const std::string text = j.dump(2) + "\n";
    const QString file = folder.filePath(kSessionFile);
    writeFileAtomically(file.toStdString(), {text.begin(), text.end()});

    QStringList named;
    for (const auto& [key, name] : files) named << name;
    for (const QString& old : folder.entryList(kImageFiles))
        if (!named.contains(old)) QFile::remove(folder.filePath(old));
    return file;
}

// A pool of its own: Qt's global pool also paints (see ui/widgets/file_task.cpp).
QThreadPool& savePool() {
    static QThreadPool* pool = [] {
        auto* p = new QThreadPool;
        p->setMaxThreadCount(1);
        return p;
    }();
    return *pool;
}

}  // namespace

SessionAutosave::SessionAutosave(Document* doc, const QString& folder, QObject* parent)
    : QObject(parent),
      doc_(doc),
      folder_(folder.isEmpty()
                  ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/session"
                  : folder),
      written_(std::make_shared<WrittenImages>()) {
    QDir().mkpath(folder_);
    lock_ = std::make_unique<QLockFile>(QDir(folder_).filePath("session.lock"));
    lock_->setStaleLockTime(0);  // only a lock whose process is gone is stale
    if (!lock_->tryLock(0)) {
        lock_.reset();  // another window saves its own session here
        return;
    }
    leftBehind_ = QFile::exists(QDir(folder_).filePath(kSessionFile));
    connect(doc_, &Document::imageChanged, this, &SessionAutosave::saveSoon);
    connect(doc_, &Document::paramsChanged, this, [this] { dirty_ = true; });
    connect(doc_->undoStack(), &QUndoStack::indexChanged, this, [this] { dirty_ = true; });
    interval_.setInterval(kIntervalMs);
    connect(&interval_, &QTimer::timeout, this, [this] {
        if (dirty_) saveSoon();
    });
    interval_.start();
}

SessionAutosave::~SessionAutosave() {
    waitForSave();
    if (active() && !leftBehind_) removeSession();  // a clean end leaves nothing to restore
}

void SessionAutosave::removeSession() {
    QFile::remove(QDir(folder_).filePath(kSessionFile));
    for (const QString& f : QDir(folder_).entryList(kImageFiles))
        QFile::remove(QDir(folder_).filePath(f));
}

SessionAutosave::Session SessionAutosave::loadLeftBehind() const { return readSession(folder_); }

SessionAutosave::Session SessionAutosave::readSession(const QString& folder,
                                                      const CancelToken& cancel,
                                                      const std::function<void(double)>& progress) {
    const QString file = QDir(folder).filePath(kSessionFile);
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        throw Error(ErrorKind::Input, file.toStdString() + ": cannot open the saved session");
    Session s;
    try {
        const auto j = nlohmann::json::parse(f.readAll().toStdString());
        if (j.value("schema", std::string()) != kSchema)
            throw Error(ErrorKind::Input, "not a session of this version");
        const DreamChain chain = DreamChain::fromJson(j.at("dream"));
        s.kept = chain.kept;
        s.params = chain.last;
        s.path = QString::fromStdString(j.value("path", std::string()));
        s.originalPath = QString::fromStdString(j.value("original_path", std::string()));
        s.motion = j.value("motion", nlohmann::json());
        s.savedAt = QDateTime::fromString(
            QString::fromStdString(j.value("saved_at", std::string())), Qt::ISODate);
        const std::string image = j.at("image").get<std::string>();
        const std::string original = j.value("original", std::string());
        s.history = j.value("history", nlohmann::json());
        SavedImages& images = s.historyImages;
        const nlohmann::json table = j.value("images", nlohmann::json::object());
        for (const auto& [key, name] : table.items()) {
            const std::string named = name.get<std::string>();
            if (QFileInfo(QString::fromStdString(named)).fileName().toStdString() != named)
                throw Error(ErrorKind::Input,
                            "image \"" + named + "\" is not in the session folder");
            images.files[key] = named;
        }

        // Each distinct file once, the session's own first; progress counts images.
        std::vector<std::string> files;
        for (const std::string& named : {image, original})
            if (!named.empty() && std::find(files.begin(), files.end(), named) == files.end())
                files.push_back(named);
        const size_t own = files.size();
        for (const auto& [key, named] : images.files)
            if (std::find(files.begin(), files.end(), named) == files.end()) files.push_back(named);
        const auto stopIfCancelled = [&] {
            if (cancel.cancelled())
                throw Error(ErrorKind::Cancelled,
                            file.toStdString() + ": restoring the session was cancelled");
        };
        for (size_t i = 0; i < files.size(); ++i) {
            stopIfCancelled();
            try {
                images.read(folder, files[i]);
            } catch (const std::exception&) {
                // The session's own images are needed; one of the history's costs only the
                // steps that use it (kept in `images`, thrown when a step refers to it).
                if (i < own) throw;
            }
            if (progress) progress(double(i + 1) / double(files.size()));
        }
        stopIfCancelled();  // a Cancel during the last image counts too
        s.image = images.read(folder, image);
        if (!original.empty()) s.original = images.read(folder, original);
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::Input,
                    file.toStdString() + ": the saved session is damaged (" + e.what() + ")");
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::Cancelled) throw;
        throw Error(ErrorKind::Input, file.toStdString() + ": " + e.what());
    }
    return s;
}

void SessionAutosave::setMotion(const nlohmann::json& motion) {
    if (motion == motion_) return;
    motion_ = motion;
    dirty_ = true;  // saved with the next save, as a parameter change is
}

void SessionAutosave::dropLeftBehind() {
    leftBehind_ = false;
    saveSoon();
}

void SessionAutosave::saveSoon() {
    if (!active() || leftBehind_ || soon_) return;
    // The document says its image changed from inside an undo step's redo(), before the undo
    // stack counts the step: the snapshot waits for the event loop, so a Keep is saved with its
    // own step. (Taken at once, the history missed the Keep, and a crash before the next save
    // minutes later lost it.)
    soon_ = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            soon_ = false;
            saveNow();
        },
        Qt::QueuedConnection);
}

void SessionAutosave::saveNow() {
    if (!active() || leftBehind_) return;
    if (doc_->image().isNull()) return;  // nothing worth restoring yet
    if (running_) {
        again_ = true;
        return;
    }
    startSave();
}

void SessionAutosave::startSave() {
    running_ = true;
    again_ = false;
    dirty_ = false;
    const Lineage& lineage = doc_->lineage();
    Snapshot s;
    s.folder = folder_;
    s.image = s.images.add(doc_->image());
    s.original = s.images.add(lineage.originalImage);
    s.path = doc_->sourcePath();
    s.originalPath = lineage.originalPath;
    s.chain = DreamChain{lineage.kept, doc_->params()};
    s.motion = motion_;
    s.history = saveUndoHistory(*doc_, doc_->undoMemoryBudget(), s.images);
    s.written = written_;
    auto finished = std::make_shared<std::promise<void>>();
    save_ = finished->get_future().share();
    // Qt's pool and event queue order this hand-off and the one back; TSan cannot see them.
    const handoff::PostingScope posting(this);
    savePool().start([this, s = std::move(s), finished] {
        handoff::acquire(this);
        QString file, failure;
        try {
            file = writeSession(s);
        } catch (const std::exception& e) {
            failure = QString::fromStdString(describeFailure(e));
        }
        // Queued back to the GUI thread; the destructor waits for this save first.
        const handoff::PostingScope posting(this);
        QMetaObject::invokeMethod(
            this,
            [this, file, failure] {
                handoff::acquire(this);
                running_ = false;
                if (failure.isEmpty())
                    Q_EMIT saved(file);
                else
                    Q_EMIT saveFailed(tr("Autosave failed: %1").arg(failure));
                if (again_) startSave();
            },
            Qt::QueuedConnection);
        finished->set_value();
    });
}

void SessionAutosave::waitForSave() {
    if (save_.valid()) save_.wait();
}

}  // namespace inceptionist::ui
