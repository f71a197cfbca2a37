// Autosave: a real window process keeps two dreams with parameter changes between them and is
// killed with SIGKILL; the next window finds the session it left, restores the kept image pixel
// for pixel with the chain of kept dreams, the current parameters and the undo history (undo and
// redo give the same pixels, parameters and History panel as before the crash), and a clean end
// leaves nothing to restore. The history stays within the undo bound in bytes, each image is
// written once, and a session saved without a history still restores.

#include <QtTest>

#include <QUndoStack>
#include <QUndoView>

#include <sys/stat.h>
#include <algorithm>
#include <csignal>
#include <functional>

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "core/io/image_io.h"
#include "core/params/dream_chain.h"
#include "tests/event_loop_stall.h"
#include "tests/gui_test_support.h"
#include "tests/sanitizer_build.h"
#include "tests/test_support.h"
#include "ui/model/document.h"
#include "ui/model/image_convert.h"
#include "ui/model/mask_change.h"
#include "ui/model/session_autosave.h"
#include "ui/model/undo_archive.h"
#include "ui/widgets/file_task.h"
#include "ui/widgets/history_delegate.h"
#include "ui/widgets/message_bar.h"
#include "ui/widgets/parameter_panel.h"
#include "ui/widgets/seed_spin.h"
#include "ui/widgets/session_restore.h"
#include "ui/widgets/slider_spin.h"

using namespace inceptionist;
using namespace inceptionist::ui;

class AutosaveTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::isolateSettings(settingsDir_.path()); }

    void killedProcessIsRestored() {
        QTemporaryDir out;
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("QT_QPA_PLATFORM", "offscreen");
        child.setProcessEnvironment(env);
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationDirPath() + "/autosave_child",
                    {settingsDir_.path(), out.path()});
        QVERIFY(child.waitForStarted(10000));
        QByteArray said;
        while (!said.contains("saved") && child.state() == QProcess::Running)
            if (child.waitForReadyRead(120000)) said += child.readAllStandardOutput();
        QVERIFY2(said.contains("saved"), said.constData());
        child.kill();  // SIGKILL: no destructor, no clean end
        QVERIFY(child.waitForFinished(10000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);

        // The undo stack as the killed window had it, each step's text and the index.
        QFile stackFile(out.filePath("stack.json"));
        QVERIFY(stackFile.open(QIODevice::ReadOnly));
        const auto stack = nlohmann::json::parse(stackFile.readAll().toStdString());
        const cv::Mat kept1 = readImage(out.filePath("kept1.png").toStdString());
        const cv::Mat kept2 = readImage(out.filePath("kept2.png").toStdString());
        QVERIFY(test::meanAbsDifference(kept1, kept2) > 0.001);  // two different dreams

        {
            MainWindow window(QString::fromStdString(test::modelsDir()));
            QVERIFY(window.hasRestorableSession());
            QVERIFY(window.restoreSession());
            QVERIFY2(!window.messageBar()->text().contains("undo history"),
                     qPrintable(window.messageBar()->text()));
            Document* doc = window.document();
            QUndoStack* undo = doc->undoStack();
            const cv::Mat restored = toMat(doc->image());
            QCOMPARE(restored.cols, 96);
            QCOMPARE(test::meanAbsDifference(restored, kept2), 0.0);
            QCOMPARE(doc->lineage().kept.size(), size_t(2));
            QCOMPARE(doc->lineage().kept[0].seed, uint64_t(0));  // the kept dream's own seed
            QCOMPARE(doc->lineage().kept[0].workingSize, 96);
            QCOMPARE(doc->lineage().kept[1].seed, uint64_t(99));
            QCOMPARE(doc->lineage().kept[1].steps, 3);
            QCOMPARE(doc->params().seed, uint64_t(5));  // the settings as they were
            QCOMPARE(doc->lineage().originalPath, QString::fromStdString(test::sampleImage()));
            QVERIFY(!window.hasRestorableSession());

            // The same history: the History panel lists the killed window's steps, at its index.
            const auto& texts = stack["texts"];
            QCOMPARE(undo->count(), int(texts.size()));
            QCOMPARE(undo->index(), stack["index"].get<int>());
            auto* view = window.findChild<QUndoView*>();
            QVERIFY(view);
            QCOMPARE(view->model()->rowCount(), undo->count() + 1);  // row 0: before any step
            for (int i = 0; i < undo->count(); ++i)
                QCOMPARE(view->model()->index(i + 1, 0).data().toString(),
                         QString::fromStdString(texts[size_t(i)].get<std::string>()));
            QCOMPARE(undo->text(undo->count() - 1), QString("Change seed 99 → 5"));
            QCOMPARE(undo->text(undo->count() - 2), QString("Keep dream"));
            auto* delegate = qobject_cast<HistoryDelegate*>(view->itemDelegate());
            QVERIFY(delegate);
            QVERIFY(!delegate->thumbnailAt(undo->count() - 1).isNull());  // the kept dream's
            QCOMPARE(view->currentIndex().row(), undo->index());

            // Undo twice: the seed change and the second keep; the first kept dream is back.
            undo->undo();
            undo->undo();
            QCOMPARE(test::meanAbsDifference(toMat(doc->image()), kept1), 0.0);
            QCOMPARE(doc->lineage().kept.size(), size_t(1));
            QCOMPARE(doc->params().seed, uint64_t(99));
            QCOMPARE(doc->params().steps, 3);
            QCOMPARE(window.panel()->seedControl()->value(), uint64_t(99));
            QCOMPARE(window.panel()->control(ParamId::Steps)->value(), 3.0);
            QCOMPARE(view->currentIndex().row(), undo->index());
            // Redo both: as before the crash.
            undo->redo();
            undo->redo();
            QCOMPARE(test::meanAbsDifference(toMat(doc->image()), kept2), 0.0);
            QCOMPARE(doc->lineage().kept.size(), size_t(2));
            QCOMPARE(window.panel()->seedControl()->value(), uint64_t(5));
            QCOMPARE(view->currentIndex().row(), undo->count());

            // A change after the restore is a step of its own, not folded into the saved one.
            DreamParams next = doc->params();
            next.seed = 6;
            doc->editParams(next, ParamField::Seed);
            QCOMPARE(undo->count(), int(texts.size()) + 1);
        }
        // That window ended cleanly: the next start has nothing to offer.
        MainWindow next(QString::fromStdString(test::modelsDir()));
        QVERIFY(!next.hasRestorableSession());
    }

    // A damaged session is reported, not fatal; the window goes on with its own.
    void damagedSessionIsReported() {
        // As a run that crashed mid-way through an older, broken version might have left it.
        const QString folder =
            QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/session";
        QVERIFY(QDir().mkpath(folder));
        QFile f(folder + "/session.json");
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"schema\": \"inceptionist.session/1\", \"dream\": ");
        f.close();
        MainWindow window(QString::fromStdString(test::modelsDir()));
        QVERIFY(window.hasRestorableSession());
        QVERIFY(!window.restoreSession());
        QVERIFY2(window.messageBar()->text().contains("session.json"),
                 qPrintable(window.messageBar()->text()));
    }

    // A session file as the version before the undo history wrote it restores, with one step.
    void sessionWithoutHistoryRestores() {
        const QString folder =
            QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/session";
        QVERIFY(QDir().mkpath(folder));
        const QImage image = coloured(40, 30, 3);
        writeDeep(folder + "/image-7.png", image);
        DreamParams kept, now;
        kept.seed = 11;
        now.seed = 42;
        const nlohmann::json session{{"schema", "inceptionist.session/1"},
                                     {"saved_at", "2026-11-28T12:00:00Z"},
                                     {"image", "image-7.png"},
                                     {"path", ""},
                                     {"original_path", "/photos/cat.jpg"},
                                     {"original", ""},
                                     {"dream", DreamChain{{kept}, now}.toJson()}};
        const std::string text = session.dump();
        writeFileAtomically((folder + "/session.json").toStdString(), {text.begin(), text.end()});

        MainWindow window(QString::fromStdString(test::modelsDir()));
        QVERIFY(window.hasRestorableSession());
        QVERIFY(window.restoreSession());
        Document* doc = window.document();
        QVERIFY(test::samePixels(doc->image(), image));
        QCOMPARE(doc->params().seed, uint64_t(42));
        QCOMPARE(doc->lineage().kept.size(), size_t(1));
        QCOMPARE(doc->lineage().kept[0].seed, uint64_t(11));
        QCOMPARE(doc->undoStack()->count(), 1);  // "Restore session", nothing before it
        QCOMPARE(doc->undoStack()->text(0), QString("Restore session"));
        QVERIFY2(!window.messageBar()->text().contains("undo history"),
                 qPrintable(window.messageBar()->text()));
    }

    // A history this version cannot rebuild (a step of a kind it does not know): the session is
    // restored without it, and the message says so and why.
    void unknownHistoryRestoresWithoutIt() {
        const QString folder =
            QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/session";
        QVERIFY(QDir().mkpath(folder));
        const QImage image = coloured(40, 30, 5);
        writeDeep(folder + "/img-0.png", image);
        DreamParams now;
        now.seed = 8;
        const nlohmann::json session{{"schema", "inceptionist.session/1"},
                                     {"saved_at", "2026-11-28T12:00:00Z"},
                                     {"image", "img-0.png"},
                                     {"path", ""},
                                     {"original_path", ""},
                                     {"original", "img-0.png"},
                                     {"dream", DreamChain{{}, now}.toJson()},
                                     {"images", {{"1", "img-0.png"}}},
                                     {"history",
                                      {{"index", 1},
                                       {"steps", {{{"kind", "sculpt"}, {"text", "Sculpt"}}}},
                                       {"params", {}}}}};
        const std::string text = session.dump();
        writeFileAtomically((folder + "/session.json").toStdString(), {text.begin(), text.end()});

        MainWindow window(QString::fromStdString(test::modelsDir()));
        QVERIFY(window.restoreSession());
        const QString said = window.messageBar()->text();
        QVERIFY2(said.contains("without its undo history") && said.contains("sculpt"),
                 qPrintable(said));
        Document* doc = window.document();
        QVERIFY(test::samePixels(doc->image(), image));
        QCOMPARE(doc->params().seed, uint64_t(8));
        QCOMPARE(doc->undoStack()->count(), 1);
        QCOMPARE(doc->undoStack()->text(0), QString("Restore session"));
    }

    // Six keeps of 64 × 48 images with a parameter change after each, under an undo bound of
    // four such images: the session keeps the current image and the photo, so the saved history
    // is the last five steps (two keeps, three changes), four images in all, which a second
    // document rebuilds: undo gives the older images and parameters pixel for pixel. A later save
    // writes none of those images again.
    void historyStaysWithinBoundAndWritesEachImageOnce() {
        QTemporaryDir first, second;
        const qint64 imageBytes = 64 * 48 * 8;
        Document doc;
        doc.setUndoMemoryBudget(4 * imageBytes);
        doc.replaceImage(coloured(64, 48, 0), {}, "Paste image");
        for (int i = 0; i < 6; ++i) {
            DreamParams made = doc.params();
            made.seed = i;
            const QImage dream = coloured(64, 48, i + 1);
            doc.setDream(dream, made);
            doc.keepDream(dream, made);
            DreamParams next = doc.params();
            next.seed = 100 + i;
            doc.editParams(next, ParamField::Seed);
        }
        QCOMPARE(doc.undoStack()->count(), 13);

        std::map<QString, ino_t> inodes;
        {
            SessionAutosave autosave(&doc, first.path());
            QSignalSpy saved(&autosave, &SessionAutosave::saved);
            autosave.saveSoon();
            QVERIFY(saved.wait(30000));
            const auto session = readJson(first.filePath("session.json"));
            QCOMPARE(session["history"]["steps"].size(), size_t(5));
            QCOMPARE(session["history"]["index"].get<int>(), 5);
            const QStringList images = QDir(first.path()).entryList({"*.png"});
            QCOMPARE(images.size(), 4);  // the current image, the photo, two older dreams
            for (const QString& f : images) inodes[f] = inodeOf(first.filePath(f));

            // Another step (no image of its own) and a save: the images are the same files.
            DreamParams steps = doc.params();
            steps.steps = 7;
            doc.editParams(steps, ParamField::Steps);
            autosave.saveSoon();
            QVERIFY(saved.wait(30000));
            QCOMPARE(readJson(first.filePath("session.json"))["history"]["steps"].size(),
                     size_t(6));
            QCOMPARE(QDir(first.path()).entryList({"*.png"}), images);
            for (const QString& f : images) QCOMPARE(inodeOf(first.filePath(f)), inodes[f]);
            for (const QString& f : QDir(first.path()).entryList({"session.json", "*.png"}))
                QVERIFY(QFile::copy(first.filePath(f), second.filePath(f)));
        }

        Document restored;
        QVERIFY(restoreLeftBehind(restored, second.path()));
        QUndoStack* undo = restored.undoStack();
        QCOMPARE(undo->count(), 6);
        for (int i = 0; i < 6; ++i) QCOMPARE(undo->text(i), doc.undoStack()->text(8 + i));
        QVERIFY(test::samePixels(restored.image(), coloured(64, 48, 6)));
        QCOMPARE(restored.params().steps, 7);
        QCOMPARE(restored.params().seed, uint64_t(105));
        undo->setIndex(0);
        QVERIFY(test::samePixels(restored.image(), coloured(64, 48, 4)));
        QCOMPARE(restored.params().seed, uint64_t(102));
        QCOMPARE(restored.lineage().kept.size(), size_t(4));
        undo->redo();  // the seed
        undo->redo();  // the fifth kept dream
        QVERIFY(test::samePixels(restored.image(), coloured(64, 48, 5)));
        QCOMPARE(restored.lineage().kept.back().seed, uint64_t(4));
        undo->setIndex(undo->count());
        QVERIFY(test::samePixels(restored.image(), coloured(64, 48, 6)));
        QCOMPARE(restored.params().steps, 7);
    }

    // A brush stroke is a step of the saved history: after a restore, undo takes the stroke
    // back and redo paints it again.
    void maskStrokesAreInTheHistory() {
        QTemporaryDir first, second;
        Document doc;
        doc.replaceImage(coloured(64, 48, 0), {}, "Paste image");
        QImage painted(64, 48, QImage::Format_Grayscale8);
        painted.fill(0);
        for (int y = 0; y < 48; ++y) std::fill_n(painted.scanLine(y), 32, uchar(255));
        DreamParams stroke = doc.params();
        stroke.mask = maskText(painted);
        QVERIFY(!stroke.mask.empty());
        doc.undoStack()->push(new MaskChangeCommand(&doc, doc.params(), stroke, "Paint mask"));
        QCOMPARE(doc.params().mask, stroke.mask);
        {
            SessionAutosave autosave(&doc, first.path());
            QSignalSpy saved(&autosave, &SessionAutosave::saved);
            autosave.saveSoon();
            QVERIFY(saved.wait(30000));
            for (const QString& f : QDir(first.path()).entryList({"session.json", "*.png"}))
                QVERIFY(QFile::copy(first.filePath(f), second.filePath(f)));
        }
        Document restored;
        QVERIFY(restoreLeftBehind(restored, second.path()));
        QUndoStack* undo = restored.undoStack();
        QCOMPARE(undo->count(), 2);
        QCOMPARE(undo->text(1), QString("Paint mask"));
        QCOMPARE(restored.params().mask, stroke.mask);
        const QImage back = maskImage(restored.params().mask);
        QCOMPARE(int(back.constScanLine(20)[5]), 255);  // painted
        QCOMPARE(int(back.constScanLine(20)[60]), 0);
        undo->undo();
        QVERIFY(restored.params().mask.empty());
        undo->redo();
        QCOMPARE(restored.params().mask, stroke.mask);
    }

    // A Keep starts a save, and that save holds the Keep's own undo step: a crash right after a
    // Keep restores the kept dream with its step (the document announces the kept image from
    // inside the step, before the undo stack counts it; a snapshot taken there missed the Keep).
    void keepIsSavedWithItsStep() {
        QTemporaryDir folder, copy;
        Document doc;
        doc.replaceImage(coloured(64, 48, 0), {}, "Paste image");
        SessionAutosave autosave(&doc, folder.path());
        QSignalSpy saved(&autosave, &SessionAutosave::saved);
        DreamParams made = doc.params();
        made.seed = 7;
        const QImage dream = coloured(64, 48, 1);
        doc.setDream(dream, made);
        doc.keepDream(dream, made);
        QCOMPARE(doc.undoStack()->count(), 2);
        QVERIFY(saved.wait(30000));
        const auto session = readJson(folder.filePath("session.json"));
        QCOMPARE(session["history"]["index"].get<int>(), 2);
        QCOMPARE(session["history"]["steps"].size(), size_t(2));
        for (const QString& f : QDir(folder.path()).entryList({"session.json", "*.png"}))
            QVERIFY(QFile::copy(folder.filePath(f), copy.filePath(f)));
        Document restored;
        QVERIFY(restoreLeftBehind(restored, copy.path()));
        QCOMPARE(restored.undoStack()->index(), 2);
        QCOMPARE(restored.undoStack()->text(1), doc.undoStack()->text(1));
        QCOMPARE(restored.lineage().kept.size(), size_t(1));
        QCOMPARE(restored.image().convertToFormat(QImage::Format_RGB32),
                 dream.convertToFormat(QImage::Format_RGB32));
    }

    // Undoing a Keep shows the dream that was on show when it was kept, as before the crash: the
    // step's dream is saved with it and comes back with the restored history.
    void undoneKeepShowsItsDreamAfterRestore() {
        QTemporaryDir folder, copy;
        Document doc;
        doc.replaceImage(coloured(64, 48, 0), {}, "Paste image");
        std::vector<QImage> dreams;
        for (int i = 0; i < 2; ++i) {
            DreamParams made = doc.params();
            made.seed = i;
            dreams.push_back(coloured(64, 48, i + 1));
            doc.setDream(dreams.back(), made);
            doc.keepDream(dreams.back(), made);
        }
        {
            SessionAutosave autosave(&doc, folder.path());
            QSignalSpy saved(&autosave, &SessionAutosave::saved);
            autosave.saveSoon();
            QVERIFY(saved.wait(30000));
            for (const QString& f : QDir(folder.path()).entryList({"session.json", "*.png"}))
                QVERIFY(QFile::copy(folder.filePath(f), copy.filePath(f)));
        }
        Document restored;
        QVERIFY(restoreLeftBehind(restored, copy.path()));
        // The restored run saves its session again: the dreams stay in it.
        QTemporaryDir again, againCopy;
        {
            SessionAutosave autosave(&restored, again.path());
            QSignalSpy saved(&autosave, &SessionAutosave::saved);
            autosave.saveSoon();
            QVERIFY(saved.wait(30000));
            for (const QString& f : QDir(again.path()).entryList({"session.json", "*.png"}))
                QVERIFY(QFile::copy(again.filePath(f), againCopy.filePath(f)));
        }
        Document restoredTwice;
        QVERIFY(restoreLeftBehind(restoredTwice, againCopy.path()));
        for (Document* d : {&doc, &restored, &restoredTwice}) {
            for (int i = 1; i >= 0; --i) {
                d->undoStack()->undo();  // the Keep of dreams[i]
                QCOMPARE(d->dream().convertToFormat(QImage::Format_RGB32),
                         dreams[i].convertToFormat(QImage::Format_RGB32));
            }
        }
    }

    // A session of ten keeps at 1024 × 768 (eleven images to decode, 0.5-1.7 s on the loaded
    // development machine) restored by the window: the images are decoded off the GUI thread, so
    // its event loop keeps turning (the worst wait of a 5 ms timer is a small part of the
    // restore, and short), and the history is the one saved: at every undo index the same
    // pixels, parameters and panel values as the document that saved it.
    void restoreKeepsTheWindowAnswering() {
        Document doc;
        keepDreams(doc, 10, 1024, 768);
        QCOMPARE(doc.undoStack()->count(), 21);
        saveInWindowFolder(doc);

        MainWindow window(QString::fromStdString(test::modelsDir()));
        window.setLiveMode(false);
        window.show();
        QVERIFY(window.hasRestorableSession());
        bool restored = false;
        const test::EventLoopStall m =
            test::measureEventLoopStall([&] { restored = window.restoreSession(); });
        QVERIFY2(restored, qPrintable(window.messageBar()->text()));
        qInfo(
            "restoring 10 keeps at 1024 x 768 took %.0f ms; the event loop waited at most %.0f ms",
            m.totalMs, m.worstWaitMs);
        // Decoded on the GUI thread, the whole restore is one wait (0.9 s for eight keeps before
        // the decoding moved off it); now the GUI thread only builds the steps and shows them.
        if (!test::kSanitizerBuild) {  // instrumented code is slower: the normal build asserts
            QVERIFY(m.worstWaitMs * 3 < m.totalMs);
            QVERIFY(m.worstWaitMs < kWorstWaitMs);
        }

        // The same history, state by state, from the newest down to the first step.
        Document* back = window.document();
        QCOMPARE(back->undoStack()->count(), doc.undoStack()->count());
        QCOMPARE(back->undoStack()->index(), doc.undoStack()->index());
        for (int i = doc.undoStack()->count(); i >= 1; --i) {
            doc.undoStack()->setIndex(i);
            back->undoStack()->setIndex(i);
            QCOMPARE(back->undoStack()->text(i - 1), doc.undoStack()->text(i - 1));
            QVERIFY(test::samePixels(back->image(), doc.image()));
            QCOMPARE(back->lineage().kept.size(), doc.lineage().kept.size());
            QCOMPARE(back->params().steps, doc.params().steps);
            QCOMPARE(back->params().seed, doc.params().seed);
            QCOMPARE(window.panel()->control(ParamId::Steps)->value(), double(doc.params().steps));
            QCOMPARE(window.panel()->seedControl()->value(), doc.params().seed);
        }
    }

    // Cancel while the images are decoded: the window is as it was, the session on disk keeps
    // every byte and the next start offers it again, whole.
    void cancelledRestoreKeepsTheSession() {
        Document doc;
        keepDreams(doc, 6, 640, 480);
        const QString folder = saveInWindowFolder(doc);
        const auto before = contentsOf(folder);
        QCOMPARE(before.size(), size_t(8));  // session.json, the photo, six dreams
        {
            MainWindow window(QString::fromStdString(test::modelsDir()));
            window.setLiveMode(false);
            QVERIFY(window.hasRestorableSession());
            // The first thing the restore's event loop does: Cancel, as the dialog's button does.
            QTimer::singleShot(0, [] { cancelFileTask(); });
            QCOMPARE(window.restoreLeftBehindSession(), SessionRestore::Cancelled);
            const QString said = window.messageBar()->text();
            QVERIFY2(said.contains("offered again at the next start"), qPrintable(said));
            QVERIFY(window.document()->image().isNull());
            QCOMPARE(window.document()->undoStack()->count(), 0);
            QVERIFY(window.hasRestorableSession());
            QVERIFY(contentsOf(folder) == before);
        }
        QVERIFY(contentsOf(folder) == before);  // a clean end leaves it
        MainWindow next(QString::fromStdString(test::modelsDir()));
        next.setLiveMode(false);
        QVERIFY(next.hasRestorableSession());
        QVERIFY(next.restoreSession());
        QCOMPARE(next.document()->undoStack()->count(), doc.undoStack()->count());
        QVERIFY(test::samePixels(next.document()->image(), doc.image()));
    }

    // An image of the saved history that cannot be read (cut short) restores the session
    // without its history, the message naming the file; the session's own image cut short is
    // not restored at all, naming it too.
    void damagedImagesAreNamed() {
        Document doc;
        keepDreams(doc, 2, 64, 48);
        const QString folder = saveInWindowFolder(doc);
        const auto session = readJson(folder + "/session.json");
        const std::string current = session["image"], original = session["original"];
        std::string older;  // an image only the history names: the first kept dream
        for (const auto& [key, name] : session["images"].items())
            if (name != current && name != original) older = name;
        QVERIFY(!older.empty());
        cutShort(folder + "/" + QString::fromStdString(older));
        {
            MainWindow window(QString::fromStdString(test::modelsDir()));
            window.setLiveMode(false);
            QVERIFY(window.restoreSession());
            const QString said = window.messageBar()->text();
            QVERIFY2(said.contains("without its undo history") &&
                         said.contains(QString::fromStdString(older)),
                     qPrintable(said));
            QVERIFY(test::samePixels(window.document()->image(), doc.image()));
            QCOMPARE(window.document()->params().steps, doc.params().steps);
            QCOMPARE(window.document()->undoStack()->count(), 1);
        }

        saveInWindowFolder(doc);
        cutShort(folder + "/" + QString::fromStdString(current));
        MainWindow window(QString::fromStdString(test::modelsDir()));
        window.setLiveMode(false);
        QCOMPARE(window.restoreLeftBehindSession(), SessionRestore::Failed);
        const QString said = window.messageBar()->text();
        QVERIFY2(said.contains("could not be restored") &&
                     said.contains(QString::fromStdString(current)),
                 qPrintable(said));
        QVERIFY(window.document()->image().isNull());
    }

private:
    // Wide: the machine may be busy with other work. What remains of a wait is the GUI thread
    // building the undo steps from the decoded images and the window showing them (30-120 ms).
    static constexpr qint64 kWorstWaitMs = 300;

    // `keeps` kept dreams of w × h over a pasted photo, each followed by a change of steps.
    static void keepDreams(Document& doc, int keeps, int w, int h) {
        doc.replaceImage(detailed(w, h, 0), {}, "Paste image");
        for (int i = 0; i < keeps; ++i) {
            DreamParams made = doc.params();
            made.seed = uint64_t(i);
            const QImage dream = detailed(w, h, i + 1);
            doc.setDream(dream, made);
            doc.keepDream(dream, made);
            DreamParams next = doc.params();
            next.steps = 5 + i;
            doc.editParams(next, ParamField::Steps);
        }
    }

    // Saves the session of `doc` as a crashed window leaves it, in the window's session folder
    // (emptied of what earlier tests left there); returns the folder.
    static QString saveInWindowFolder(Document& doc) {
        const QString folder =
            QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/session";
        QDir(folder).removeRecursively();
        QDir().mkpath(folder);
        QTemporaryDir saved;
        SessionAutosave autosave(&doc, saved.path());
        QSignalSpy written(&autosave, &SessionAutosave::saved);
        autosave.saveSoon();
        if (!written.wait(60000)) qFatal("the session was not saved");
        for (const QString& f : QDir(saved.path()).entryList({"session.json", "*.png"}))
            QFile::copy(saved.filePath(f), QDir(folder).filePath(f));
        return folder;
    }

    // Every file of `folder` but the lock, with its bytes.
    static std::map<QString, QByteArray> contentsOf(const QString& folder) {
        std::map<QString, QByteArray> files;
        for (const QString& f : QDir(folder).entryList({"session.json", "*.png"}, QDir::Files)) {
            QFile file(QDir(folder).filePath(f));
            if (file.open(QIODevice::ReadOnly)) files[f] = file.readAll();
        }
        return files;
    }

    // Keeps the first 200 bytes of `file`, as a disk that filled up mid-write might.
    static void cutShort(const QString& file) {
        QFile f(file);
        if (!f.open(QIODevice::ReadWrite) || !f.resize(200)) qFatal("cannot cut the file short");
    }

    // A 16-bit image with fine detail (blurred noise over a gradient), which compresses and
    // decodes as a dream does, different for every `n`.
    static QImage detailed(int w, int h, int n) {
        cv::Mat image(h, w, CV_32FC3);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                image.at<cv::Vec3f>(y, x) = {float(x) / w, float(y) / h, float(n % 5) / 5};
        cv::Mat noise(image.size(), image.type());
        cv::theRNG().state = uint64(1000 + n);
        cv::randn(noise, 0.0, 0.15);
        cv::GaussianBlur(noise, noise, {0, 0}, 1.2);
        image += noise;
        cv::min(cv::max(image, 0.0), 1.0, image);
        return toQImage(image);
    }

    // Restores into `doc` the session left behind in `folder`, with its undo history.
    static bool restoreLeftBehind(Document& doc, const QString& folder) {
        SessionAutosave autosave(&doc, folder);
        if (!autosave.hasLeftBehind()) return false;
        SessionAutosave::Session s = autosave.loadLeftBehind();
        return restoreUndoHistory(doc, s.history, std::move(s.historyImages), s.params);
    }

    // A 16-bit image of one colour per `n` with a gradient, so no two are alike.
    static QImage coloured(int w, int h, int n) {
        QImage image(w, h, QImage::Format_RGBX64);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                image.setPixelColor(x, y,
                                    QColor::fromRgba64(quint16(n * 9000 + x * 300),
                                                       quint16(60000 - n * 7000 - y * 200),
                                                       quint16((n * 13000 + x * y) % 65536)));
        return image;
    }
    static void writeDeep(const QString& file, const QImage& image) {
        WriteOptions deep;
        deep.bitDepth = 16;
        writeImage(file.toStdString(), toMat(image), deep);
    }
    static nlohmann::json readJson(const QString& file) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly)) return {};
        return nlohmann::json::parse(f.readAll().toStdString(), nullptr, false);
    }
    static ino_t inodeOf(const QString& file) {
        struct stat st {};
        return ::stat(file.toLocal8Bit().constData(), &st) == 0 ? st.st_ino : 0;
    }

    QTemporaryDir settingsDir_;
};

INCEPTIONIST_GUI_TEST_MAIN(AutosaveTest)
#include "test_autosave.moc"
