#include "bench/explorer_bench.h"

#include <cstdio>

#include <QApplication>
#include <QElapsedTimer>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>

#include "ui/model/dream_controller.h"
#include "ui/widgets/explorer_panel.h"
#include "ui/widgets/main_window.h"
#include "ui/widgets/thumbnail_view.h"

// Qt's resource initialiser must be named from the global namespace.
static void initResources() { Q_INIT_RESOURCE(resources); }

namespace inceptionist::bench {

namespace {
constexpr int kTickMs = 5;  // the probe timer on the GUI thread
constexpr int kTimeoutMs = 300000;
}  // namespace

int explorerSection(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    initResources();
    QApplication app(argc, argv);
    QTemporaryDir settings;  // defaults, not someone's last session
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settings.path());
    QCoreApplication::setOrganizationName("InceptionistBench");

    ui::MainWindow window;
    window.setLiveMode(false);  // only the explorer works
    window.resize(1280, 900);
    window.show();
    if (!window.openFile(ui::MainWindow::sampleImagePath())) return 1;
    ui::ExplorerPanel* explorer = window.explorer();

    // The network is loaded by the first piece of work; load it first, as a session would have.
    QEventLoop warm;
    QObject::connect(window.controller(), &ui::DreamController::dreamFinished, &warm,
                     &QEventLoop::quit);
    DreamParams tiny = window.document()->params();
    tiny.octaves = 1;
    tiny.steps = 1;
    tiny.workingSize = 128;
    window.controller()->submit(tiny, window.document()->image());
    warm.exec();

    // The layer grid, then the variations: the same settings with other seeds, and at other
    // strengths (its largest cell takes twice the steps at twice the step size).
    struct Grid {
        const char* name;
        ui::ThumbnailView* view;
    };
    const Grid grids[] = {{"layers", explorer->layerView()},
                          {"seeds", explorer->seedView()},
                          {"strengths", explorer->strengthView()}};
    bool complete = true;
    for (const Grid& grid : grids) {
        ui::ThumbnailView* view = grid.view;
        QElapsedTimer clock, sinceTick;
        qint64 first = -1, all = -1, worst = 0;
        QEventLoop loop;
        QTimer probe;
        probe.setInterval(kTickMs);
        QObject::connect(&probe, &QTimer::timeout,
                         [&] { worst = std::max(worst, sinceTick.restart() - kTickMs); });
        const auto finished = QObject::connect(
            window.controller(), &ui::DreamController::backgroundDream, &loop, [&] {
                if (first < 0) first = clock.elapsed();
                if (view->count() > 0 && view->finishedCount() == view->count()) {
                    all = clock.elapsed();
                    loop.quit();
                }
            });
        QTimer::singleShot(kTimeoutMs, &loop, &QEventLoop::quit);
        clock.start();
        sinceTick.start();
        probe.start();
        explorer->tabs()->setCurrentWidget(view->parentWidget());
        explorer->setActive(true);
        loop.exec();
        QObject::disconnect(finished);
        explorer->setActive(false);
        std::printf(
            "Explorer, %s: %d InceptionV3 thumbnails at %d px (%d octaves x %d steps): first "
            "thumbnail %.2f s (limit 2), whole grid %.1f s (limit 20 for 12 layers), GUI event "
            "loop held up at most %lld ms (limit 50)\n",
            grid.name, view->count(), view->images().value(0).second.width(),
            window.document()->params().octaves, window.document()->params().steps, first / 1000.0,
            all / 1000.0, static_cast<long long>(worst));
        complete = complete && all >= 0;
    }
    std::printf("\n");
    return complete ? 0 : 1;
}

}  // namespace inceptionist::bench
