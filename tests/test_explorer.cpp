// The explorer: one distinct small dream per layer, restarted when the image changes, a click
// sets the layer, stopping leaves the worker idle, the canvas's dreams go first, and the
// contact sheet has one labelled cell per layer; the seed and strength grids are the plain dreams
// of their settings and a click takes a cell's settings.

#include <QtTest>

#include <QDockWidget>
#include <QSettings>
#include <QTabWidget>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "core/io/image_io.h"
#include "core/render/dreamer.h"
#include "core/render/explorer.h"
#include "tests/gui_test_support.h"
#include "tests/test_support.h"
#include "ui/model/document.h"
#include "ui/model/dream_controller.h"
#include "ui/model/image_convert.h"
#include "ui/widgets/canvas.h"
#include "ui/widgets/explorer_panel.h"
#include "ui/widgets/main_window.h"
#include "ui/widgets/thumbnail_view.h"

using namespace inceptionist;
using namespace inceptionist::ui;

class ExplorerTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::isolateSettings(settingsDir_.path()); }

    void init() {
        DreamParams p;
        p.octaves = 2;
        p.steps = 2;
        window_ = test::sampleWindow(p);
        window_->resize(1200, 900);
        window_->show();
    }

    void cleanup() { window_.reset(); }

    void gridFillsWithOneDistinctDreamPerLayer() {
        ThumbnailView* view = window_->explorer()->layerView();
        window_->explorer()->setActive(true);
        const int layers = 13;  // InceptionV3's offered layers
        QCOMPARE(view->count(), layers);
        QCOMPARE(view->item(0)->text(), QString("activation_3"));  // ImageNet layers first
        QTRY_COMPARE_WITH_TIMEOUT(view->finishedCount(), layers, 90000);
        const auto images = view->images();
        for (int i = 0; i < layers; ++i)
            for (int j = i + 1; j < layers; ++j)
                QVERIFY2(
                    images[i].second != images[j].second,
                    qPrintable(images[i].first + " and " + images[j].first + " look the same"));
        QCOMPARE(images[0].second.width(), kThumbnailSize);
    }

    void changingTheImageRestarts() {
        ThumbnailView* view = window_->explorer()->layerView();
        window_->explorer()->setActive(true);
        QTRY_VERIFY_WITH_TIMEOUT(view->finishedCount() >= 2, 60000);
        const QImage before = view->images()[0].second;
        QTemporaryDir tmp;
        const QString other = tmp.filePath("flipped.png");
        cv::Mat flipped;
        cv::flip(test::smallPhoto(400), flipped, 1);
        writeImage(other.toStdString(), flipped);
        QVERIFY(window_->openFile(other));
        QTRY_VERIFY_WITH_TIMEOUT(view->finishedCount() >= 1 && !view->images()[0].second.isNull() &&
                                     view->images()[0].second != before,
                                 60000);
    }

    void clickingSetsTheLayer() {
        ThumbnailView* view = window_->explorer()->layerView();
        window_->explorer()->setActive(true);
        QListWidgetItem* item = view->item(7);  // mixed5
        QCOMPARE(item->text(), QString("mixed5"));
        view->scrollToItem(item);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->visualItemRect(item).center());
        QCOMPARE(window_->document()->params().layers.size(), size_t(1));
        QCOMPARE(QString::fromStdString(window_->document()->params().layers[0].name),
                 QString("mixed5"));
        QVERIFY(window_->document()->undoStack()->canUndo());
    }

    void stoppingMidGridLeavesTheWorkerIdle() {
        ThumbnailView* view = window_->explorer()->layerView();
        QSignalSpy idle(window_->controller(), &DreamController::workerIdle);
        window_->explorer()->setActive(true);
        QTRY_VERIFY_WITH_TIMEOUT(view->finishedCount() >= 1, 60000);
        window_->explorer()->setActive(false);
        QVERIFY(idle.wait(10000));
        QCOMPARE(window_->controller()->backgroundQueued(), size_t(0));
        QVERIFY(view->finishedCount() < view->count());
    }

    void canvasDreamsGoFirst() {
        ThumbnailView* view = window_->explorer()->layerView();
        window_->explorer()->setActive(true);
        QTRY_VERIFY_WITH_TIMEOUT(view->finishedCount() >= 1, 60000);
        QSignalSpy previews(window_->controller(), &DreamController::previewReady);
        QElapsedTimer t;
        t.start();
        window_->startDream();
        QVERIFY(previews.wait(30000));
        qInfo("first canvas preview %lld ms after asking, with the explorer busy",
              static_cast<long long>(t.elapsed()));
        QVERIFY(t.elapsed() < 3000);  // one thumbnail step, then the canvas's own first steps
    }

    void reopenedGridReusesFinishedThumbnails() {
        ThumbnailView* view = window_->explorer()->layerView();
        window_->explorer()->setActive(true);
        QTRY_COMPARE_WITH_TIMEOUT(view->finishedCount(), view->count(), 90000);
        window_->explorer()->setActive(false);
        window_->explorer()->setActive(true);
        QCOMPARE(view->finishedCount(), view->count());  // at once: nothing recomputed
    }

    // The channel grid ranks channels as `inceptionist-cli inspect` does, and a click sets one.
    void channelGridRanksAndSetsChannels() {
        DreamParams p = window_->document()->params();
        p.layers = {{"mixed4", 1.0, {}}};
        window_->document()->applyParams(p);
        window_->explorer()->setActive(true);
        window_->explorer()->tabs()->setCurrentIndex(1);
        ThumbnailView* view = window_->explorer()->channelView();
        QTRY_COMPARE_WITH_TIMEOUT(view->count(), int(ExplorerPanel::kChannelsPerPage), 60000);
        const auto means =
            test::defaultModel("inception_v3")
                ->channelMeans(resizeLongSide(toMat(window_->document()->image()), p.workingSize),
                               "mixed4");
        const auto ranked = rankChannels(means);
        for (int i = 0; i < view->count(); ++i)
            QCOMPARE(view->item(i)->text(), QString("mixed4 #%1").arg(ranked[i]));
        QTRY_VERIFY_WITH_TIMEOUT(view->finishedCount() >= 1, 60000);
        QListWidgetItem* second = view->item(1);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->visualItemRect(second).center());
        const auto& layer = window_->document()->params().layers.at(0);
        QCOMPARE(layer.name, std::string("mixed4"));
        QCOMPARE(layer.channels, std::vector<int>{ranked[1]});
        window_->explorer()->showChannelPage(1);  // the next twelve
        QCOMPARE(view->item(0)->text(),
                 QString("mixed4 #%1").arg(ranked[ExplorerPanel::kChannelsPerPage]));
    }

    void compareShowsBothPinnedSettings() {
        DreamParams p = window_->document()->params();
        p.workingSize = 160;
        window_->document()->applyParams(p);
        window_->explorer()->setActive(true);
        window_->explorer()->pin(false);
        p.layers = {{"mixed5", 1.0, {}}};
        window_->document()->applyParams(p);
        window_->explorer()->pin(true);
        QSignalSpy ready(window_->explorer(), &ExplorerPanel::compareReady);
        window_->explorer()->setComparing(true);
        QVERIFY(ready.count() > 0 || ready.wait(60000));
        const QImage a = ready.last().at(0).value<QImage>(), b = ready.last().at(1).value<QImage>();
        QCOMPARE(a.size(), QSize(160, 120));
        QVERIFY(a != b);
        QVERIFY(window_->canvas()->splitView());
        QCOMPARE(window_->canvas()->after(), b);
        window_->explorer()->setComparing(false);
        QVERIFY(!window_->canvas()->splitView());
    }

    // The A/B pair is queued with the channel grid; turning a page or the ranking arriving
    // replaces the grid's jobs but must keep the pair's, so both halves still arrive.
    void comparePairSurvivesChannelRankingAndPaging() {
        DreamParams p = window_->document()->params();
        p.workingSize = 160;
        p.layers = {{"mixed4", 1.0, {}}};
        window_->document()->applyParams(p);
        window_->explorer()->pin(false);
        p.layers = {{"mixed5", 1.0, {}}};
        window_->document()->applyParams(p);
        window_->explorer()->pin(true);
        window_->explorer()->setActive(true);
        window_->explorer()->tabs()->setCurrentIndex(1);
        QSignalSpy ready(window_->explorer(), &ExplorerPanel::compareReady);
        QSignalSpy ranked(window_->controller(), &DreamController::backgroundRanking);
        window_->explorer()->setComparing(true);
        window_->explorer()->showChannelPage(1);  // before the ranking is known
        QVERIFY(ready.wait(60000));
        const QImage a = ready.last().at(0).value<QImage>(), b = ready.last().at(1).value<QImage>();
        QCOMPARE(a.size(), QSize(160, 120));
        QCOMPARE(b.size(), QSize(160, 120));
        QVERIFY(ranked.count() > 0 || ranked.wait(60000));  // the grid's ranking still came
    }

    void contactSheetHasOneLabelledCellPerLayer() {
        ThumbnailView* view = window_->explorer()->layerView();
        window_->explorer()->setActive(true);
        QTRY_COMPARE_WITH_TIMEOUT(view->finishedCount(), view->count(), 90000);
        QTemporaryDir tmp;
        const QString file = tmp.filePath("sheet.png");
        window_->explorer()->exportSheet(file);
        const cv::Mat sheet = readImage(file.toStdString());
        const auto images = view->images();
        const cv::Mat first = toMat(images[0].second);
        // 13 cells, 4 to a row: 4 rows of cells, each with a label strip under it.
        const int gap = 12, label = 26, title = 40;
        QCOMPARE(sheet.cols, gap + 4 * (first.cols + gap));
        QCOMPARE(sheet.rows, title + gap + 4 * (first.rows + label + gap));
        for (int i = 0; i < images.size(); ++i) {
            const cv::Mat cell = toMat(images[i].second);
            const int x = gap + (i % 4) * (first.cols + gap),
                      y = title + gap + (i / 4) * (first.rows + label + gap);
            const cv::Mat placed = sheet(cv::Rect(x, y, cell.cols, cell.rows));
            QVERIFY2(test::meanAbsDifference(placed, cell) < 0.01, qPrintable(images[i].first));
            // The label strip under the cell has text in it.
            cv::Mat strip = sheet(cv::Rect(x, y + cell.rows, cell.cols, label)).clone(), grey;
            cv::cvtColor(strip, grey, cv::COLOR_RGB2GRAY);
            QVERIFY2(cv::countNonZero(grey > 0.5) > 20,
                     qPrintable(images[i].first + " has no label"));
        }
    }

    // The Seeds page: the current settings with other seeds. Each cell is the plain dream of its
    // seed, pixel for pixel, and the seeds make visibly different dreams.
    void seedGridCellsArePlainDreamsOfTheirSeeds() {
        ExplorerPanel* explorer = window_->explorer();
        explorer->setActive(true);
        explorer->tabs()->setCurrentWidget(explorer->seedView()->parentWidget());
        ThumbnailView* view = explorer->seedView();
        QCOMPARE(view->count(), int(ExplorerPanel::kSeedsPerGrid));
        const uint64_t current = window_->document()->params().seed;
        QCOMPARE(view->item(0)->text(), QString("seed %1").arg(current));
        QVERIFY(view->item(0)->isSelected());  // the current seed is highlighted
        QTRY_COMPARE_WITH_TIMEOUT(view->finishedCount(), view->count(), 90000);
        const auto images = view->images();
        const cv::Mat photo = toMat(window_->document()->image());
        const auto network = test::defaultModel("inception_v3");
        double smallest = 1;
        for (int i = 0; i < images.size(); ++i) {
            DreamParams p = window_->document()->params();
            p.workingSize = kThumbnailSize;
            p.seed = current + uint64_t(i);
            const cv::Mat plain = toMat(toQImage(dream(*network, photo, p)));
            const double apart = test::meanAbsDifference(toMat(images[i].second), plain);
            QVERIFY2(apart == 0, qPrintable(images[i].first +
                                            QString(" is %1 from the plain dream").arg(apart)));
            for (int j = i + 1; j < images.size(); ++j)
                smallest = std::min(smallest, test::meanAbsDifference(toMat(images[i].second),
                                                                      toMat(images[j].second)));
        }
        qInfo("seed cells: the closest two are %.4f apart on average", smallest);
        QVERIFY(smallest > 0.005);
    }

    // The Strengths page: step size grows to the right and steps downwards, and with them how far
    // each cell moved from the photo.
    void strengthGridGrowsAlongStepSizeAndSteps() {
        ExplorerPanel* explorer = window_->explorer();
        explorer->setActive(true);
        explorer->tabs()->setCurrentWidget(explorer->strengthView()->parentWidget());
        ThumbnailView* view = explorer->strengthView();
        QCOMPARE(view->count(), 9);
        const DreamParams& p = window_->document()->params();  // step size 0.01, 2 steps
        QCOMPARE(view->item(0)->text(), QString::fromStdString(strengthLabel(0.005, 1)));
        QCOMPARE(view->item(4)->text(), QString::fromStdString(strengthLabel(p.stepSize, p.steps)));
        QCOMPARE(view->item(8)->text(), QString::fromStdString(strengthLabel(0.02, 4)));
        QVERIFY(view->item(4)->isSelected());
        QTRY_COMPARE_WITH_TIMEOUT(view->finishedCount(), view->count(), 90000);
        const auto images = view->images();
        const cv::Mat photo = resizeLongSide(toMat(window_->document()->image()), kThumbnailSize);
        double change[3][3];
        for (int i = 0; i < 9; ++i)
            change[i / 3][i % 3] = test::meanAbsDifference(toMat(images[i].second), photo);
        for (int r = 0; r < 3; ++r)
            qInfo("steps row %d: change from the photo %.4f %.4f %.4f", r, change[r][0],
                  change[r][1], change[r][2]);
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 3; ++c) {
                if (c + 1 < 3) QVERIFY(change[r][c + 1] > change[r][c] * 1.2);
                if (r + 1 < 3) QVERIFY(change[r + 1][c] > change[r][c] * 1.2);
            }
    }

    // A click takes the cell's seed, or its step size and steps together, as one undo step; the
    // grid stays and the highlight moves to the chosen cell.
    void clickingAVariationTakesItAsOneUndoStep() {
        ExplorerPanel* explorer = window_->explorer();
        Document* doc = window_->document();
        explorer->setActive(true);
        explorer->tabs()->setCurrentWidget(explorer->seedView()->parentWidget());
        ThumbnailView* seeds = explorer->seedView();
        const uint64_t first = doc->params().seed;
        const int before = doc->undoStack()->index();
        QTest::mouseClick(seeds->viewport(), Qt::LeftButton, {},
                          seeds->visualItemRect(seeds->item(3)).center());
        QCOMPARE(doc->params().seed, first + 3);
        QCOMPARE(doc->undoStack()->index(), before + 1);
        QTRY_VERIFY(seeds->item(3)->isSelected());  // after the explorer's restart
        QCOMPARE(seeds->item(0)->text(), QString("seed %1").arg(first));

        explorer->tabs()->setCurrentWidget(explorer->strengthView()->parentWidget());
        ThumbnailView* strengths = explorer->strengthView();
        const DreamParams was = doc->params();
        QTest::mouseClick(strengths->viewport(), Qt::LeftButton, {},
                          strengths->visualItemRect(strengths->item(8)).center());
        QCOMPARE(doc->params().stepSize, was.stepSize * 2);
        QCOMPARE(doc->params().steps, was.steps * 2);
        QCOMPARE(doc->undoStack()->index(), before + 2);
        QTRY_VERIFY(strengths->item(8)->isSelected());
        doc->undoStack()->undo();  // both come back together
        QCOMPARE(doc->params().stepSize, was.stepSize);
        QCOMPARE(doc->params().steps, was.steps);
        QCOMPARE(doc->params().seed, first + 3);
    }

    // A strength sheet keeps the grid's shape: three step sizes across, three step counts down.
    void strengthSheetIsThreeByThree() {
        ExplorerPanel* explorer = window_->explorer();
        explorer->setActive(true);
        explorer->tabs()->setCurrentWidget(explorer->strengthView()->parentWidget());
        ThumbnailView* view = explorer->strengthView();
        QTRY_COMPARE_WITH_TIMEOUT(view->finishedCount(), view->count(), 90000);
        QTemporaryDir tmp;
        const QString file = tmp.filePath("strengths.png");
        QVERIFY(explorer->exportSheet(file).isEmpty());
        const cv::Mat sheet = readImage(file.toStdString());
        const QImage cell = view->images()[0].second;
        QCOMPARE(sheet.cols, 12 + 3 * (cell.width() + 12));
        QCOMPARE(sheet.rows, 40 + 12 + 3 * (cell.height() + 26 + 12));
    }

private:
    QTemporaryDir settingsDir_;
    std::unique_ptr<MainWindow> window_;
};

INCEPTIONIST_GUI_TEST_MAIN(ExplorerTest)
#include "test_explorer.moc"
