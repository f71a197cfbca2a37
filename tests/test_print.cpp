// Rendering prints from the window: sizes from paper and resolution, a print written in the
// background with its parameters and resolution, kept dreams replayed, a cancelled print that
// leaves no file (cancelled by its button or by closing its window), and a print that shares the
// canvas's network and lets its dreams go first without changing a pixel of the print.

#include <QtTest>

#include <QDockWidget>
#include <QLabel>
#include <QProgressDialog>
#include <QPushButton>
#include <QSettings>

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "core/io/image_io.h"
#include "core/params/dream_chain.h"
#include "tests/gui_test_support.h"
#include "tests/test_support.h"
#include "ui/model/dream_controller.h"
#include "ui/model/image_convert.h"
#include "ui/model/network_cache.h"
#include "ui/model/print_job.h"
#include "ui/model/print_preview.h"
#include "ui/widgets/explorer_panel.h"
#include "ui/widgets/main_window.h"
#include "ui/widgets/print_dialog.h"

using namespace inceptionist;
using namespace inceptionist::ui;

class PrintTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::isolateSettings(settingsDir_.path()); }

    void init() {
        window_ = test::sampleWindow(test::quickParams(1, 1, 128));
    }

    void cleanup() { window_.reset(); }

    void paperSizes() {
        const auto& papers = inceptionist::ui::paperSizes();
        const auto a4 = std::find_if(papers.begin(), papers.end(),
                                     [](auto& p) { return QString(p.name) == "A4"; });
        QCOMPARE(paperLongSide(*a4, 300), 3508);  // 297 mm at 300 dpi
        PrintSettings initial;
        PrintDialog dialog(initial, 4.0 / 3.0,
                           [](int w, int h, PrintLook) { return QString("%1x%2").arg(w).arg(h); });
        QCOMPARE(dialog.settings().longSide, 6000);
        QCOMPARE(dialog.estimateText(), QString("6000x4500"));
    }

    void printIsWrittenInTheBackground() {
        QTemporaryDir tmp;
        const QString file = tmp.filePath("print.tif");
        QVERIFY(window_->renderPrint(file, 300, 16, 150));
        QSignalSpy done(window_->printJob(), &PrintJob::finished);
        QVERIFY(done.wait(120000));
        const cv::Mat print = readImage(file.toStdString());
        QCOMPARE(print.cols, 300);
        QVERIFY(std::abs(readImageDpi(file.toStdString()) - 150) < 0.5);
        const auto params =
            DreamParams::fromJson(nlohmann::json::parse(readImageMetadata(file.toStdString())));
        QCOMPARE(params.workingSize, 300);
        QCOMPARE(params.octaves, 4);  // 300 / 128 = 1.4^2.5: three octaves added
    }

    // A print replays the kept dreams before the current one: printed at the working size, a
    // chain of two dreams gives the picture the window showed after its second dream, not a
    // single dream of the photo.
    void keptDreamsAreReplayed() {
        DreamParams p = window_->document()->params();
        p.steps = 4;
        window_->document()->applyParams(p);
        QSignalSpy dreamt(window_->controller(), &DreamController::dreamFinished);
        window_->startDream();
        QVERIFY(dreamt.wait(60000));
        window_->keepDream();
        QCOMPARE(window_->document()->lineage().kept.size(), size_t(1));
        window_->startDream();
        QVERIFY(dreamt.wait(60000));
        const cv::Mat onScreen = toMat(window_->dreamImage());

        QTemporaryDir tmp;
        auto print = [&](const QString& name, int* dreamsReported) {
            const QString file = tmp.filePath(name);
            if (!window_->renderPrint(file, p.workingSize, 16, 0)) return cv::Mat();
            QSignalSpy progress(window_->printJob(), &PrintJob::progressChanged);
            QSignalSpy done(window_->printJob(), &PrintJob::finished);
            if (!done.wait(120000)) return cv::Mat();
            *dreamsReported = 1;
            for (const auto& args : progress)
                if (args.at(1).toString().contains("Dream 2 of 2")) *dreamsReported = 2;
            return readImage(file.toStdString());
        };
        int reported = 0;
        const cv::Mat chain = print("chain.png", &reported);
        QVERIFY(!chain.empty());
        QCOMPARE(reported, 2);
        window_->document()->undoStack()->undo();  // the lineage follows undo
        QCOMPARE(window_->document()->lineage().kept.size(), size_t(0));
        const cv::Mat single = print("single.png", &reported);
        QVERIFY(!single.empty());
        QCOMPARE(reported, 1);

        QCOMPARE(chain.size(), onScreen.size());
        const double chainToScreen = test::meanAbsDifference(chain, onScreen);
        const double singleToScreen = test::meanAbsDifference(single, onScreen);
        qInfo(
            "print of the kept chain against the window's second dream: %.4f; a print of one "
            "dream: %.4f",
            chainToScreen, singleToScreen);
        QVERIFY(chainToScreen < 0.02);
        QVERIFY(chainToScreen < 0.5 * singleToScreen);
    }

    // Issue 11, fault 6: a print looks like the dream approved on screen, only sharper. Scaled
    // down to the screen's size, the default print differs from the screen dream far less than
    // one with detail added at full resolution; at full size it holds more fine detail than the
    // screen dream enlarged.
    void printLooksLikeTheScreenOnlySharper() {
        DreamParams p = window_->document()->params();
        p.octaves = 2;
        p.steps = 6;
        p.workingSize = 128;
        window_->document()->applyParams(p);
        QSignalSpy dreamt(window_->controller(), &DreamController::dreamFinished);
        window_->startDream();
        QVERIFY(dreamt.wait(60000));
        const cv::Mat onScreen = toMat(window_->dreamImage());

        QTemporaryDir tmp;
        auto print = [&](const QString& name, PrintLook look) {
            const QString file = tmp.filePath(name);
            if (!window_->renderPrint(file, 384, 16, 0, 95, look)) return cv::Mat();
            QSignalSpy done(window_->printJob(), &PrintJob::finished);
            if (!done.wait(240000)) return cv::Mat();
            return readImage(file.toStdString());
        };
        const cv::Mat screenLook = print("screen.png", PrintLook::Screen);
        const cv::Mat detailed = print("detail.png", PrintLook::AddDetail);
        QVERIFY(!screenLook.empty() && !detailed.empty());
        QCOMPARE(std::max(screenLook.cols, screenLook.rows), 384);
        auto down = [&](const cv::Mat& m) { return resizeLongSide(m, p.workingSize); };
        const double screenLookOff = test::meanAbsDifference(down(screenLook), onScreen);
        const double detailOff = test::meanAbsDifference(down(detailed), onScreen);

        // Fine detail: the mean absolute Laplacian of the grey picture.
        auto detail = [](const cv::Mat& rgb) {
            cv::Mat grey, lap;
            cv::cvtColor(rgb, grey, cv::COLOR_RGB2GRAY);
            cv::Laplacian(grey, lap, CV_32F);
            return cv::mean(cv::abs(lap))[0];
        };
        cv::Mat enlarged;
        cv::resize(onScreen, enlarged, screenLook.size(), 0, 0, cv::INTER_CUBIC);
        qInfo(
            "scaled to the screen: as-on-screen print off by %.4f, add-detail print by %.4f; "
            "fine detail: enlarged screen %.4f, as-on-screen print %.4f, add-detail %.4f",
            screenLookOff, detailOff, detail(enlarged), detail(screenLook), detail(detailed));
        QVERIFY(screenLookOff < 0.6 * detailOff);  // measured 0.42
        QVERIFY(detail(screenLook) > 1.2 * detail(enlarged));

        // The file says how it was made: the chain reproduces it on the command line.
        const auto chain = DreamChain::fromJson(
            nlohmann::json::parse(readImageMetadata(tmp.filePath("screen.png").toStdString())));
        QCOMPARE(chain.kept.size(), size_t(1));
        QCOMPARE(chain.kept[0].workingSize, p.workingSize);
        QCOMPARE(chain.last.workingSize, 384);
    }

    // The print dialog's preview: a 100 % crop of the print in seconds, for each look; the
    // as-on-screen crop stays closer to the screen picture enlarged than the add-detail one.
    void printPreviewShowsACropAtFullSize() {
        DreamParams p = window_->document()->params();
        p.steps = 4;
        window_->document()->applyParams(p);
        QSignalSpy dreamt(window_->controller(), &DreamController::dreamFinished);
        window_->startDream();
        QVERIFY(dreamt.wait(60000));
        PrintSettings s;
        s.longSide = 1024;  // 8× the screen
        PrintDialog dialog(s, 4.0 / 3.0, {});
        auto crop = [&](PrintLook look) {
            s.look = look;
            window_->previewPrint(s, &dialog);
            const bool shown = QTest::qWaitFor(
                [&] {
                    return dialog.previewButton()->isEnabled() &&
                           !dialog.previewLabel()->pixmap().isNull();
                },
                120000);
            return shown ? toMat(dialog.previewLabel()->pixmap().toImage()) : cv::Mat();
        };
        const cv::Mat screenLook = crop(PrintLook::Screen);
        QVERIFY(!screenLook.empty());
        QCOMPARE(screenLook.cols, kPrintPreviewSize);
        const cv::Mat detailed = crop(PrintLook::AddDetail);
        QVERIFY(!detailed.empty());
        const PrintPreviewSequence plain(window_->dreamImage(), p, s.longSide, PrintLook::Screen);
        const cv::Mat enlarged = toMat(plain.enlarged());
        const double screenOff = test::meanAbsDifference(screenLook, enlarged);
        const double detailOff = test::meanAbsDifference(detailed, enlarged);
        qInfo("preview crop against the screen enlarged: as on screen %.4f, add detail %.4f",
              screenOff, detailOff);
        QVERIFY(screenOff > 0.001);  // it adds something
        QVERIFY(screenOff < detailOff);
    }

    void cancelledPrintLeavesNoFile() {
        DreamParams p = window_->document()->params();
        p.steps = 40;
        window_->document()->applyParams(p);
        QTemporaryDir tmp;
        QVERIFY(window_->renderPrint(tmp.filePath("never.png"), 1200, 8, 0));
        QSignalSpy progress(window_->printJob(), &PrintJob::progressChanged);
        QSignalSpy cancelled(window_->printJob(), &PrintJob::cancelled);
        QVERIFY(progress.wait(60000));
        window_->printJob()->cancel();
        QVERIFY(cancelled.wait(30000));
        QVERIFY(QDir(tmp.path())
                    .entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot)
                    .isEmpty());
    }

    // The progress window's close button (a close event, not its Cancel button) cancels the
    // print; the print's last signal comes after the window has deleted itself.
    void closingTheProgressWindowCancelsThePrint() {
        DreamParams p = window_->document()->params();
        p.steps = 40;
        window_->document()->applyParams(p);
        QTemporaryDir tmp;
        const QString file = tmp.filePath("never.png");
        QVERIFY(window_->renderPrint(file, 1200, 8, 0));
        QSignalSpy progress(window_->printJob(), &PrintJob::progressChanged);
        QSignalSpy cancelled(window_->printJob(), &PrintJob::cancelled);
        QVERIFY(progress.wait(60000));
        QPointer<QProgressDialog> dialog = window_->findChild<QProgressDialog*>();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QVERIFY(dialog->close());
        // As the application's event loop would do right away (a test's nested loop does not).
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QVERIFY(!dialog);  // gone, as its close button promises
        QVERIFY(cancelled.wait(30000));
        QVERIFY(!window_->printJob()->running());
        QVERIFY(!QFile::exists(file));
        QVERIFY(QDir(tmp.path())
                    .entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot)
                    .isEmpty());
        // The window goes on working: a dream after it finishes.
        QSignalSpy dreamt(window_->controller(), &DreamController::dreamFinished);
        window_->startDream();
        QVERIFY(dreamt.wait(60000));
    }

    // A print, the canvas and the explorer dream at once: each gets its results, and the
    // print's pixels are those it makes alone.
    void printSharesTheCanvasNetworkAndLetsItsDreamsGoFirst() {
        DreamParams p = window_->document()->params();
        p.steps = 10;  // long enough that the canvas asks while the print dreams
        window_->document()->applyParams(p);
        QTemporaryDir tmp;
        // Undisturbed, for reference.
        QVERIFY(window_->renderPrint(tmp.filePath("alone.png"), 400, 8, 0));
        QSignalSpy aloneDone(window_->printJob(), &PrintJob::finished);
        QVERIFY(aloneDone.wait(120000));

        // Again, with a canvas dream asked for halfway and the explorer dreaming its sheet.
        QVERIFY(window_->renderPrint(tmp.filePath("shared.png"), 400, 8, 0));
        QSignalSpy progress(window_->printJob(), &PrintJob::progressChanged);
        QSignalSpy printed(window_->printJob(), &PrintJob::finished);
        QSignalSpy dreamt(window_->controller(), &DreamController::dreamFinished);
        QSignalSpy thumbnails(window_->controller(), &DreamController::backgroundDream);
        QVERIFY(progress.wait(60000));
        window_->startDream();
        window_->explorerDock()->show();
        window_->explorer()->setActive(true);
        QVERIFY(dreamt.wait(60000));
        QCOMPARE(printed.count(), 0);  // the canvas did not wait for the print
        QTRY_VERIFY_WITH_TIMEOUT(printed.count() == 1, 240000);
        QTRY_VERIFY_WITH_TIMEOUT(thumbnails.count() > 0, 240000);  // nor did the explorer
        window_->explorer()->setActive(false);

        // The print's dream was not stopped for the canvas: its progress never goes back.
        for (int i = 1; i < progress.count(); ++i)
            QVERIFY2(progress.at(i).at(0).toDouble() >= progress.at(i - 1).at(0).toDouble(),
                     qPrintable(QString("progress went from %1 to %2")
                                    .arg(progress.at(i - 1).at(0).toDouble())
                                    .arg(progress.at(i).at(0).toDouble())));
        const cv::Mat alone = readImage(tmp.filePath("alone.png").toStdString());
        const cv::Mat shared = readImage(tmp.filePath("shared.png").toStdString());
        QCOMPARE(shared.size(), alone.size());
        QCOMPARE(cv::norm(alone, shared, cv::NORM_INF), 0.0);  // same pixels
        // One copy of the model for the canvas and both prints.
        QCOMPARE(window_->controller()->networks()->size(), size_t(1));
    }

private:
    QTemporaryDir settingsDir_;
    std::unique_ptr<MainWindow> window_;
};

INCEPTIONIST_GUI_TEST_MAIN(PrintTest)
#include "test_print.moc"
