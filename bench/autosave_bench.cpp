// inceptionist-autosave-bench: what the undo history adds to the autosave (README, "Nothing
// lost"). Not a test: run it by hand. No model needed.
//
//   inceptionist-autosave-bench [KEEPS]
//
// A session at the default working size (the sample photo at 512 px, 16 bits) with KEEPS (10)
// kept dreams, a parameter change after each. Stand-ins for the dreams: the photo with detail of
// its own added (blurred noise), so each compresses as a dream does, not as a flat colour.
// Prints, for a session of the photo alone (what a save holds without the history) and for the
// KEEPS session: the time of the save on the GUI thread (taking the history) and in all, the
// images written and the folder's size; then a save after one more parameter change, one with
// nothing changed and one after one more keep, which write only what is new; and the time to
// read it all back, with the longest the GUI thread then keeps the event loop waiting: decoded
// on the GUI thread as before, and in a file task as the window restores now.

#include <cstdio>
#include <cstdlib>
#include <functional>

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>

#include <opencv2/imgproc.hpp>

#include "core/io/image_io.h"
#include "tests/event_loop_stall.h"
#include "ui/model/document.h"
#include "ui/model/image_convert.h"
#include "ui/model/session_autosave.h"
#include "ui/model/undo_archive.h"
#include "ui/widgets/session_restore.h"

using namespace inceptionist;
using namespace inceptionist::ui;

namespace {

QImage dreamLike(const cv::Mat& photo, int n) {
    cv::Mat noise(photo.size(), photo.type());
    cv::theRNG().state = 1000 + n;
    cv::randn(noise, 0.0, 0.15);
    cv::GaussianBlur(noise, noise, {0, 0}, 1.2);
    cv::Mat out = photo + noise;
    cv::min(cv::max(out, 0.0), 1.0, out);
    return toQImage(out);
}

struct Figures {
    double guiMs = 0, totalMs = 0;
    int written = 0, files = 0;
    qint64 bytes = 0, json = 0;
};

// The save that `change` starts (by default: one asked for, as the interval asks).
Figures save(SessionAutosave& autosave, const std::function<void()>& change = {}) {
    const QDir folder(autosave.folder());
    QStringList before = folder.entryList({"*.png"});
    QSignalSpy saved(&autosave, &SessionAutosave::saved);
    QElapsedTimer t;
    t.start();
    if (change)
        change();
    else
        autosave.saveSoon();
    // The save's snapshot is taken at the event loop's next turn; that turn is the GUI thread's
    // share of the save too.
    QCoreApplication::processEvents();
    Figures f;
    f.guiMs = t.nsecsElapsed() / 1e6;
    if (!saved.wait(120000)) {
        std::fprintf(stderr, "the save did not finish\n");
        std::exit(1);
    }
    f.totalMs = t.nsecsElapsed() / 1e6;
    for (const QFileInfo& i : folder.entryInfoList({"*.png", "session.json"}, QDir::Files)) {
        f.bytes += i.size();
        ++f.files;
        if (i.suffix() == "png" && !before.contains(i.fileName())) ++f.written;
    }
    f.json = QFileInfo(folder.filePath("session.json")).size();
    return f;
}

void print(const char* what, const Figures& f) {
    std::printf(
        "%-40s GUI thread %5.2f ms, in all %6.1f ms, %2d images written, %2d files, "
        "%5.2f MB (session.json %lld kB)\n",
        what, f.guiMs, f.totalMs, f.written, f.files, f.bytes / 1e6,
        static_cast<long long>(f.json / 1000));
}

}  // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");  // the file task's dialog needs widgets
    QApplication app(argc, argv);
    const int keeps = argc > 1 ? std::atoi(argv[1]) : 10;
    cv::Mat photo = readImage(INCEPTIONIST_SAMPLE_IMAGE);
    const double scale = 512.0 / std::max(photo.cols, photo.rows);
    cv::resize(photo, photo, {}, scale, scale, cv::INTER_AREA);
    std::printf("session at %d x %d, 16 bits, %d keeps\n", photo.cols, photo.rows, keeps);

    {
        QTemporaryDir dir;
        Document doc;
        doc.replaceImage(toQImage(photo), INCEPTIONIST_SAMPLE_IMAGE, "Open");
        SessionAutosave autosave(&doc, dir.path());
        print("the photo alone", save(autosave));
    }
    QTemporaryDir dir;
    Document doc;
    doc.replaceImage(toQImage(photo), INCEPTIONIST_SAMPLE_IMAGE, "Open");
    for (int i = 0; i < keeps; ++i) {
        DreamParams made = doc.params();
        made.seed = i;
        const QImage dream = dreamLike(photo, i);
        doc.setDream(dream, made);
        doc.keepDream(dream, made);
        DreamParams next = doc.params();
        next.seed = 100 + i;
        doc.editParams(next, ParamField::Seed);
    }
    SessionAutosave autosave(&doc, dir.path());
    char what[64];
    std::snprintf(what, sizeof what, "%d keeps with their history, first save", keeps);
    print(what, save(autosave));
    DreamParams next = doc.params();
    next.steps = 30;
    doc.editParams(next, ParamField::Steps);
    print("after one more parameter change", save(autosave));
    print("again, with nothing changed", save(autosave));
    const QImage dream = dreamLike(photo, keeps);
    doc.setDream(dream, next);
    print("after one more keep", save(autosave, [&] { doc.keepDream(dream, next); }));

    // Read back, as the next start does after a crash: once all on the GUI thread (as before
    // the restore decoded in a file task), once as the window does now; a 5 ms timer measures
    // the longest the GUI thread kept the event loop waiting (no window: no painting).
    QTemporaryDir copy;
    for (const QString& f : QDir(dir.path()).entryList({"session.json", "*.png"}))
        QFile::copy(QDir(dir.path()).filePath(f), QDir(copy.path()).filePath(f));
    {
        Document restored;
        const test::EventLoopStall m = test::measureEventLoopStall([&] {
            SessionAutosave::Session s = SessionAutosave::readSession(copy.path());
            restoreUndoHistory(restored, s.history, std::move(s.historyImages), s.params);
        });
        std::printf(
            "restored %d undo steps on the GUI thread in %.1f ms, the event loop waited %.1f ms\n",
            restored.undoStack()->count(), m.totalMs, m.worstWaitMs);
    }
    {
        Document restored;
        const test::EventLoopStall m = test::measureEventLoopStall([&] {
            if (restoreSessionOffThread(nullptr, restored, copy.path()).outcome !=
                SessionRestore::Restored) {
                std::fprintf(stderr, "the session was not restored\n");
                std::exit(1);
            }
        });
        std::printf(
            "restored %d undo steps, decoded in a file task, in %.1f ms, the event loop waited "
            "%.1f ms\n",
            restored.undoStack()->count(), m.totalMs, m.worstWaitMs);
    }
    return 0;
}
