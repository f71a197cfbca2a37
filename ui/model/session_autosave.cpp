#include "ui/model/session_autosave.h"

#include <future>

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QThreadPool>

#include "core/io/image_io.h"
#include "core/params/dream_chain.h"
#include "core/params/errors.h"
#include "ui/model/document.h"
#include "ui/model/image_convert.h"

namespace inceptionist::ui {

namespace {

constexpr const char* kSchema = "inceptionist.session/1";
const char kSessionFile[] = "session.json";

// Everything a save needs, copied on the GUI thread.
struct Snapshot {
    QString folder;
    quint64 generation;
    QImage image, original;
    QString path, originalPath;
    DreamChain chain;       // kept dreams, then the current parameters
    nlohmann::json motion;  // the Motion panel's clip, or null
};

// Writes the images under names of their own generation, then the session file that names them
// (atomically), then removes older images: a crash at any point leaves a complete session.
QString writeSession(const Snapshot& s) {
    const QString tag = QString::number(s.generation);
    const QString image = "image-" + tag + ".png";
    const QString original = s.original.isNull() ? QString() : "original-" + tag + ".png";
    WriteOptions deep;
    deep.bitDepth = 16;  // the document's own precision
    writeImage(QDir(s.folder).filePath(image).toStdString(), toMat(s.image), deep);
    if (!original.isEmpty())
        writeImage(QDir(s.folder).filePath(original).toStdString(), toMat(s.original), deep);
    nlohmann::json j{
        {"schema", kSchema},
        {"saved_at", QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString()},
        {"image", image.toStdString()},
        {"path", s.path.toStdString()},
        {"original_path", s.originalPath.toStdString()},
        {"original", original.toStdString()},
        {"dream", s.chain.toJson()}};
    if (!s.motion.is_null()) j["motion"] = s.motion;
    const std::string text = j.dump(2) + "\n";
    const QString file = QDir(s.folder).filePath(kSessionFile);
    writeFileAtomically(file.toStdString(), {text.begin(), text.end()});
    for (const QString& old : QDir(s.folder).entryList({"image-*.png", "original-*.png"}))
        if (old != image && old != original) QFile::remove(QDir(s.folder).filePath(old));
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
                  : folder) {
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
    for (const QString& f : QDir(folder_).entryList({"image-*.png", "original-*.png"}))
        QFile::remove(QDir(folder_).filePath(f));
}

SessionAutosave::Session SessionAutosave::loadLeftBehind() const {
    const QString file = QDir(folder_).filePath(kSessionFile);
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
        s.image = toQImage(
            readImage(QDir(folder_).filePath(QString::fromStdString(j.at("image"))).toStdString()));
        const std::string original = j.value("original", std::string());
        if (!original.empty())
            s.original = toQImage(
                readImage(QDir(folder_).filePath(QString::fromStdString(original)).toStdString()));
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::Input,
                    file.toStdString() + ": the saved session is damaged (" + e.what() + ")");
    } catch (const Error& e) {
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
    Snapshot s{folder_,
               ++generation_,
               doc_->image(),
               lineage.originalImage,
               doc_->sourcePath(),
               lineage.originalPath,
               DreamChain{lineage.kept, doc_->params()},
               motion_};
    auto finished = std::make_shared<std::promise<void>>();
    save_ = finished->get_future().share();
    savePool().start([this, s, finished] {
        QString file, failure;
        try {
            file = writeSession(s);
        } catch (const std::exception& e) {
            failure = QString::fromStdString(describeFailure(e));
        }
        // Queued back to the GUI thread; the destructor waits for this save first.
        QMetaObject::invokeMethod(
            this,
            [this, file, failure] {
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
