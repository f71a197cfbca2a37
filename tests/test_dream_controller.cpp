// The GUI's handle on the worker thread: the newest request wins, cancel stops a dream within
// a step (and does not wait for a model that is still loading), and the GUI thread's event loop
// keeps answering while the network runs.

#include <QtTest>

#include "core/io/image_io.h"
#include "tests/sanitizer_build.h"
#include "tests/test_support.h"
#include "ui/model/dream_controller.h"
#include "ui/model/image_convert.h"
#include "ui/model/network_cache.h"

using namespace inceptionist;
using namespace inceptionist::ui;

namespace {

DreamParams quick(uint64_t seed) {
    DreamParams p;
    p.layers = {{"mixed3", 1.0, {}}};
    p.octaves = 2;
    p.steps = 4;
    p.workingSize = 160;
    p.seed = seed;
    return p;
}

}  // namespace

class DreamControllerTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { photo_ = toQImage(test::smallPhoto(320)); }

    void previewsThenResult() {
        DreamController c(QString::fromStdString(test::modelsDir()));
        QSignalSpy previews(&c, &DreamController::previewReady);
        QSignalSpy done(&c, &DreamController::dreamFinished);
        c.submit(quick(1), photo_);
        QVERIFY(c.busy());
        QVERIFY(done.wait(60000));
        QVERIFY(previews.count() >= 2);  // at least the end of each octave
        const QImage result = done.first().first().value<QImage>();
        QCOMPARE(result.size(), QSize(160, 120));
        QVERIFY(!c.busy());
    }

    // A dream asked for the moment the last one finished: the worker went idle just before, but
    // `workerIdle` must not reach the GUI while the new dream waits or runs. Each round submits
    // the next dream from the finished handler, ahead of the worker's queued idle report.
    void idleIsNeverReportedWhileARequestWaits() {
        DreamController c(QString::fromStdString(test::modelsDir()));
        DreamParams p = quick(1);
        p.octaves = 1;
        p.steps = 1;
        p.workingSize = 64;
        constexpr int kRounds = 6;
        int finished = 0, idleWhileBusy = 0, idleReports = 0;
        connect(&c, &DreamController::dreamFinished, this, [&] {
            if (++finished < kRounds) c.submit(p, photo_);
        });
        connect(&c, &DreamController::workerIdle, this, [&] {
            ++idleReports;
            if (c.busy()) ++idleWhileBusy;
        });
        QSignalSpy done(&c, &DreamController::dreamFinished);
        c.submit(p, photo_);
        QTRY_COMPARE_WITH_TIMEOUT(finished, kRounds, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(idleReports >= 1, 10000);
        QCOMPARE(idleWhileBusy, 0);
    }

    void newestRequestWins() {
        DreamController c(QString::fromStdString(test::modelsDir()));
        QSignalSpy done(&c, &DreamController::dreamFinished);
        QSignalSpy cancelled(&c, &DreamController::dreamCancelled);
        c.submit(quick(1), photo_);
        const quint64 second = c.submit(quick(2), photo_);
        QVERIFY(done.wait(60000));
        QTRY_VERIFY_WITH_TIMEOUT(!c.busy(), 10000);
        QCOMPARE(done.count(), 1);
        QCOMPARE(done.first().at(1).value<DreamParams>().seed, uint64_t(2));
        QCOMPARE(c.latestId(), second);
        QCOMPARE(cancelled.count(), 0);  // a replaced dream is not reported as stopped
    }

    void cancelStopsQuickly() {
        DreamController c(QString::fromStdString(test::modelsDir()));
        QSignalSpy previews(&c, &DreamController::previewReady);
        QSignalSpy cancelled(&c, &DreamController::dreamCancelled);
        QSignalSpy done(&c, &DreamController::dreamFinished);
        DreamParams p = quick(3);
        p.steps = 200;
        c.submit(p, photo_);
        QVERIFY(previews.wait(60000));
        QElapsedTimer t;
        t.start();
        c.cancel();
        QVERIFY(cancelled.wait(10000));
        qInfo("stopped %lld ms after cancel", static_cast<long long>(t.elapsed()));
        QVERIFY(t.elapsed() < 2000);  // one step at 160 px takes tens of milliseconds
        QCOMPARE(done.count(), 0);
        QVERIFY(!c.busy());
    }

    void cancelBeforeStartIsReported() {
        DreamController c(QString::fromStdString(test::modelsDir()));
        QSignalSpy cancelled(&c, &DreamController::dreamCancelled);
        c.submit(quick(4), photo_);
        c.cancel();  // the worker may not even have taken it yet
        QVERIFY(cancelled.count() == 1 || cancelled.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(!c.busy(), 10000);
    }

    // Esc while the model loads: the dream stops at once, the load carries on by itself, and the
    // next dream uses what it loaded.
    void cancelDuringModelLoadDoesNotWaitForIt() {
        DreamController c(QString::fromStdString(test::modelsDir()));
        QSignalSpy cancelled(&c, &DreamController::dreamCancelled);
        QSignalSpy done(&c, &DreamController::dreamFinished);
        const DreamParams p = quick(6);
        c.submit(p, photo_);
        QTRY_VERIFY_WITH_TIMEOUT(c.networks()->contains(p.model, p.device), 10000);  // loading
        c.cancel();
        QVERIFY(cancelled.count() == 1 || cancelled.wait(10000));
        // Still loading when the cancel came back: nobody waited for the whole load.
        QVERIFY(!c.networks()->tryAcquire(p.model, p.device));
        c.submit(p, photo_);
        QVERIFY(done.wait(60000));
        QCOMPARE(c.networks()->size(), size_t(1));
    }

    void unknownLayerFailsCleanly() {
        DreamController c(QString::fromStdString(test::modelsDir()));
        QSignalSpy failed(&c, &DreamController::dreamFailed);
        DreamParams p = quick(5);
        p.layers = {{"mixed77", 1.0, {}}};
        c.submit(p, photo_);
        QVERIFY(failed.wait(30000));
        QVERIFY(failed.first().first().toString().contains("mixed77"));
        QVERIFY(!c.busy());
    }

    // While a full-size dream runs, a 5 ms timer on the GUI thread is never held up for long. A
    // GUI thread that waited on the network would stall for seconds; the margin is wide because
    // a busy 2-core machine delays timers by tens of milliseconds now and then. The README's
    // figure (target 50 ms) is the worst gap this test prints on a quiet machine.
    void eventLoopStaysResponsive() {
        DreamController c(QString::fromStdString(test::modelsDir()));
        QSignalSpy done(&c, &DreamController::dreamFinished);
        QElapsedTimer sinceTick;
        qint64 worst = 0;
        int ticks = 0;
        QTimer timer;
        timer.setInterval(5);
        connect(&timer, &QTimer::timeout, this, [&] {
            if (ticks++ > 0) worst = std::max(worst, sinceTick.elapsed());
            sinceTick.restart();
        });
        DreamParams p;  // the default dream, 512 px
        c.submit(p, toQImage(test::smallPhoto(512)));
        sinceTick.start();
        timer.start();
        QVERIFY(done.wait(120000));
        timer.stop();
        qInfo("event loop: worst gap %lld ms over %d ticks", static_cast<long long>(worst), ticks);
        if (!test::kSanitizerBuild)  // instrumented code is slower: the normal build asserts this
            QVERIFY2(worst < 250, qPrintable(QString("worst gap %1 ms").arg(worst)));
    }

private:
    QImage photo_;
};

QTEST_MAIN(DreamControllerTest)
#include "test_dream_controller.moc"
