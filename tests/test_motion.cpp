// Motion: zoom journeys and dreamed videos. The camera warp keeps the centre fixed, keyframes
// interpolate, a stopped render resumes to the same frames, the output keeps frame rate, frame
// count and sound, optical flow makes a dreamed video coherent, and bad input fails clearly
// without leaving a partial file.

#include <QtTest>

#include <cmath>
#include <csignal>
#include <set>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "app/exit_codes.h"
#include "core/io/image_io.h"
#include "core/motion/camera_warp.h"
#include "core/motion/flow_warp.h"
#include "core/motion/frame_folder.h"
#include "core/motion/keyframes.h"
#include "core/motion/video_dream.h"
#include "core/motion/video_file.h"
#include "core/motion/zoom_journey.h"
#include "core/params/errors.h"
#include "tests/test_support.h"

using namespace inceptionist;

namespace {

struct Run {
    int code = -1;
    QString err;
};

Run runProgram(const QString& program, const QStringList& args) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("INCEPTIONIST_MODELS", QString::fromStdString(test::modelsDir()));
    p.setProcessEnvironment(env);
    p.start(program, args);
    if (!p.waitForFinished(120000)) {
        p.kill();
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardError())};
}

Run runCli(const QStringList& args) {
    return runProgram(QString::fromStdString(test::cliPath()), args);
}

// A clip made from a still photo by moving a 160×120 window 6 px right per frame, at 10 frames
// a second, with a 440 Hz tone (AAC) unless `sound` is false.
QString makePanningClip(const QTemporaryDir& dir, int frames, bool sound = true) {
    const QString out = dir.filePath(sound ? "pan.mp4" : "pan-silent.mp4");
    QStringList args = {"-v",    "error", "-y",
                        "-loop", "1",     "-framerate",
                        "10",    "-i",    QString::fromStdString(test::dataPath("horses.jpg"))};
    if (sound)
        args << "-f"
             << "lavfi"
             << "-i"
             << "sine=frequency=440:sample_rate=22050";
    args << "-filter_complex"
         << "[0:v]crop=160:120:x='40+n*6':y=100,format=yuv420p[v]"
         << "-map"
         << "[v]";
    if (sound)
        args << "-map"
             << "1:a"
             << "-c:a"
             << "aac";
    args << "-c:v"
         << "libx264"
         << "-t" << QString::number(frames / 10.0) << out;
    const Run r = runProgram("ffmpeg", args);
    if (r.code != 0) qWarning() << r.err;
    return r.code == 0 ? out : QString();
}

// The mean volume of a file's sound in dB, as FFmpeg's volumedetect measures it.
double meanVolume(const QString& file) {
    const Run r = runProgram("ffmpeg", {"-hide_banner", "-i", file, "-map", "0:a", "-af",
                                        "volumedetect", "-f", "null", "-"});
    const QRegularExpressionMatch m =
        QRegularExpression("mean_volume: (-?[0-9.]+) dB").match(r.err);
    return m.hasMatch() ? m.captured(1).toDouble() : 0.0;
}

DreamParams quickParams(int size = 128) {
    DreamParams p;
    p.layers = {{"mixed3", 1.0, {}}};
    p.octaves = 1;
    p.steps = 3;
    p.workingSize = size;
    return p;
}

// Centroid of a single-channel blob picture.
cv::Point2d centroid(const cv::Mat& rgb) {
    cv::Mat grey;
    cv::cvtColor(rgb, grey, cv::COLOR_RGB2GRAY);
    const cv::Moments m = cv::moments(grey);
    return {m.m10 / m.m00, m.m01 / m.m00};
}

cv::Mat blobAt(cv::Size size, cv::Point2d at) {
    cv::Mat img(size, CV_32FC3, cv::Scalar::all(0));
    for (int y = 0; y < size.height; ++y)
        for (int x = 0; x < size.width; ++x) {
            const double d2 = (x - at.x) * (x - at.x) + (y - at.y) * (y - at.y);
            const float v = float(std::exp(-d2 / (2 * 3.0 * 3.0)));
            img.at<cv::Vec3f>(y, x) = cv::Vec3f(v, v, v);
        }
    return img;
}

std::vector<cv::Mat> framesOf(const QString& folder) {
    std::vector<cv::Mat> frames;
    for (const QString& name : QDir(folder).entryList({"frame_*.png"}, QDir::Files, QDir::Name))
        frames.push_back(readImage(QDir(folder).filePath(name).toStdString()));
    return frames;
}

std::vector<cv::Mat> inputFrames(const QString& clip, cv::Size size) {
    cv::VideoCapture cap(clip.toStdString(), cv::CAP_FFMPEG);
    std::vector<cv::Mat> frames;
    cv::Mat bgr;
    while (cap.read(bgr)) {
        cv::Mat rgb;
        cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
        rgb.convertTo(rgb, CV_32FC3, 1 / 255.0);
        cv::resize(rgb, rgb, size, 0, 0, cv::INTER_AREA);
        frames.push_back(rgb);
    }
    return frames;
}

// Mean over the clip of |output t − output t−1 moved along the input's flow|.
double coherence(const std::vector<cv::Mat>& inputs, const std::vector<cv::Mat>& outputs) {
    FlowEstimator flow;
    double sum = 0;
    for (size_t t = 1; t < outputs.size(); ++t)
        sum += coherenceStep(outputs[t], outputs[t - 1], flow.flow(inputs[t], inputs[t - 1]));
    return sum / double(outputs.size() - 1);
}

// How far the dream took the frames from the film: mean |output t − input t|.
double strength(const std::vector<cv::Mat>& inputs, const std::vector<cv::Mat>& outputs) {
    double sum = 0;
    for (size_t t = 0; t < outputs.size(); ++t)
        sum += test::meanAbsDifference(outputs[t], inputs[t]);
    return sum / double(outputs.size());
}

}  // namespace

class MotionTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void zoomKeepsTheCentreFixed() {
        const cv::Size size(121, 91);
        const cv::Point2d centre(60, 45);
        CameraMotion m;
        m.zoom = 1.25;
        m.rotate = 10;
        const cv::Point2d atCentre = centroid(warpCamera(blobAt(size, centre), m));
        QVERIFY2(cv::norm(atCentre - centre) < 0.05,
                 qPrintable(QString("the centre moved by %1 px").arg(cv::norm(atCentre - centre))));
        // A point 20 px right of the centre moves out to 25 px, turned 10° counter-clockwise.
        const cv::Point2d off = centroid(warpCamera(blobAt(size, centre + cv::Point2d(20, 0)), m));
        const double a = 10 * CV_PI / 180;
        const cv::Point2d expected = centre + cv::Point2d(25 * std::cos(a), -25 * std::sin(a));
        QVERIFY2(cv::norm(off - expected) < 0.3,
                 qPrintable(QString("off-centre point %1 px from where it belongs")
                                .arg(cv::norm(off - expected))));
        // A pan moves everything by its pixels.
        m = CameraMotion{1.0, 0, 7, -3};
        const cv::Point2d panned = centroid(warpCamera(blobAt(size, centre), m));
        QVERIFY(cv::norm(panned - (centre + cv::Point2d(7, -3))) < 0.05);
    }

    void keyframesInterpolate() {
        DreamParams base = quickParams();
        base.steps = 5;
        const nlohmann::json j = nlohmann::json::parse(R"({
            "schema": "inceptionist.keyframes/1", "interpolation": "linear",
            "keyframes": [
                {"frame": 0, "zoom": 1.0, "step_size": 0.01, "layers": [{"name": "mixed3"}]},
                {"frame": 10, "zoom": 1.2, "rotate": 4, "step_size": 0.03, "steps": 10,
                 "layers": [{"name": "mixed5", "weight": 2}]}]})");
        const KeyframeTrack linear = KeyframeTrack::fromJson(j, base, CameraMotion{}, "test");
        const FrameSettings mid = linear.at(5);
        QCOMPARE(mid.motion.zoom, 1.1);
        QCOMPARE(mid.motion.rotate, 2.0);
        QVERIFY(std::abs(mid.dream.stepSize - 0.02) < 1e-12);
        QCOMPARE(mid.dream.steps, 8);  // 7.5 rounded
        // The layer change cross-fades: mixed3 fading out, mixed5 in.
        QCOMPARE(mid.dream.layers.size(), size_t(2));
        QCOMPARE(mid.dream.layers[0].name, std::string("mixed3"));
        QCOMPARE(mid.dream.layers[0].weight, 0.5);
        QCOMPARE(mid.dream.layers[1].name, std::string("mixed5"));
        QCOMPARE(mid.dream.layers[1].weight, 1.0);
        // Before the first keyframe the first holds, after the last the last.
        QCOMPARE(linear.at(0).dream.layers.size(), size_t(1));
        QCOMPARE(linear.at(25).motion.zoom, 1.2);
        QCOMPARE(linear.at(25).dream.layers[0].name, std::string("mixed5"));

        nlohmann::json smooth = j;
        smooth["interpolation"] = "smooth";
        const KeyframeTrack eased = KeyframeTrack::fromJson(smooth, base, CameraMotion{}, "test");
        QVERIFY(std::abs(eased.at(2).motion.zoom - (1.0 + 0.2 * 0.104)) < 1e-12);  // 3t²−2t³
        QCOMPARE(eased.at(5).motion.zoom, 1.1);

        nlohmann::json backwards = j;
        backwards["keyframes"][1]["frame"] = 0;
        QVERIFY_THROWS_EXCEPTION(
            Error, KeyframeTrack::fromJson(backwards, base, CameraMotion{}, "k.json"));
        nlohmann::json badValue = j;
        badValue["keyframes"][1]["octaves"] = 99;
        try {
            KeyframeTrack::fromJson(badValue, base, CameraMotion{}, "k.json");
            QFAIL("an octave count out of range was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Parameter);
            QVERIFY(QString(e.what()).contains("k.json: keyframe 2"));
            QVERIFY(QString(e.what()).contains("octaves"));
        }
    }

    void resumeGivesTheSameFrames() {
        auto net = test::defaultModel("inception_v3");
        const cv::Mat photo = test::smallPhoto(128);
        QTemporaryDir tmp;
        ZoomJourney job;
        CameraMotion motion;
        motion.zoom = 1.05;
        motion.rotate = 2;
        job.track = KeyframeTrack(quickParams(), motion);
        job.frames = 4;
        job.output = tmp.filePath("whole").toStdString();
        const ClipResult whole = renderZoomJourney(*net, photo, job);
        QCOMPARE(whole.frames, size_t(4));
        const std::vector<cv::Mat> expected = framesOf(tmp.filePath("whole"));
        QCOMPARE(expected.size(), size_t(4));
        QVERIFY(test::meanAbsDifference(expected[3], expected[0]) > 0.01);  // it moves

        job.output = tmp.filePath("stopped").toStdString();
        CancelToken stop;
        try {
            renderZoomJourney(
                *net, photo, job,
                [&](const ClipProgress& p) {
                    if (p.frame == 2) stop.cancel();
                },
                stop);
            QFAIL("the render was not stopped");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Cancelled);
        }
        QVERIFY(!QFileInfo::exists(tmp.filePath("stopped")));
        QCOMPARE(framesOf(tmp.filePath("stopped.frames")).size(), size_t(2));
        job.resume = true;
        const ClipResult resumed = renderZoomJourney(*net, photo, job);
        QCOMPARE(resumed.resumedFrom, size_t(2));
        const std::vector<cv::Mat> got = framesOf(tmp.filePath("stopped"));
        QCOMPARE(got.size(), size_t(4));
        for (size_t i = 0; i < 4; ++i) QCOMPARE(cv::norm(got[i], expected[i], cv::NORM_INF), 0.0);

        // Frames of other parameters are not taken for these.
        job.output = tmp.filePath("other").toStdString();
        job.frames = 1;
        renderZoomJourney(*net, photo, job);
        QVERIFY(QDir(tmp.filePath("other")).exists());
    }

    void videoKeepsRateCountAndSound() {
        QTemporaryDir tmp;
        const QString clip = makePanningClip(tmp, 6);
        QVERIFY(!clip.isEmpty());
        const VideoInfo in = probeVideo(clip.toStdString());
        QCOMPARE(in.frames, int64_t(6));
        QVERIFY(in.hasAudio);

        auto net = test::defaultModel("inception_v3");
        DreamedVideo job;
        job.params = quickParams(160);
        job.params.steps = 1;
        job.output = tmp.filePath("dreamed.mp4").toStdString();
        job.metadata = R"({"schema": "inceptionist.clip/1"})";
        const ClipResult r = renderDreamedVideo(*net, clip.toStdString(), job);
        QCOMPARE(r.frames, size_t(6));
        const VideoInfo out = probeVideo(job.output);
        QCOMPARE(out.frames, int64_t(6));
        QCOMPARE(out.fps, 10.0);
        QCOMPARE(out.width, 160);
        QCOMPARE(out.height, 120);
        QCOMPARE(QString::fromStdString(out.videoCodec), QString("h264"));
        QVERIFY(out.hasAudio);
        QCOMPARE(QString::fromStdString(out.audioCodec), QString("aac"));
        QVERIFY(std::abs(out.duration - in.duration) < 0.1);
        QCOMPARE(QString::fromStdString(out.comment),
                 QString(R"({"schema": "inceptionist.clip/1"})"));
        QVERIFY(!QDir(tmp.filePath("dreamed.mp4.frames")).exists());  // cleaned up

        // OpenCV reads the same count back.
        cv::VideoCapture back(job.output, cv::CAP_FFMPEG);
        int decoded = 0;
        for (cv::Mat f; back.read(f);) ++decoded;
        QCOMPARE(decoded, 6);
    }

    void flowMakesTheDreamCoherent() {
        QTemporaryDir tmp;
        const QString clip = makePanningClip(tmp, 6, false);
        QVERIFY(!clip.isEmpty());
        auto net = test::defaultModel("inception_v3");
        DreamedVideo job;
        job.params = quickParams(160);
        job.params.steps = 4;
        job.output = tmp.filePath("flow").toStdString();
        renderDreamedVideo(*net, clip.toStdString(), job);
        job.flow = false;
        job.output = tmp.filePath("plain").toStdString();
        renderDreamedVideo(*net, clip.toStdString(), job);
        const std::vector<cv::Mat> flowed = framesOf(tmp.filePath("flow"));
        const std::vector<cv::Mat> plain = framesOf(tmp.filePath("plain"));
        QCOMPARE(flowed.size(), size_t(6));
        QCOMPARE(plain.size(), size_t(6));
        const std::vector<cv::Mat> inputs = inputFrames(clip, flowed[0].size());
        const double withFlow = coherence(inputs, flowed), without = coherence(inputs, plain);
        const double strengthFlow = strength(inputs, flowed),
                     strengthPlain = strength(inputs, plain);
        qInfo("coherence: flow %.4f, no flow %.4f, ratio %.2f; dream strength %.4f vs %.4f",
              withFlow, without, withFlow / without, strengthFlow, strengthPlain);
        QVERIFY2(withFlow <= 0.6 * without, "optical flow did not make the dream coherent enough");
        // Not by dreaming much less: the frames depart from the film nearly as far as plain
        // dreams do (0.74 of it over these 6 frames; the carried dream builds up over the first).
        QVERIFY2(strengthFlow >= 0.7 * strengthPlain, "the flowing dream is much weaker");
    }

    void badInputFailsClearly() {
        QTemporaryDir tmp;
        const QString text = tmp.filePath("notes.mp4");
        {
            QFile f(text);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("these are not frames\n");
        }
        const QString out = tmp.filePath("out.mp4");
        Run r = runCli({"video", text, out});
        QCOMPARE(r.code, int(cli::kInput));
        QVERIFY2(r.err.contains("notes.mp4") && r.err.contains("not a video"), qPrintable(r.err));

        // A file with sound and no pictures.
        const QString soundOnly = tmp.filePath("tone.m4a");
        QCOMPARE(runProgram("ffmpeg", {"-v", "error", "-f", "lavfi", "-i",
                                       "sine=frequency=440:duration=0.5", "-c:a", "aac", soundOnly})
                     .code,
                 0);
        r = runCli({"video", soundOnly, out});
        QCOMPARE(r.code, int(cli::kInput));
        QVERIFY2(r.err.contains("tone.m4a") && r.err.contains("no video"), qPrintable(r.err));

        // An output folder that cannot exist (its parent is a file).
        const QString clip = makePanningClip(tmp, 2, false);
        const QString blocked = text + "/out.mp4";
        r = runCli({"video", clip, blocked, "--size", "96", "--steps", "1", "--layer", "mixed3"});
        QCOMPARE(r.code, int(cli::kOutput));
        QVERIFY2(r.err.contains("notes.mp4"), qPrintable(r.err));
        r = runCli({"animate", QString::fromStdString(test::sampleImage()), blocked, "--frames",
                    "2", "--size", "96"});
        QCOMPARE(r.code, int(cli::kOutput));
        // An unsupported output type fails before any work.
        r = runCli({"animate", QString::fromStdString(test::sampleImage()), tmp.filePath("a.avi"),
                    "--frames", "2"});
        QCOMPARE(r.code, int(cli::kOutput));
        QVERIFY2(r.err.contains("a.avi"), qPrintable(r.err));
        // A folder of PNG frames is not poured into a folder that holds other files.
        r = runCli(
            {"animate", QString::fromStdString(test::sampleImage()), tmp.path(), "--frames", "2"});
        QCOMPARE(r.code, int(cli::kOutput));
        QVERIFY2(r.err.contains("exists and is not empty"), qPrintable(r.err));
        // Nothing partial was left: only the files this test made itself.
        QStringList left =
            QDir(tmp.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
        left.sort();
        QCOMPARE(left, QStringList({"notes.mp4", "pan-silent.mp4", "tone.m4a"}));
    }

    void animateCommandWritesTheClip() {
        QTemporaryDir tmp;
        const QString out = tmp.filePath("journey.mp4");
        const Run r = runCli({"animate", QString::fromStdString(test::sampleImage()), out,
                              "--frames", "3", "--fps", "12", "--size", "96", "--layer", "mixed3",
                              "--steps", "1", "--zoom", "1.1"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const VideoInfo info = probeVideo(out.toStdString());
        QCOMPARE(info.frames, int64_t(3));
        QCOMPARE(info.fps, 12.0);
        QCOMPARE(info.width, 96);
        QVERIFY(!info.hasAudio);
        QVERIFY(QString::fromStdString(info.comment).contains("\"zoom_journey\""));
    }

    void gifHasOnePaletteAndTheFrames() {
        // 12 frames of a 128×96 view panning and brightening across the photo.
        QTemporaryDir tmp;
        const cv::Mat photo = test::smallPhoto(192);
        const std::string out = tmp.filePath("pan.gif").toStdString();
        FrameFolder folder(out, nlohmann::json{{"test", "gif"}}, false);
        std::vector<cv::Mat> made;
        for (int i = 0; i < 12; ++i) {
            cv::Mat frame = photo(cv::Rect(4 * i, 10, 128, 96)) * (0.8 + 0.02 * i);
            folder.write(size_t(i), frame);
            made.push_back(folder.read(size_t(i)));  // as stored: 8 bits a channel
        }
        QCOMPARE(assembleClip(folder, 12, 10, out, {}, "{}"), std::string());
        // Nothing but the GIF and the frames folder: no temporary left behind.
        QStringList left = QDir(tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot);
        left.sort();
        QCOMPARE(left, QStringList({"pan.gif", "pan.gif.frames"}));

        const VideoInfo info = probeVideo(out);
        QCOMPARE(QString::fromStdString(info.videoCodec), QString("gif"));
        QCOMPARE(info.frames, int64_t(12));
        QCOMPARE(info.fps, 10.0);
        QCOMPARE(info.width, 128);
        QCOMPARE(info.height, 96);

        cv::VideoCapture back(out, cv::CAP_FFMPEG);
        std::vector<cv::Mat> decoded;
        std::set<uint32_t> colours;
        for (cv::Mat bgr; back.read(bgr);) {
            for (int y = 0; y < bgr.rows; ++y)
                for (int x = 0; x < bgr.cols; ++x) {
                    const cv::Vec3b c = bgr.at<cv::Vec3b>(y, x);
                    colours.insert(uint32_t(c[0]) << 16 | uint32_t(c[1]) << 8 | c[2]);
                }
            cv::Mat rgb;
            cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
            rgb.convertTo(rgb, CV_32FC3, 1 / 255.0);
            decoded.push_back(rgb);
        }
        QCOMPARE(decoded.size(), size_t(12));
        // One palette for the whole clip: all frames together use at most 256 colours (a
        // palette per frame would give each frame its own 256).
        QVERIFY2(colours.size() <= 256 && colours.size() > 128,
                 qPrintable(QString("%1 colours in the clip").arg(colours.size())));
        // Dithered close to the frames: the mean error is a small part of the range, and over
        // small neighbourhoods (what the eye averages) smaller still.
        double error = 0, blurredError = 0;
        for (size_t i = 0; i < 12; ++i) {
            error += test::meanAbsDifference(decoded[i], made[i]) / 12;
            cv::Mat a, b;
            cv::blur(decoded[i], a, cv::Size(3, 3));
            cv::blur(made[i], b, cv::Size(3, 3));
            blurredError += test::meanAbsDifference(a, b) / 12;
        }
        qInfo("GIF: %zu colours, mean error %.4f, over 3x3 neighbourhoods %.4f", colours.size(),
              error, blurredError);
        // (Measured: 0.0055, and 0.0020 over 3x3.)
        QVERIFY2(error < 0.012, qPrintable(QString("mean error %1").arg(error)));
        QVERIFY2(blurredError < 0.5 * error, qPrintable(QString("blurred %1").arg(blurredError)));

        // An output that cannot be written fails by name and leaves nothing.
        const std::string blocked = tmp.filePath("pan.gif/x.gif").toStdString();
        try {
            assembleClip(folder, 12, 10, blocked, {}, "{}");
            QFAIL("a GIF inside a file was written");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Output);
            QVERIFY2(QString(e.what()).contains("x.gif"), e.what());
        }
    }

    void reencodesAudioTheContainerCannotHold() {
        QTemporaryDir tmp;
        const QString clip = makePanningClip(tmp, 6);  // AAC, 22.05 kHz, 0.6 s of 440 Hz
        QVERIFY(!clip.isEmpty());
        const VideoInfo in = probeVideo(clip.toStdString());
        QCOMPARE(QString::fromStdString(in.audioCodec), QString("aac"));
        QVERIFY(std::abs(in.audioDuration - 0.6) < 0.03);
        const double inVolume = meanVolume(clip);

        auto framesFor = [&](const std::string& out) {
            auto folder = std::make_unique<FrameFolder>(out, nlohmann::json{{"test", out}}, false);
            const cv::Mat photo = test::smallPhoto(192);
            for (int i = 0; i < 6; ++i)
                folder->write(size_t(i), photo(cv::Rect(4 * i, 10, 96, 64)));
            return folder;
        };
        // WebM holds Opus or Vorbis, not AAC: the sound is re-encoded, whole.
        const std::string webm = tmp.filePath("out.webm").toStdString();
        std::string note = assembleClip(*framesFor(webm), 6, 10, webm, {clip.toStdString()}, "{}");
        QVERIFY2(QString::fromStdString(note).contains("re-encoded as Opus"), note.c_str());
        VideoInfo out = probeVideo(webm);
        QCOMPARE(out.frames, int64_t(6));
        QVERIFY(out.hasAudio);
        QCOMPARE(QString::fromStdString(out.audioCodec), QString("opus"));
        qInfo("AAC %.3f s -> Opus %.3f s", in.audioDuration, out.audioDuration);
        QVERIFY2(std::abs(out.audioDuration - in.audioDuration) < 0.03,
                 qPrintable(QString("%1 s of sound").arg(out.audioDuration)));
        const double outVolume = meanVolume(QString::fromStdString(webm));
        qInfo("mean volume %.1f dB in, %.1f dB out", inVolume, outVolume);
        QVERIFY2(std::abs(outVolume - inVolume) < 1.0, "the sound is not the input's");

        // The command says what it did.
        const QString dreamed = tmp.filePath("dreamed.webm");
        const Run r =
            runCli({"video", clip, dreamed, "--size", "64", "--steps", "1", "--layer", "mixed3"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("note: the audio (aac) cannot be stored in .webm as it is; "
                                "re-encoded as Opus, 48 kHz, 1 channel, 64 kb/s"),
                 qPrintable(r.err));
        QCOMPARE(QString::fromStdString(probeVideo(dreamed.toStdString()).audioCodec),
                 QString("opus"));

        // A cut (a video's --start/--end) re-encodes just that part, from the output's zero.
        const std::string cut = tmp.filePath("cut.webm").toStdString();
        assembleClip(*framesFor(cut), 3, 10, cut, {clip.toStdString(), 0.2, 0.5}, "{}");
        out = probeVideo(cut);
        qInfo("cut 0.2-0.5 s -> %.3f s", out.audioDuration);
        QVERIFY2(std::abs(out.audioDuration - 0.3) < 0.03,
                 qPrintable(QString("%1 s of sound in the cut").arg(out.audioDuration)));

        // MP4 cannot hold PCM (FFmpeg 5.1): AAC.
        const QString pcm = tmp.filePath("pcm.mov");
        QCOMPARE(runProgram("ffmpeg",
                            {"-v", "error", "-i", clip, "-c:v", "copy", "-c:a", "pcm_s16le", pcm})
                     .code,
                 0);
        const std::string mp4 = tmp.filePath("out.mp4").toStdString();
        note = assembleClip(*framesFor(mp4), 6, 10, mp4, {pcm.toStdString()}, "{}");
        QVERIFY2(QString::fromStdString(note).contains("re-encoded as AAC"), note.c_str());
        out = probeVideo(mp4);
        QCOMPARE(QString::fromStdString(out.audioCodec), QString("aac"));
        qInfo("PCM 0.6 s -> AAC %.3f s", out.audioDuration);
        QVERIFY2(std::abs(out.audioDuration - 0.6) < 0.03,
                 qPrintable(QString("%1 s of sound in the MP4").arg(out.audioDuration)));
        // Only the outputs and their frames folders: the re-encoded sound went inside those.
        QStringList left =
            QDir(tmp.path()).entryList({"*.webm", "*.mp4", "audio-only*"}, QDir::Files);
        left.sort();
        QCOMPARE(left, QStringList({"cut.webm", "dreamed.webm", "out.mp4", "out.webm", "pan.mp4"}));
    }

    void interruptStopsCleanlyAndResumes() {
        QTemporaryDir tmp;
        const QString out = tmp.filePath("journey.mp4");
        const QStringList args = {"animate", QString::fromStdString(test::sampleImage()),
                                  out,       "--frames",
                                  "20",      "--size",
                                  "96",      "--layer",
                                  "mixed3",  "--steps",
                                  "1",       "--progress-lines"};
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("INCEPTIONIST_MODELS", QString::fromStdString(test::modelsDir()));
        p.setProcessEnvironment(env);
        p.start(QString::fromStdString(test::cliPath()), args);
        QVERIFY(p.waitForStarted());
        p.setReadChannel(QProcess::StandardError);
        QByteArray err;
        while (!err.contains("frame 3/20")) {
            QVERIFY2(p.waitForReadyRead(60000), "no progress reported");
            err += p.readAllStandardError();
        }
        ::kill(static_cast<pid_t>(p.processId()), SIGINT);  // as Ctrl-C
        QVERIFY(p.waitForFinished(30000));
        err += p.readAllStandardError();
        QCOMPARE(p.exitCode(), int(cli::kCancelled));
        QVERIFY2(err.contains("--resume"), err.constData());
        QVERIFY(!QFileInfo::exists(out));
        const size_t kept = framesOf(out + ".frames").size();
        QVERIFY(kept >= 2 && kept < 20);

        const Run r = runCli(args + QStringList{"--resume"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QString("(%1 from before)").arg(kept)), qPrintable(r.err));
        QCOMPARE(probeVideo(out.toStdString()).frames, int64_t(20));
        QVERIFY(!QFileInfo::exists(out + ".frames"));
    }
};

QTEST_GUILESS_MAIN(MotionTest)
#include "test_motion.moc"
