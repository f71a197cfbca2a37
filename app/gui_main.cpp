// inceptionist: the interactive DeepDream window.

#include <QApplication>
#include <QCommandLineParser>

#include <QDockWidget>
#include <QTimer>

#include "core/motion/clip_settings.h"
#include "ui/model/dream_controller.h"
#include "ui/widgets/explorer_panel.h"
#include "ui/widgets/main_window.h"
#include "ui/widgets/motion_panel.h"
#include "ui/widgets/thumbnail_view.h"
#include "ui/widgets/timeline.h"

namespace {
constexpr double kScreenshotAt = 0.5;         // fraction of the dream's work done
constexpr int kScreenshotTimeoutMs = 120000;  // give up if no dream gets that far
constexpr int kScreenshotThumbnails = 8;      // explorer thumbnails shown in its picture

// The Motion panel on a zoom journey that turns one way, then the other (for the README's
// picture): with `screenshot`, saved once the preview's frames are made, on the last of them.
void showMotionSample(inceptionist::ui::MainWindow& window, const QString& screenshot) {
    using namespace inceptionist;
    auto* panel = window.motionPanel();
    ClipSettings clip;
    clip.frames = 96;
    clip.motion = {1.05, 2, 0, 0};
    clip.setKeyframe(0, clip.frameParams(window.document()->params()), clip.motion);
    clip.setKeyframe(60, clip.frameParams(window.document()->params()), {1.02, -2, 0, 0});
    panel->setSettings(clip);
    window.motionDock()->show();
    window.motionDock()->raise();
    if (screenshot.isEmpty()) return;
    QObject::connect(panel, &ui::MotionPanel::framesMade, &window,
                     [&window, panel, screenshot](int made) {
                         if (made < ui::MotionPanel::kPreviewFrames) return;
                         panel->timeline()->setCurrentFrame(made - 1);
                         panel->timeline()->selectKeyframe(60);
                         QCoreApplication::exit(window.grab().save(screenshot) ? 0 : 1);
                     });
    QTimer::singleShot(kScreenshotTimeoutMs, qApp, [] { QCoreApplication::exit(2); });
}

}  // namespace

int main(int argc, char** argv) {
    Q_INIT_RESOURCE(resources);  // compiled into the static ui model library
    QApplication app(argc, argv);
    QApplication::setApplicationName("Inceptionist");
    QApplication::setOrganizationName("Inceptionist");
    QApplication::setApplicationVersion(INCEPTIONIST_VERSION);
    QApplication::setDesktopFileName("org.inceptionist.Inceptionist");
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Interactive DeepDream: watch a network dream your photo, live.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("image", "Photo to open (default: the bundled sample).");
    parser.addOption({"models-dir", "Folder holding the models.", "dir"});
    parser.addOption({"screenshot",
                      "Save a picture of the window halfway through the first dream, then quit.",
                      "file"});
    parser.addOption({"show-explorer",
                      "Open the explorer; with --screenshot, the picture waits for its "
                      "thumbnails."});
    parser.addOption({"show-motion",
                      "Open the Motion panel on a sample zoom journey; with --screenshot, the "
                      "picture waits for its preview."});
    parser.process(app);

    inceptionist::ui::MainWindow window(parser.value("models-dir"));
    window.resize(1280, 800);
    window.show();
    const QStringList files = parser.positionalArguments();
    const QString image =
        files.isEmpty() ? inceptionist::ui::MainWindow::sampleImagePath() : files.first();
    if (parser.isSet("show-explorer")) window.explorerDock()->show();
    if (parser.isSet("screenshot") && parser.isSet("show-explorer")) {
        const QString file = parser.value("screenshot");
        QObject::connect(
            window.controller(), &inceptionist::ui::DreamController::backgroundDream, &window,
            [&window, file] {
                if (window.explorer()->layerView()->finishedCount() < kScreenshotThumbnails) return;
                QCoreApplication::exit(window.grab().save(file) ? 0 : 1);
            });
        QTimer::singleShot(kScreenshotTimeoutMs, &app, [] { QCoreApplication::exit(2); });
    } else if (parser.isSet("screenshot") && !parser.isSet("show-motion")) {
        const QString file = parser.value("screenshot");
        QObject::connect(
            window.controller(), &inceptionist::ui::DreamController::progressChanged, &window,
            [&window, file](const inceptionist::DreamProgress&, double fraction, double) {
                static bool taken = false;
                if (taken || fraction < kScreenshotAt) return;
                taken = true;
                const bool saved = window.grab().save(file);
                QCoreApplication::exit(saved ? 0 : 1);
            });
        QTimer::singleShot(kScreenshotTimeoutMs, &app, [] { QCoreApplication::exit(2); });
    }
    if (parser.isSet("show-motion")) showMotionSample(window, parser.value("screenshot"));
    // After a crash, the session it left comes back instead of the sample photo, if wanted.
    const bool restored = !parser.isSet("screenshot") && window.offerSessionRestore();
    if (!image.isEmpty() && (!restored || !files.isEmpty())) window.openFile(image);
    return app.exec();
}
