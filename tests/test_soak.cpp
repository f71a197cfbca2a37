// Soak: an evening of work compressed. An offscreen window in live mode takes 1000 random
// parameter changes as an artist makes them (sliders, the layer list), with keeps, undos and
// redos, explorer pages and a print in between. Nothing may crash, every dream asked for must
// be answered (finished, or cancelled by a newer one), and the memory the process holds after
// the run must stay within 15 % of what it held after the first 100 changes: a leak of a
// preview, an undo snapshot or a cancelled request per change shows as growth.

#include <QtTest>

#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSlider>
#include <QTabWidget>
#include <QTemporaryDir>

#include <malloc.h>

#include "tests/gui_test_support.h"
#include "tests/test_support.h"
#include "ui/model/document.h"
#include "ui/model/dream_controller.h"
#include "ui/model/print_job.h"
#include "ui/widgets/explorer_panel.h"
#include "ui/widgets/main_window.h"
#include "ui/widgets/parameter_panel.h"
#include "ui/widgets/slider_spin.h"
#include "ui/widgets/thumbnail_view.h"

using namespace inceptionist;
using namespace inceptionist::ui;

namespace {

constexpr int kChanges = 1000;
constexpr int kWarmChanges = 100;
constexpr int kIdleWaitMs = 240000;  // generous: a shared 2-core machine, maybe sanitizers

// Resident memory of this process in KiB, from the kernel's own account.
long residentKiB() {
    QFile status("/proc/self/status");
    if (!status.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:")) return line.mid(6).trimmed().split(' ').front().toLong();
    return -1;
}

// Memory as the application holds it: freed blocks glibc keeps in its arenas are given back
// first, so the figure is what is live, not the allocator's high-water mark.
long liveResidentKiB() {
    malloc_trim(0);
    return residentKiB();
}

}  // namespace

class SoakTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::isolateSettings(settingsDir_.path()); }

    void thousandChangesLeaveNothingBehind() {
        DreamParams p;
        p.layers = {{"mixed3", 1.0, {}}};
        p.octaves = 1;
        p.steps = 2;
        p.workingSize = 96;
        auto window = test::sampleWindow(p);
        window->show();
        window->setLiveMode(true);
        DreamController* controller = window->controller();
        ParameterPanel* panel = window->panel();

        QSignalSpy finished(controller, &DreamController::dreamFinished);
        QSignalSpy failed(controller, &DreamController::dreamFailed);
        QSignalSpy cancelled(controller, &DreamController::dreamCancelled);

        // The sliders an artist moves in an evening; the working size stays, so every dream
        // is small and the run is about the machinery, not about the network's speed.
        const std::vector<ParamId> sliders = {ParamId::Octaves, ParamId::OctaveScale,
                                              ParamId::Steps, ParamId::StepSize, ParamId::Jitter};
        QRandomGenerator rng(20261128);
        QTemporaryDir outDir;
        QVERIFY(outDir.isValid());
        int prints = 0;
        QStringList curve;  // MiB resident after every 100 changes, for the README
        long warmKiB = -1;
        int keeps = 0, undos = 0, pages = 0;

        auto waitIdle = [&] {
            QTRY_VERIFY_WITH_TIMEOUT(!window->dreamPending() && !controller->busy(), kIdleWaitMs);
        };

        for (int change = 1; change <= kChanges; ++change) {
            const quint32 what = rng.bounded(100u);
            if (what < 8 && panel->layerBox()->count() > 1) {
                // Only the first layers: the high ones of InceptionV3 dream slowly.
                const int n = std::min(panel->layerBox()->count(), 6);
                panel->layerBox()->setCurrentIndex(int(rng.bounded(quint32(n))));
            } else {
                const ParamId id = sliders[rng.bounded(quint32(sliders.size()))];
                SliderSpin* control = panel->control(id);
                QVERIFY2(control, "a slider of the panel is missing");
                QSlider* s = control->slider();
                // Small octaves and steps: the upper part of those sliders is slow, not new.
                int top = s->maximum();
                if (id == ParamId::Octaves || id == ParamId::Steps)
                    top = std::min(top, s->minimum() + (s->maximum() - s->minimum()) / 4);
                s->setValue(s->minimum() + int(rng.bounded(quint32(top - s->minimum() + 1))));
            }
            // Most changes come faster than a dream (they merge into one); some come while a
            // dream runs (it is cancelled); every few the artist waits to look.
            QTest::qWait(rng.bounded(4u) ? int(rng.bounded(25u)) : 150 + int(rng.bounded(150u)));
            if (change % 10 == 0) waitIdle();
            if (change % 50 == 0) {
                waitIdle();
                window->keepDream();
                ++keeps;
            }
            if (change % 70 == 0) {
                window->document()->undoStack()->undo();
                ++undos;
                if (rng.bounded(2u)) window->document()->undoStack()->redo();
            }
            // The first 100 changes hold one of everything, so what is measured after them is
            // the steady state: models, caches and pools in place.
            if (change % 200 == 60) {
                // An explorer page: the layer sheet, then a page of channels, then hidden.
                window->explorerDock()->show();
                window->explorer()->setActive(true);
                window->explorer()->showChannelPage(int(rng.bounded(3u)));
                if (change < kWarmChanges) {
                    // The first page is seen whole: every layer of the sheet has then run once
                    // (the engine prepares a layer when it first runs), so what is measured after
                    // the first 100 changes is the steady state.
                    ThumbnailView* sheet = window->explorer()->layerView();
                    window->explorer()->tabs()->setCurrentIndex(0);
                    QTRY_VERIFY_WITH_TIMEOUT(
                        sheet->finishedCount() > 0 && sheet->finishedCount() == sheet->count(),
                        kIdleWaitMs);
                }
                QTest::qWait(300);
                window->explorer()->setActive(false);
                window->explorerDock()->hide();
                ++pages;
            }
            if (change % 500 == 80) {
                // A print while the canvas dreams on.
                const QString out = outDir.filePath(QString("print-%1.png").arg(change));
                QVERIFY(window->renderPrint(out, 192, 8, 300));
                PrintJob* job = window->printJob();
                QVERIFY(job);
                QSignalSpy done(job, &PrintJob::finished);
                QSignalSpy printFailed(job, &PrintJob::failed);
                QTRY_VERIFY_WITH_TIMEOUT(done.count() + printFailed.count() > 0, kIdleWaitMs);
                QCOMPARE(printFailed.count(), 0);
                QVERIFY(QFile::exists(out));
                ++prints;
            }
            if (change % kWarmChanges == 0) {
                waitIdle();
                curve.push_back(QString::number(liveResidentKiB() / 1024.0, 'f', 0));
                if (change == kWarmChanges) warmKiB = liveResidentKiB();
            }
        }
        waitIdle();
        QCOMPARE(prints, 2);
        QCOMPARE(failed.count(), 0);
        // Every dream was answered: the last one finished with what the panel shows now.
        QVERIFY(finished.count() > 0);
        const DreamParams last = finished.last().at(1).value<DreamParams>();
        QCOMPARE(last.steps, panel->params().steps);
        QCOMPARE(last.octaves, panel->params().octaves);
        QCOMPARE(last.stepSize, panel->params().stepSize);

        const long endKiB = liveResidentKiB();
        qInfo(
            "soak: %d changes, %d keeps, %d undos, %d explorer pages, %d prints, %lld dreams "
            "finished, "
            "%lld cancelled; resident after %d changes %.1f MiB, after %d %.1f MiB (%.2f×)",
            kChanges, keeps, undos, pages, prints, static_cast<long long>(finished.count()),
            static_cast<long long>(cancelled.count()), kWarmChanges, warmKiB / 1024.0, kChanges,
            endKiB / 1024.0, double(endKiB) / double(warmKiB));
        qInfo("soak: resident MiB after each 100 changes: %s", qPrintable(curve.join(' ')));
        QVERIFY(warmKiB > 0);
        QVERIFY2(endKiB <= warmKiB * 1.15,
                 qPrintable(QString("resident memory grew from %1 MiB to %2 MiB")
                                .arg(warmKiB / 1024.0)
                                .arg(endKiB / 1024.0)));
    }

private:
    QTemporaryDir settingsDir_;
};

INCEPTIONIST_GUI_TEST_MAIN(SoakTest)
#include "test_soak.moc"
