#include "bench/latency_bench.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSettings>
#include <QSlider>
#include <QTemporaryDir>
#include <QTimer>

#include "core/params/param_table.h"
#include "ui/model/dream_controller.h"
#include "ui/widgets/main_window.h"

static void initLatencyResources() { Q_INIT_RESOURCE(resources); }

namespace inceptionist::bench {

namespace {

constexpr int kReleases = 5;  // per situation
constexpr int kTimeoutMs = 60000;

// Runs the event loop until `signal` of `sender` or the timeout; true if it came.
template <typename Sender, typename Signal>
bool waitFor(Sender* sender, Signal signal) {
    QEventLoop loop;
    QObject::connect(sender, signal, &loop, &QEventLoop::quit);
    bool timedOut = false;
    QTimer::singleShot(kTimeoutMs, &loop, [&] {
        timedOut = true;
        loop.quit();
    });
    loop.exec();
    return !timedOut;
}

}  // namespace

// From releasing the step-size slider in live mode to the new dream's first preview on the
// canvas, on the machine as it is and next to a CPU-bound process of one thread.
int latencySection(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    initLatencyResources();
    QApplication app(argc, argv);
    QTemporaryDir settings;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settings.path());
    QCoreApplication::setOrganizationName("InceptionistBench");

    ui::MainWindow window;
    window.setLiveMode(false);
    window.resize(1280, 900);
    window.show();
    if (!window.openFile(ui::MainWindow::sampleImagePath())) return 1;
    // A first dream loads the network, as in a session.
    window.startDream();
    if (!waitFor(window.controller(), &ui::DreamController::dreamFinished)) {
        std::fprintf(stderr, "the first dream took longer than %d s\n", kTimeoutMs / 1000);
        return 1;
    }
    window.setLiveMode(true);

    const QString tip = QString::fromUtf8(paramSpec(ParamId::StepSize).tooltip);
    QSlider* slider = nullptr;
    for (QSlider* s : window.findChildren<QSlider*>())
        if (s->toolTip() == tip) slider = s;
    if (slider == nullptr) {
        std::fprintf(stderr, "no step-size slider\n");
        return 1;
    }

    QElapsedTimer clock;
    double latency = -1;
    QObject::connect(window.controller(), &ui::DreamController::previewReady, [&] {
        if (latency < 0 && clock.isValid()) latency = clock.nsecsElapsed() * 1e-9;
    });
    auto release = [&](int i) {
        slider->setSliderDown(true);
        slider->setValue(slider->minimum() +
                         (slider->maximum() - slider->minimum()) * (i % 2 == 0 ? 40 : 60) / 100);
        latency = -1;
        clock.start();
        slider->setSliderDown(false);
        while (latency < 0 && clock.elapsed() < kTimeoutMs)
            app.processEvents(QEventLoop::WaitForMoreEvents);
        clock.invalidate();
        std::printf("    release %d: %.3f s\n", i, latency);
        std::fflush(stdout);
        // The rest of that dream does not matter here.
        window.stopDream();
        while (window.controller()->busy()) app.processEvents(QEventLoop::WaitForMoreEvents);
        return latency;
    };
    auto report = [](const char* what, std::vector<double> t, double target) {
        std::sort(t.begin(), t.end());
        std::printf("  %s: %.3f s (%.3f-%.3f), target <= %.1f s\n", what, t[t.size() / 2],
                    t.front(), t.back(), target);
    };

    std::printf("Window latency: slider released (live mode) to the first new preview, %d times\n",
                kReleases);
    std::fflush(stdout);
    std::vector<double> idle, busy;
    for (int i = 0; i < kReleases; ++i) idle.push_back(release(i));
    const pid_t hog = fork();
    if (hog == 0) {
        volatile double x = 1.0;
        for (;;) x = x * 1.0000001 + 1e-9;
    }
    // Continuing the alternation: the slider must move for a new dream.
    for (int i = kReleases; i < 2 * kReleases; ++i) busy.push_back(release(i));
    kill(hog, SIGKILL);
    waitpid(hog, nullptr, 0);
    report("idle", idle, 0.3);
    report("one CPU-bound process", busy, 0.6);
    std::printf("\n");
    return 0;
}

}  // namespace inceptionist::bench
