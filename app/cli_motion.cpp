// The clip commands of inceptionist-cli: `animate` (a zoom journey) and `video` (a dreamed
// video). Both write their frames into a folder beside the output as they finish, so a render
// stopped with Ctrl-C continues with --resume, and assemble the output at the end.

#include <csignal>
#include <cstdio>

#include <QCommandLineParser>

#include "app/cli_commands.h"
#include "app/cli_params.h"
#include "app/exit_codes.h"
#include "app/terminal_progress.h"
#include "core/io/image_io.h"
#include "core/model/model_store.h"
#include "core/motion/clip_settings.h"
#include "core/motion/frame_folder.h"
#include "core/motion/video_dream.h"
#include "core/motion/video_file.h"
#include "core/motion/zoom_journey.h"
#include "core/params/errors.h"

namespace inceptionist::cli {

namespace {


CancelToken& clipInterrupt() {
    static CancelToken token;
    return token;
}
void onClipInterrupt(int) { clipInterrupt().cancel(); }

int reportClip(const Error& e, const std::string& output) {
    if (e.kind() == ErrorKind::Cancelled) {
        std::fprintf(stderr,
                     "inceptionist-cli: stopped; the finished frames are in %s: add --resume to "
                     "go on from there\n",
                     FrameFolder::folderFor(output).c_str());
        return kCancelled;
    }
    std::fprintf(stderr, "inceptionist-cli: %s error: %s\n", errorKindName(e.kind()), e.what());
    return exitCodeFor(e.kind());
}

bool parseClip(QCommandLineParser& parser, const QStringList& args, const char* synopsis,
               int& code) {
    parser.addHelpOption();
    if (!parser.parse(args)) {
        std::fprintf(stderr, "inceptionist-cli: %s\n", qPrintable(parser.errorText()));
        code = kUsage;
        return false;
    }
    if (parser.isSet("help")) {
        QString help = parser.helpText();
        help.replace(0, help.indexOf('\n'),
                     QStringLiteral("Usage: ") + QString::fromUtf8(synopsis));
        std::printf("%s\n", qPrintable(help));
        code = kOk;
        return false;
    }
    if (parser.positionalArguments().size() != 2) {
        std::fprintf(stderr, "inceptionist-cli: usage: %s\n", synopsis);
        code = kUsage;
        return false;
    }
    if (parser.isSet("print-size")) {
        std::fprintf(stderr, "inceptionist-cli: --print-size is for single images\n");
        code = kUsage;
        return false;
    }
    return true;
}

void addClipOptions(QCommandLineParser& parser) {
    addDreamOptions(parser);
    parser.addOptions(
        {{"models-dir", "Folder holding the models (default: $INCEPTIONIST_MODELS or the build's).",
          "dir"},
         {"resume", "Go on from the frames a stopped render left beside the output."},
         {"keep-frames", "Keep the folder of PNG frames beside a video output."},
         {"progress-lines", "Report progress as 'progress FRACTION LABEL' lines on stderr."}});
}

std::string formatRange(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", v);
    return text;
}

double numberOption(const QCommandLineParser& parser, const char* name, double lo, double hi) {
    bool ok = false;
    const double v = parser.value(name).toDouble(&ok);
    if (!ok || !(v >= lo && v <= hi))
        throw Error(ErrorKind::Parameter, std::string("--") + name + " must be a number from " +
                                              formatRange(lo) + " to " + formatRange(hi));
    return v;
}

// Each frame of a clip is a brief dream: 1 octave of 5 steps unless the options or a preset
// say otherwise.
DreamParams clipParams(const QCommandLineParser& parser) {
    DreamParams p = dreamParamsFrom(parser);
    const bool preset = parser.isSet("preset") || parser.isSet("preset-from");
    if (!preset && !parser.isSet("octaves")) p.octaves = 1;
    if (!preset && !parser.isSet("steps")) p.steps = 5;
    return p;
}

void drawProgress(TerminalProgress& bar, const ClipProgress& p) {
    char label[96];
    if (p.assembling)
        std::snprintf(label, sizeof label, "writing the output");
    else if (p.resumedFrom > 0)
        std::snprintf(label, sizeof label, "frame %zu/%zu (resumed at %zu)", p.frame + 1, p.frames,
                      p.resumedFrom + 1);
    else
        std::snprintf(label, sizeof label, "frame %zu/%zu", p.frame + 1, p.frames);
    bar.update(p.fraction(), label);
}

void printResult(const ClipResult& r, const std::string& output) {
    if (!r.note.empty()) std::fprintf(stderr, "inceptionist-cli: note: %s\n", r.note.c_str());
    std::fprintf(
        stderr, "inceptionist-cli: wrote %zu frames to %s%s\n", r.frames, output.c_str(),
        r.resumedFrom ? (" (" + std::to_string(r.resumedFrom) + " from before)").c_str() : "");
}

// Loads the model, then renders the clip with a progress bar; Ctrl-C and SIGTERM stop it
// cleanly, keeping the frames made so far.
template <typename Render>
int renderClip(const QCommandLineParser& parser, const DreamParams& params, const std::string& out,
               const Render& render) {
    auto network = Network::load(
        modelPath(modelsDirectory(parser.value("models-dir").toStdString()), params.model),
        params.device);
    TerminalProgress bar(parser.isSet("progress-lines"));
    std::signal(SIGINT, onClipInterrupt);
    std::signal(SIGTERM, onClipInterrupt);
    ClipResult result;
    try {
        result = render(*network, [&](const ClipProgress& p) { drawProgress(bar, p); });
    } catch (...) {
        bar.finish();
        throw;
    }
    bar.finish();
    printResult(result, out);
    return kOk;
}

}  // namespace

int animateCommand(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Make a zoom journey: dream the photo briefly, zoom, rotate and pan it a little, dream the "
        "result again, frame after frame.");
    parser.addPositionalArgument("IN", "Photo to start from.");
    parser.addPositionalArgument(
        "OUT", "Output: .mp4 (H.264), .webm (VP9), .gif, or a folder name for PNG frames.");
    addClipOptions(parser);
    parser.addOptions(
        {{"frames", "Number of frames. 1 to 100000, default 100.", "n", "100"},
         {"fps", "Frames per second of the output. Default 25.", "n", "25"},
         {"zoom", "Zoom per frame, 0.5 to 2 (above 1 moves in). Default 1.04.", "factor", "1.04"},
         {"rotate", "Rotation per frame in degrees, -45 to 45. Default 0.", "deg", "0"},
         {"pan-x", "Horizontal pan per frame in pixels. Default 0.", "px", "0"},
         {"pan-y", "Vertical pan per frame in pixels. Default 0.", "px", "0"},
         {"keyframes", "JSON file of keyframes: parameters and motion changing over time.", "file"},
         {"colour-hold",
          "How far each frame's colour is pulled back to the first frame's, 0 to 1. Default 0.5.",
          "x", "0.5"}});
    int code = kOk;
    const char* synopsis = "inceptionist-cli animate IN OUT --frames N [options]";
    if (!parseClip(parser, args, synopsis, code)) return code;
    const std::string in = parser.positionalArguments()[0].toStdString();
    const std::string out = parser.positionalArguments()[1].toStdString();
    try {
        const DreamParams params = clipParams(parser);
        CameraMotion motion;
        motion.zoom = numberOption(parser, "zoom", 0.5, 2);
        motion.rotate = numberOption(parser, "rotate", -45, 45);
        motion.panX = numberOption(parser, "pan-x", -1000, 1000);
        motion.panY = numberOption(parser, "pan-y", -1000, 1000);
        ZoomJourney job;
        job.track =
            parser.isSet("keyframes")
                ? KeyframeTrack::fromFile(parser.value("keyframes").toStdString(), params, motion)
                : KeyframeTrack(params, motion);
        job.frames = static_cast<int>(numberOption(parser, "frames", 1, 100000));
        job.fps = numberOption(parser, "fps", 0.1, 240);
        job.colourHold = numberOption(parser, "colour-hold", 0, 1);
        job.output = out;
        job.resume = parser.isSet("resume");
        job.keepFrames = parser.isSet("keep-frames");
        job.metadata = clipMetadata(job, in);
        const cv::Mat photo = readImage(in);
        checkClipOutput(out);  // before the model loads
        return renderClip(parser, params, out, [&](const Network& network, const auto& progress) {
            return renderZoomJourney(network, photo, job, progress, clipInterrupt());
        });
    } catch (const Error& e) {
        return reportClip(e, out);
    }
}

int videoCommand(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Dream every frame of a video, carrying the dream along the motion (optical flow) so it "
        "flows instead of flickering. The output keeps the frame rate, frame count and sound.");
    parser.addPositionalArgument("IN", "Video to dream (any file FFmpeg reads).");
    parser.addPositionalArgument(
        "OUT", "Output: .mp4 (H.264), .webm (VP9), .gif, or a folder name for PNG frames.");
    addClipOptions(parser);
    parser.addOptions(
        {{"blend",
          "Share of the previous dreamed frame, moved along the flow, in each frame's "
          "start. 0 to 1, default 0.6.",
          "x", "0.6"},
         {"no-flow", "Dream each frame on its own (for comparison)."},
         {"start", "First second of the input to render. Default 0.", "s", "0"},
         {"end", "Second of the input to stop at. Default: its end.", "s"}});
    int code = kOk;
    const char* synopsis = "inceptionist-cli video IN OUT [--blend 0.6] [--no-flow] [options]";
    if (!parseClip(parser, args, synopsis, code)) return code;
    const std::string in = parser.positionalArguments()[0].toStdString();
    const std::string out = parser.positionalArguments()[1].toStdString();
    try {
        DreamedVideo job;
        job.params = clipParams(parser);
        job.blend = numberOption(parser, "blend", 0, 1);
        job.flow = !parser.isSet("no-flow");
        job.start = numberOption(parser, "start", 0, 1e7);
        if (parser.isSet("end")) job.end = numberOption(parser, "end", 0, 1e7);
        job.output = out;
        job.resume = parser.isSet("resume");
        job.keepFrames = parser.isSet("keep-frames");
        job.metadata = clipMetadata(job, in);
        probeVideo(in);  // a file that is not a video fails before the model loads
        checkClipOutput(out);
        return renderClip(
            parser, job.params, out, [&](const Network& network, const auto& progress) {
                return renderDreamedVideo(network, in, job, progress, clipInterrupt());
            });
    } catch (const Error& e) {
        return reportClip(e, out);
    }
}

}  // namespace inceptionist::cli
