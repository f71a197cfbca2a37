#include "bench/style_latency_bench.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QSettings>
#include <QTabBar>
#include <QTemporaryDir>

#include "ui/model/document.h"
#include "ui/model/dream_controller.h"
#include "ui/widgets/main_window.h"
#include "ui/widgets/mode_panel.h"
#include "ui/widgets/style_panel.h"

static void initStyleLatencyResources() { Q_INIT_RESOURCE(resources); }

namespace inceptionist::bench {

namespace {

constexpr int kPresses = 5;
constexpr int kTimeoutMs = 120000;

}  // namespace

int styleLatencySection(int argc, char** argv) {
    int size = 384;
    QString screenshot;
    for (int i = 1; i + 1 < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--size") size = std::max(64, std::atoi(argv[i + 1]));
        if (a == "--screenshot") screenshot = QString::fromLocal8Bit(argv[i + 1]);
    }
    if (qEnvironmentVariableIsEmpty("DISPLAY")) qputenv("QT_QPA_PLATFORM", "offscreen");
    initStyleLatencyResources();
    QApplication app(argc, argv);
    QTemporaryDir settings;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settings.path());
    QCoreApplication::setOrganizationName("InceptionistBench");

    ui::MainWindow window;
    window.setLiveMode(false);
    window.resize(1280, 860);
    window.show();
    if (!window.openFile(ui::MainWindow::sampleImagePath())) return 1;
    DreamParams params = window.document()->params();
    params.workingSize = size;
    window.document()->applyParams(params);
    // The painting is chosen once, in Style mode, as a person would; then back to Dream.
    window.modePanel()->setStyleMode(true);
    window.modePanel()->stylePanel()->addImages(
        {QStringLiteral(INCEPTIONIST_TEST_DATA "/scream.jpg")});
    window.modePanel()->setStyleMode(false);

    bool finished = false;
    double firstPreview = -1;
    QElapsedTimer clock;
    QObject::connect(window.controller(), &ui::DreamController::previewReady, [&] {
        if (firstPreview < 0 && clock.isValid()) firstPreview = clock.nsecsElapsed() * 1e-9;
    });
    QObject::connect(window.controller(), &ui::DreamController::dreamFinished,
                     [&] { finished = true; });
    auto waitUntil = [&](auto done) {
        QElapsedTimer limit;
        limit.start();
        while (!done() && limit.elapsed() < kTimeoutMs)
            app.processEvents(QEventLoop::WaitForMoreEvents);
        return done();
    };
    // A first dream loads the network, as in a session.
    window.startDream();
    if (!waitUntil([&] { return finished; })) return 1;
    window.setLiveMode(true);

    std::printf(
        "Style latency in the window (%d px working size, live mode, The Scream on the "
        "sample photo): pressing Style to the first preview on the canvas, %d times\n",
        size, kPresses);
    std::fflush(stdout);
    std::vector<double> latencies;
    double whole = -1;
    for (int i = 0; i < kPresses; ++i) {
        finished = false;
        firstPreview = -1;
        clock.start();
        window.modePanel()->modeBar()->setCurrentIndex(1);
        if (!waitUntil([&] { return firstPreview >= 0; })) return 1;
        latencies.push_back(firstPreview);
        std::printf("    press %d: %.3f s\n", i + 1, firstPreview);
        std::fflush(stdout);
        if (i == 0) {  // the whole transfer once, and the picture for the screenshot
            if (!waitUntil([&] { return finished; })) return 1;
            whole = clock.nsecsElapsed() * 1e-9;
            if (!screenshot.isEmpty()) {
                app.processEvents();
                window.grab().save(screenshot);
            }
        }
        // Back to Dream: its dream does not matter here.
        window.modePanel()->modeBar()->setCurrentIndex(0);
        window.stopDream();
        waitUntil([&] { return !window.dreamPending(); });
    }
    std::sort(latencies.begin(), latencies.end());
    std::printf("  first preview: %.3f s median (%.3f-%.3f), target <= 1.0 s\n",
                latencies[latencies.size() / 2], latencies.front(), latencies.back());
    std::printf("  whole transfer (%d iterations): %.1f s\n\n",
                window.document()->params().style.iterations, whole);
    return 0;
}

}  // namespace inceptionist::bench
