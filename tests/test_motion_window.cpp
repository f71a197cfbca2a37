// The Motion panel in the window: keyframes set on the timeline from the dream's parameters and
// the motion, moved by dragging and deleted with the Delete key; the clip's settings as saved.

#include <QtTest>

#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QMenuBar>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>

#include "core/motion/clip_settings.h"
#include "core/motion/video_file.h"
#include "core/params/errors.h"
#include "tests/gui_test_support.h"
#include "tests/test_support.h"
#include "ui/model/clip_job.h"
#include "ui/model/dream_controller.h"
#include "ui/model/image_convert.h"
#include "ui/model/presets.h"
#include "ui/model/session_autosave.h"
#include "ui/widgets/canvas.h"
#include "ui/widgets/main_window.h"
#include "ui/widgets/message_bar.h"
#include "ui/widgets/motion_panel.h"
#include "ui/widgets/timeline.h"

using namespace inceptionist;
using namespace inceptionist::ui;

class MotionWindowTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::isolateSettings(settingsDir_.path()); }

    void init() {
        DreamParams p;
        p.model = "mobilenet_v2";
        p.layers = {{"block_3_expand_relu", 1.0, {}}};
        p.octaves = 1;
        p.steps = 2;
        window_ = test::sampleWindow(p);
        window_->resize(1200, 900);
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    }

    void cleanup() { window_.reset(); }

    void viewMenuOpensThePanelBesideTheExplorer() {
        QDockWidget* dock = window_->motionDock();
        QVERIFY(dock);
        QVERIFY(!dock->isVisible());
        QAction* show = dock->toggleViewAction();
        QCOMPARE(show->shortcut(), QKeySequence("Ctrl+Shift+M"));
        show->trigger();
        QTRY_VERIFY(dock->isVisible());
        QCOMPARE(window_->dockWidgetArea(dock), Qt::BottomDockWidgetArea);
        QVERIFY(window_->tabifiedDockWidgets(dock).contains(window_->explorerDock()));
    }

    void keyframesComeFromTheDreamAndTheMotion() {
        window_->motionDock()->show();
        MotionPanel* panel = window_->motionPanel();
        Timeline* timeline = panel->timeline();
        QCOMPARE(timeline->frameCount(), 100);
        panel->findChild<QSpinBox*>("motionFrames")->setValue(60);
        QCOMPARE(timeline->frameCount(), 60);

        // Frame 0 with the window's parameters and a zoom in; frame 40 with another layer and a
        // rotation.
        panel->findChild<QDoubleSpinBox*>("motionZoom")->setValue(1.08);
        panel->findChild<QPushButton*>("addKeyframeButton")->click();
        timeline->setCurrentFrame(40);
        DreamParams later = window_->document()->params();
        later.layers = {{"block_6_expand_relu", 1.0, {}}};
        window_->document()->applyParams(later);
        panel->findChild<QDoubleSpinBox*>("motionRotate")->setValue(2.5);
        panel->findChild<QPushButton*>("addKeyframeButton")->click();

        const ClipSettings& s = panel->settings();
        QCOMPARE(int(s.keyframes.size()), 2);
        QCOMPARE(timeline->keyframes(), QVector<int>({0, 40}));
        QCOMPARE(s.keyframes[0].motion.zoom, 1.08);
        QCOMPARE(s.keyframes[0].dream.layers[0].name, std::string("block_3_expand_relu"));
        QCOMPARE(s.keyframes[1].dream.layers[0].name, std::string("block_6_expand_relu"));
        QCOMPARE(s.keyframes[1].motion.rotate, 2.5);
        QCOMPARE(s.keyframes[1].dream.steps, 5);  // each frame's brief dream, not the window's 2
        // Halfway between them the rotation is halfway and the two layers cross-fade.
        const FrameSettings mid = s.track(window_->document()->params()).at(20);
        QCOMPARE(mid.motion.rotate, 1.25);
        QCOMPARE(int(mid.dream.layers.size()), 2);
        QCOMPARE(mid.dream.layers[0].weight, 0.5);
    }

    void dragMovesAKeyframeAndDeleteRemovesIt() {
        window_->motionDock()->show();
        MotionPanel* panel = window_->motionPanel();
        Timeline* timeline = panel->timeline();
        QTRY_VERIFY(timeline->isVisible() && timeline->width() > 200);
        timeline->setCurrentFrame(10);
        panel->addKeyframe();
        QCOMPARE(timeline->keyframes(), QVector<int>({10}));

        QTest::mousePress(timeline, Qt::LeftButton, {}, timeline->pointForFrame(10));
        QTest::mouseMove(timeline, timeline->pointForFrame(30));
        QTest::mouseRelease(timeline, Qt::LeftButton, {}, timeline->pointForFrame(30));
        QCOMPARE(timeline->keyframes(), QVector<int>({30}));
        QCOMPARE(panel->settings().keyframes.at(0).frame, 30);
        QCOMPARE(timeline->currentFrame(), 30);

        // A click off the markers scrubs and keeps the selection; Delete removes the keyframe.
        QTest::mouseClick(timeline, Qt::LeftButton, {}, QPoint(timeline->pointForFrame(50).x(), 4));
        QCOMPARE(timeline->currentFrame(), 50);
        QTest::keyClick(timeline, Qt::Key_Delete);
        QVERIFY(panel->settings().keyframes.empty());
        QVERIFY(timeline->keyframes().isEmpty());
    }

    void videoModeOffersBlendAndFlowInsteadOfTheCamera() {
        MotionPanel* panel = window_->motionPanel();
        ClipSettings s = panel->settings();
        s.mode = ClipSettings::Mode::Video;
        panel->setSettings(s);
        QVERIFY(!panel->findChild<QDoubleSpinBox*>("motionZoom")->isEnabled());
        QVERIFY(panel->findChild<QDoubleSpinBox*>("motionBlend")->isEnabled());
        QVERIFY(!panel->findChild<QPushButton*>("addKeyframeButton")->isEnabled());
    }

    void previewMakesTheFirstFramesSmallAndScrubShowsThem() {
        MotionPanel* panel = window_->motionPanel();
        ClipSettings s = panel->settings();
        s.steps = 2;
        s.motion.zoom = 1.1;
        panel->setSettings(s);
        window_->motionDock()->show();
        QTRY_COMPARE_WITH_TIMEOUT(panel->timeline()->madeFrames(), MotionPanel::kPreviewFrames,
                                  60000);
        const QVector<QImage> frames = panel->frames();
        QCOMPARE(std::max(frames[0].width(), frames[0].height()), MotionPanel::kPreviewSize);
        // The camera zooms in by 10 % a frame: frame 7's middle is frame 6's, enlarged, not a
        // still copy of it.
        QVERIFY(frames[7] != frames[6]);
        const double change = test::meanAbsDifference(toMat(frames[6]), toMat(frames[7]));
        QVERIFY2(change > 0.01, qPrintable(QString::number(change)));

        // Scrubbing shows the frame on the canvas.
        panel->timeline()->setCurrentFrame(5);
        QCOMPARE(window_->canvas()->after(), frames[5]);

        // Playing loops through the frames made; Space on the timeline stops it.
        panel->timeline()->setFocus();
        QTest::keyClick(panel->timeline(), Qt::Key_Space);
        QVERIFY(panel->playing());
        QTRY_COMPARE_WITH_TIMEOUT(panel->timeline()->currentFrame(), 0, 5000);  // wrapped
        QTRY_COMPARE_WITH_TIMEOUT(panel->timeline()->currentFrame(), 3, 5000);
        QTest::keyClick(panel->timeline(), Qt::Key_Space);
        QVERIFY(!panel->playing());
    }

    void changedMotionPreviewsAgain() {
        MotionPanel* panel = window_->motionPanel();
        ClipSettings s = panel->settings();
        s.steps = 1;
        panel->setSettings(s);
        window_->motionDock()->show();
        QTRY_COMPARE_WITH_TIMEOUT(panel->timeline()->madeFrames(), MotionPanel::kPreviewFrames,
                                  60000);
        const QImage before = panel->frames()[4];
        ClipJob* first = panel->previewJob();
        panel->findChild<QDoubleSpinBox*>("motionRotate")->setValue(10);
        // The newest preview replaces the old one and its frames.
        QTRY_VERIFY_WITH_TIMEOUT(panel->previewJob() != first, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(panel->timeline()->madeFrames(), MotionPanel::kPreviewFrames,
                                  60000);
        QVERIFY(panel->frames()[4] != before);
        QVERIFY(!panel->previewJob()->running());
    }

    // A small, quick journey: 96 px frames of one step.
    ClipSettings quickJourney(int frames) {
        DreamParams p = window_->document()->params();
        p.workingSize = 96;
        window_->document()->applyParams(p);
        ClipSettings s;
        s.frames = frames;
        s.steps = 1;
        s.motion = {1.05, 1, 0, 0};
        return s;
    }

    void renderWritesTheClipWithItsRecord() {
        MotionPanel* panel = window_->motionPanel();
        panel->setSettings(quickJourney(6));
        QTemporaryDir out;
        const QString folder = out.filePath("journey");
        QSignalSpy rendered(panel, &MotionPanel::rendered);
        QVERIFY(panel->startRender(folder));
        QVERIFY(panel->rendering());
        QVERIFY(panel->renderProgress()->isVisible() || !window_->motionDock()->isVisible());
        QSignalSpy reports(panel->renderJob(), &ClipJob::progressChanged);
        QVERIFY(rendered.wait(60000));
        QVERIFY(!panel->rendering());
        QVERIFY(reports.count() >= 6);
        QCOMPARE(reports.last().at(0).toDouble(), 1.0);
        QCOMPARE(panel->timeline()->madeFrames(), 6);
        QCOMPARE(QDir(folder).entryList({"frame_*.png"}).size(), 6);
        QCOMPARE(panel->frames()[5].width(), 96);
        // The record is the command line's: the same keys `animate` writes.
        QFile record(folder + "/job.json");
        QVERIFY(record.open(QIODevice::ReadOnly));
        const auto job = nlohmann::json::parse(record.readAll().toStdString());
        const auto source = nlohmann::json::parse(job.at("source").get<std::string>());
        QCOMPARE(source.at("schema"), "inceptionist.clip/1");
        QCOMPARE(source.at("mode"), "zoom_journey");
        QCOMPARE(source.at("fps"), 25.0);
        QCOMPARE(source.at("keyframes").at("keyframes").at(0).at("zoom"), 1.05);
        QVERIFY(source.at("input").at("file").get<std::string>().find("sample") !=
                std::string::npos);
    }

    void stoppedRenderGoesOnWithTheSameFrames() {
        MotionPanel* panel = window_->motionPanel();
        panel->setSettings(quickJourney(40));
        QTemporaryDir out;
        const QString whole = out.filePath("whole"), stopped = out.filePath("stopped");
        QSignalSpy rendered(panel, &MotionPanel::rendered);
        QVERIFY(panel->startRender(whole));
        QVERIFY(rendered.wait(120000));

        QVERIFY(panel->startRender(stopped));
        QSignalSpy cancelled(panel->renderJob(), &ClipJob::cancelled);
        QTRY_VERIFY_WITH_TIMEOUT(panel->timeline()->madeFrames() >= 2, 60000);
        panel->stopRender();
        QVERIFY(cancelled.wait(30000));
        const QString frames = stopped + ".frames";
        const int kept = QDir(frames).entryList({"frame_*.png"}).size();
        QVERIFY2(kept >= 2 && kept < 40, qPrintable(QString::number(kept)));
        QVERIFY(panel->renderStatus()->text().contains("Stopped"));
        const QDateTime firstWritten = QFileInfo(frames + "/frame_000000.png").lastModified();

        QVERIFY(panel->startRender(stopped));
        QVERIFY(rendered.wait(120000));
        QCOMPARE(QDir(stopped).entryList({"frame_*.png"}).size(), 40);
        QCOMPARE(QFileInfo(stopped + "/frame_000000.png").lastModified(), firstWritten);
        for (int f : {0, kept - 1, kept, 39}) {
            const QString name = QString("/frame_%1.png").arg(f, 6, 10, QChar('0'));
            QFile a(whole + name), b(stopped + name);
            QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
            QVERIFY2(a.readAll() == b.readAll(), qPrintable(name + " differs after the resume"));
        }
    }

    void canvasDreamsWhileTheClipRenders() {
        MotionPanel* panel = window_->motionPanel();
        panel->setSettings(quickJourney(2000));
        QTemporaryDir out;
        QVERIFY(panel->startRender(out.filePath("long")));
        QTRY_VERIFY_WITH_TIMEOUT(panel->timeline()->madeFrames() >= 1, 60000);
        QSignalSpy dreamt(window_->controller(), &DreamController::dreamFinished);
        window_->startDream();
        QVERIFY(dreamt.wait(60000));
        QVERIFY(panel->rendering());  // the dream went between the clip's steps
        QVERIFY(panel->renderProgress()->value() < 1000);
        QSignalSpy cancelled(panel->renderJob(), &ClipJob::cancelled);
        panel->stopRender();
        QVERIFY(cancelled.wait(30000));
        QVERIFY(!panel->rendering());
    }

    void clipIsSavedInPresetsAndTheSession() {
        MotionPanel* panel = window_->motionPanel();
        ClipSettings s = quickJourney(48);
        s.setKeyframe(24, window_->document()->params(), {0.95, -2, 1, 0});
        panel->setSettings(s);

        // The session: the autosave writes the clip beside the dream (a save of the photo
        // alone, started when it opened, may come first).
        SessionAutosave* autosave = window_->autosave();
        autosave->saveSoon();
        const QString file = autosave->folder() + "/session.json";
        auto savedClip = [&file]() -> nlohmann::json {
            QFile session(file);
            if (!session.open(QIODevice::ReadOnly)) return nullptr;
            return nlohmann::json::parse(session.readAll().toStdString())
                .value("motion", nlohmann::json());
        };
        QTRY_VERIFY_WITH_TIMEOUT(!savedClip().is_null(), 30000);
        QVERIFY(ClipSettings::fromJson(savedClip(), "session") == s);

        // A preset carries it; loading one brings the clip back.
        QTemporaryDir dir;
        const QString preset = dir.filePath("journey.json");
        writePreset(preset, "Journey", window_->document()->params(), s.toJson());
        panel->setSettings(ClipSettings{});
        QVERIFY(window_->loadPreset(preset));
        QVERIFY(panel->settings() == s);
        QCOMPARE(panel->timeline()->keyframes(), QVector<int>({24}));

        // A preset with a broken clip is refused by name, and the clip stays.
        nlohmann::json broken = s.toJson();
        broken["fps"] = -3;
        writePreset(dir.filePath("broken.json"), "Broken", window_->document()->params(), broken);
        QVERIFY(!window_->loadPreset(dir.filePath("broken.json")));
        QVERIFY(window_->messageBar()->text().contains("broken.json"));
        QVERIFY(window_->messageBar()->text().contains("fps"));
        QVERIFY(panel->settings() == s);
    }

    void videoPreviewsAndRendersWithItsFrameRate() {
        // 12 frames at 10 a second, a 160×120 window moving across a photo.
        QTemporaryDir dir;
        const QString film = dir.filePath("pan.mp4");
        QProcess ffmpeg;
        ffmpeg.start("ffmpeg",
                     {"-v", "error", "-y", "-loop", "1", "-framerate", "10", "-i",
                      QString::fromStdString(test::dataPath("horses.jpg")), "-filter_complex",
                      "[0:v]crop=160:120:x='40+n*6':y=100,format=yuv420p", "-c:v", "libx264", "-t",
                      "1.2", film});
        QVERIFY(ffmpeg.waitForFinished(60000) && ffmpeg.exitCode() == 0);

        MotionPanel* panel = window_->motionPanel();
        ClipSettings s;
        s.mode = ClipSettings::Mode::Video;
        s.video = film.toStdString();
        s.steps = 1;
        panel->setSettings(s);
        QCOMPARE(panel->timeline()->frameCount(), 12);
        window_->motionDock()->show();
        QTRY_COMPARE_WITH_TIMEOUT(panel->timeline()->madeFrames(), MotionPanel::kPreviewFrames,
                                  60000);
        QCOMPARE(panel->frames()[0].size(), QSize(160, 120));

        const QString out = dir.filePath("dreamed.mp4");
        QSignalSpy rendered(panel, &MotionPanel::rendered);
        QVERIFY(panel->startRender(out));
        QVERIFY(rendered.wait(120000));
        const VideoInfo info = probeVideo(out.toStdString());
        QCOMPARE(int(info.frames), 12);
        QCOMPARE(info.fps, 10.0);
        QVERIFY2(QString::fromStdString(info.comment).contains("dreamed_video"),
                 info.comment.c_str());
        QVERIFY(!QFileInfo::exists(out + ".frames"));  // assembled, then removed
    }

    void badOutputIsRefusedByNameBeforeAnyWork() {
        MotionPanel* panel = window_->motionPanel();
        panel->setSettings(quickJourney(4));
        QTemporaryDir dir;
        const QString unknown = dir.filePath("clip.xyz");
        QVERIFY(!panel->startRender(unknown));
        QVERIFY(!panel->rendering());
        QVERIFY2(window_->messageBar()->text().contains("clip.xyz"),
                 qPrintable(window_->messageBar()->text()));
        // A folder that holds other files is not a place for frames.
        QDir(dir.path()).mkdir("occupied");
        QFile other(dir.filePath("occupied/notes.txt"));
        QVERIFY(other.open(QIODevice::WriteOnly));
        other.close();
        QVERIFY(!panel->startRender(dir.filePath("occupied")));
        QVERIFY(window_->messageBar()->text().contains("occupied"));
        QVERIFY(QFileInfo::exists(dir.filePath("occupied/notes.txt")));
        QVERIFY(!QFileInfo::exists(dir.filePath("occupied.frames")));
    }

    void settingsReadBackAsWritten() {
        ClipSettings s;
        s.frames = 240;
        s.fps = 30;
        s.motion = {0.97, -1.5, 2, -3};
        s.interpolation = Interpolation::Smooth;
        DreamParams d;
        d.stepSize = 0.02;
        s.setKeyframe(12, d, {1.1, 0, 0, 0});
        s.setKeyframe(3, DreamParams{}, s.motion);
        QCOMPARE(s.keyframes.front().frame, 3);
        const ClipSettings back = ClipSettings::fromJson(s.toJson(), "test");
        QVERIFY(back == s);
        QCOMPARE(back.keyframes[1].dream.stepSize, 0.02);

        nlohmann::json fraction = s.toJson();
        fraction["frames"] = 2.5;
        QVERIFY_THROWS_EXCEPTION(Error, ClipSettings::fromJson(fraction, "preset.json"));
        nlohmann::json bad = s.toJson();
        bad["zoom"] = 7;
        try {
            ClipSettings::fromJson(bad, "preset.json");
            QFAIL("a zoom of 7 was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Parameter);
            QVERIFY2(
                QString(e.what()).contains("preset.json") && QString(e.what()).contains("zoom"),
                e.what());
        }
    }

private:
    QTemporaryDir settingsDir_;
    std::unique_ptr<MainWindow> window_;
};

INCEPTIONIST_GUI_TEST_MAIN(MotionWindowTest)
#include "test_motion_window.moc"
