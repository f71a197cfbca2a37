// Time estimates (issue 11, fault 5): nothing is said before an estimate is sound, and a sound
// one holds against a measured run. The fit itself is checked on exact figures.

#include <QtTest>

#include <QElapsedTimer>

#include "core/render/print_plan.h"
#include "tests/gui_test_support.h"
#include "tests/test_support.h"
#include "ui/model/dream_controller.h"
#include "ui/model/throughput.h"
#include "ui/widgets/main_window.h"

using namespace inceptionist;
using namespace inceptionist::ui;

class TimeEstimatesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::isolateSettings(settingsDir_.path()); }

    // A step costs 20 ms per tile plus 0.5 s per megapixel: two small sizes give the fit, which
    // then predicts a 4-megapixel, 16-tile step exactly; one size alone predicts nothing.
    void fitCarriesFromSmallToLargeSizes() {
        Throughput t;
        DreamParams p;
        const QString key = Throughput::keyOf(p);
        auto cost = [](int w, int h) {
            return 0.02 * Throughput::tilesOf(w, h, 512) + 0.5 * w * h / 1e6;
        };
        t.add(key, 300, 200, 512, 10, 10 * cost(300, 200));
        QCOMPARE(t.secondsPerStep(key, 2000, 2000, 512), -1.0);
        t.add(key, 420, 280, 512, 10, 10 * cost(420, 280));
        t.add(key, 1000, 700, 512, 5, 5 * cost(1000, 700));
        QVERIFY(qAbs(t.secondsPerStep(key, 2000, 2000, 512) - cost(2000, 2000)) < 1e-3);
        QCOMPARE(t.secondsPerStep(Throughput::keyOf(DreamParams{.model = "mobilenet_v2"}), 300, 200,
                                  512),
                 -1.0);
    }

    // The first dream of a session says nothing about time at its first steps (the window's
    // status bar stays empty), and gives a figure once octaves of two sizes are measured. A
    // dream twice as large then takes within a factor of three of what was estimated.
    void estimateHoldsAgainstAMeasuredRun() {
        DreamParams p;
        p.layers = {{"mixed3", 1.0, {}}};
        p.octaves = 3;
        p.steps = 4;
        p.workingSize = 160;
        auto window = test::sampleWindow(p);
        DreamController* c = window->controller();
        QSignalSpy progress(c, &DreamController::progressChanged);
        QSignalSpy done(c, &DreamController::dreamFinished);
        window->startDream();
        QVERIFY(done.wait(120000));
        QVERIFY(progress.count() > 4);
        QVERIFY2(progress.first().at(2).toDouble() < 0,
                 qPrintable(QString::number(progress.first().at(2).toDouble())));
        QVERIFY(progress.last().at(2).toDouble() >= 0);

        const QImage photo = window->document()->image();
        const int longSide = 320;
        const DreamParams big = printParams(p, longSide);
        const int w = longSide,
                  h = int(std::lround(longSide * double(photo.height()) / photo.width()));
        const double estimate = c->estimateSeconds(big, w, h);
        QVERIFY(estimate > 0);
        QElapsedTimer clock;
        clock.start();
        c->submit(big, photo);
        QVERIFY(done.wait(300000));
        const double measured = clock.nsecsElapsed() / 1e9;
        qInfo("%dx%d, %d octaves of %d steps: estimated %.2f s, took %.2f s", w, h, big.octaves,
              big.steps, estimate, measured);
        QVERIFY2(estimate > measured / 3 && estimate < measured * 3,
                 qPrintable(QString("estimated %1 s, took %2 s").arg(estimate).arg(measured)));
    }

private:
    QTemporaryDir settingsDir_;
};

INCEPTIONIST_GUI_TEST_MAIN(TimeEstimatesTest)
#include "test_time_estimates.moc"
