// Style transfer in the window (issue 12), as an artist would notice it: in Style mode the
// canvas shows the transfer's previews as it paints and then exactly the core's picture; a
// newer request stops the running transfer at once; Keep, undo and redo restore the pixels; a
// dream on a styled image exports as one chain; a print of a style is painted at print size.

#include <QtTest>

#include <QDockWidget>

#include <nlohmann/json.hpp>

#include "core/io/image_io.h"
#include "core/render/style_transfer.h"
#include "tests/gui_test_support.h"
#include "tests/test_support.h"
#include "ui/model/dream_controller.h"
#include "ui/model/image_convert.h"
#include "ui/model/print_job.h"
#include "ui/widgets/canvas.h"
#include "ui/widgets/explorer_panel.h"
#include "ui/widgets/main_window.h"
#include "ui/widgets/mode_panel.h"
#include "ui/widgets/style_strip.h"
#include "ui/widgets/thumbnail_view.h"

using namespace inceptionist;
using namespace inceptionist::ui;

namespace {

constexpr int kSize = 128;  // the smallest picture the default style layers take comfortably

DreamParams styleParams(int iterations) {
    DreamParams p = test::styleParams(kSize, iterations);
    p.seed = 3;
    return p;
}

DreamParams smallDream() {
    DreamParams p;
    p.layers = {{"mixed3", 1.0, {}}};
    p.octaves = 2;
    p.steps = 3;
    p.workingSize = kSize;
    return p;
}

}  // namespace

class StyleWindowTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::isolateSettings(settingsDir_.path()); }

    void init() {
        window_ = test::sampleWindow(styleParams(6));
        window_->show();
    }

    void cleanup() { window_.reset(); }

    // Previews stream every iteration or two, and the finished picture is the core's own.
    void styleModePaintsLikeTheCore() {
        QSignalSpy previews(window_->controller(), &DreamController::previewReady);
        QSignalSpy done(window_->controller(), &DreamController::dreamFinished);
        window_->startDream();
        QVERIFY(done.wait(120000));
        QVERIFY2(previews.size() >= 3, qPrintable(QString::number(previews.size())));
        const QImage painted = window_->dreamImage();
        QCOMPARE(window_->canvas()->after(), painted);
        QCOMPARE(done.last().at(1).value<DreamParams>().mode, std::string("style"));

        const cv::Mat photo = toMat(window_->document()->image());
        const auto net = test::defaultModel("inception_v3");
        const cv::Mat core = styleTransfer(*net, photo, styleParams(6));
        const cv::Mat window = toMat(painted);
        QCOMPARE(window.cols, core.cols);
        const double fromCore = test::meanAbsDifference(window, core);
        const double fromPhoto =
            test::meanAbsDifference(window, resizeLongSide(photo, window.cols));
        qInfo("window vs core %.6f, vs photo %.4f", fromCore, fromPhoto);
        QVERIFY(fromCore < 1e-4);   // 16-bit rounding only
        QVERIFY(fromPhoto > 0.02);  // and it painted something
    }

    // A change while a long transfer runs: the running one stops, the new one is what lands.
    void newerRequestStopsTheRunningTransfer() {
        QSignalSpy previews(window_->controller(), &DreamController::previewReady);
        QSignalSpy done(window_->controller(), &DreamController::dreamFinished);
        window_->document()->applyParams(styleParams(5000));
        window_->startDream();
        QVERIFY(previews.wait(60000));
        window_->document()->applyParams(styleParams(3));
        window_->startDream();
        // 5000 iterations would take minutes: finishing within this wait means it stopped.
        QVERIFY(done.wait(60000));
        QCOMPARE(done.size(), 1);
        QCOMPARE(done.last().at(1).value<DreamParams>().style.iterations, 3);
    }

    // Keep a style, dream on it: undo and redo bring back exact pixels without painting again,
    // and the export carries the style as the first step of the chain.
    void styleThenDreamIsOneChain() {
        const QImage photo = window_->document()->image();
        QSignalSpy done(window_->controller(), &DreamController::dreamFinished);
        window_->startDream();
        QVERIFY(done.wait(120000));
        const QImage styled = window_->dreamImage();
        window_->keepDream();
        QCOMPARE(window_->document()->image(), styled);
        window_->document()->undoStack()->undo();
        QCOMPARE(window_->document()->image(), photo);
        QCOMPARE(window_->canvas()->after(), styled);  // the style on show again, not repainted
        QVERIFY(!window_->controller()->busy());
        window_->document()->undoStack()->redo();
        QCOMPARE(window_->document()->image(), styled);

        window_->document()->applyParams(smallDream());
        window_->startDream();
        QVERIFY(done.wait(120000));
        QTemporaryDir tmp;
        const QString file = tmp.filePath("chain.png");
        QVERIFY(window_->exportTo(file, 16));
        const auto embedded = nlohmann::json::parse(readImageMetadata(file.toStdString()));
        QCOMPARE(embedded.at("mode").get<std::string>(), std::string("dream"));
        QCOMPARE(embedded.at("chain").size(), size_t(1));
        const DreamParams kept = DreamParams::fromJson(embedded.at("chain")[0]);
        QCOMPARE(kept.mode, std::string("style"));
        QVERIFY(kept.style == styleParams(6).style);
    }

    // A print of a style: painted coarse to fine at print size, not an enlarged preview.
    void printPaintsAtPrintSize() {
        QTemporaryDir tmp;
        const QString file = tmp.filePath("print.png");
        const int printSide = 2 * kSize;
        QVERIFY(window_->renderPrint(file, printSide, 8, 0));
        QSignalSpy progress(window_->printJob(), &PrintJob::progressChanged);
        QSignalSpy printed(window_->printJob(), &PrintJob::finished);
        QVERIFY(printed.wait(180000));
        const cv::Mat out = readImage(file.toStdString());
        QCOMPARE(std::max(out.cols, out.rows), printSide);
        QVERIFY(!progress.isEmpty());
        QVERIFY2(progress.last().at(1).toString().contains("iteration"),
                 qPrintable(progress.last().at(1).toString()));
        const auto embedded = nlohmann::json::parse(readImageMetadata(file.toStdString()));
        QCOMPARE(embedded.at("mode").get<std::string>(), std::string("style"));
        // Painted at print size: the core's print of the same photo, to 8-bit rounding.
        const auto net = test::defaultModel("inception_v3");
        const cv::Mat photo = readImage(window_->document()->lineage().originalPath.toStdString());
        const cv::Mat core = styleTransfer(*net, photo, styleParams(6), {}, {}, printSide);
        const double diff = test::meanAbsDifference(out, core);
        qInfo("print vs core %.5f", diff);
        QVERIFY(diff < 0.003);
    }

    // The explorer in Style mode: five strengths from weak to strong, then each painting alone;
    // a click takes the cell's setting. Back in Dream mode the layer grid computes instead.
    void explorerStripShowsStrengthsAndPaintings() {
        DreamParams p = styleParams(6);
        p.style.images.push_back({test::dataPath("kite.jpg"), 1.0});
        window_->document()->applyParams(p);
        window_->explorerDock()->show();
        StyleStrip* strip = window_->styleStrip();
        QVERIFY(strip->active());
        QVERIFY(!window_->explorer()->active());
        const int cells = int(StyleStrip::strengths().size()) + 2;
        QCOMPARE(strip->view()->count(), cells);
        QTRY_COMPARE_WITH_TIMEOUT(strip->view()->finishedCount(), cells, 240000);

        const auto shown = strip->view()->images();
        const cv::Mat photo =
            resizeLongSide(toMat(window_->document()->image()), StyleStrip::kCellSize);
        std::vector<double> change;
        for (const auto& [label, image] : shown) {
            change.push_back(test::meanAbsDifference(toMat(image), photo));
            qInfo("%s: %.4f from the photo", qPrintable(label), change.back());
        }
        // Weak to strong: each strength moves further from the photo than the one before.
        for (size_t i = 1; i < StyleStrip::strengths().size(); ++i)
            QVERIFY(change[i] > change[i - 1]);
        // Each painting alone gives its own picture.
        const double between =
            test::meanAbsDifference(toMat(shown[cells - 2].second), toMat(shown[cells - 1].second));
        qInfo("scream alone vs kite alone: %.4f", between);
        QVERIFY(between > 0.01);

        Q_EMIT strip->view()->chosen(int(StyleStrip::strengths().size()) - 1);
        QCOMPARE(window_->document()->params().style.styleWeight, StyleStrip::strengths().back());
        auto* stack = window_->document()->undoStack();
        QCOMPARE(stack->text(stack->index() - 1), QString("Change style strength 10 → 100"));
        Q_EMIT strip->view()->chosen(cells - 1);
        const auto& images = window_->document()->params().style.images;
        QCOMPARE(images.size(), size_t(1));
        QCOMPARE(images[0].path, test::dataPath("kite.jpg"));

        window_->modePanel()->setStyleMode(false);
        QVERIFY(!strip->active());
        QVERIFY(window_->explorer()->active());
    }

private:
    QTemporaryDir settingsDir_;
    std::unique_ptr<MainWindow> window_;
};

INCEPTIONIST_GUI_TEST_MAIN(StyleWindowTest)
#include "test_style_window.moc"
