// Autosave: a real window process keeps a dream and is killed with SIGKILL; the next window
// finds the session it left, restores the kept image pixel for pixel with the chain of kept
// dreams and the current parameters, and a clean end leaves nothing to restore.

#include <QtTest>

#include <csignal>

#include "core/io/image_io.h"
#include "tests/gui_test_support.h"
#include "tests/test_support.h"
#include "ui/model/document.h"
#include "ui/model/image_convert.h"
#include "ui/model/session_autosave.h"
#include "ui/widgets/message_bar.h"

using namespace inceptionist;
using namespace inceptionist::ui;

class AutosaveTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::isolateSettings(settingsDir_.path()); }

    void killedProcessIsRestored() {
        const QString kept = settingsDir_.filePath("kept.png");
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("QT_QPA_PLATFORM", "offscreen");
        child.setProcessEnvironment(env);
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationDirPath() + "/autosave_child",
                    {settingsDir_.path(), kept});
        QVERIFY(child.waitForStarted(10000));
        QByteArray said;
        while (!said.contains("saved") && child.state() == QProcess::Running)
            if (child.waitForReadyRead(120000)) said += child.readAllStandardOutput();
        QVERIFY2(said.contains("saved"), said.constData());
        child.kill();  // SIGKILL: no destructor, no clean end
        QVERIFY(child.waitForFinished(10000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);

        {
            MainWindow window(QString::fromStdString(test::modelsDir()));
            QVERIFY(window.hasRestorableSession());
            QVERIFY(window.restoreSession());
            Document* doc = window.document();
            const cv::Mat restored = toMat(doc->image());
            const cv::Mat expected = readImage(kept.toStdString());
            QCOMPARE(restored.cols, 96);
            QCOMPARE(test::meanAbsDifference(restored, expected), 0.0);
            QCOMPARE(doc->lineage().kept.size(), size_t(1));
            QCOMPARE(doc->lineage().kept[0].seed, uint64_t(0));  // the kept dream's own seed
            QCOMPARE(doc->lineage().kept[0].workingSize, 96);
            QCOMPARE(doc->params().seed, uint64_t(99));  // the settings as they were
            QCOMPARE(doc->lineage().originalPath, QString::fromStdString(test::sampleImage()));
            QVERIFY(doc->undoStack()->canUndo());  // restoring is one undo step
            QVERIFY(!window.hasRestorableSession());
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

private:
    QTemporaryDir settingsDir_;
};

INCEPTIONIST_GUI_TEST_MAIN(AutosaveTest)
#include "test_autosave.moc"
