#include "bench/motion_bench.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "core/io/image_io.h"
#include "core/model/model_store.h"
#include "core/motion/flow_warp.h"
#include "core/motion/frame_folder.h"
#include "core/motion/video_dream.h"
#include "core/motion/video_file.h"
#include "core/motion/zoom_journey.h"

namespace inceptionist::bench {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double residentMiB() {
    FILE* f = std::fopen("/proc/self/statm", "r");
    long pages = 0, resident = 0;
    if (f) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        std::fclose(f);
    }
    return resident * 4096.0 / (1024.0 * 1024.0);
}

// A clip panning across the still photo: a window of `size` moving `step` px right per frame.
std::string writePanningClip(const fs::path& dir, const cv::Mat& photo, cv::Size size, int step,
                             int frames) {
    const std::string path = (dir / "pan.mp4").string();
    cv::VideoWriter writer(path, cv::CAP_FFMPEG, cv::VideoWriter::fourcc('a', 'v', 'c', '1'), 25,
                           size);
    for (int i = 0; i < frames; ++i) {
        cv::Mat bgr;
        photo(cv::Rect(i * step, (photo.rows - size.height) / 2, size.width, size.height))
            .convertTo(bgr, CV_8UC3, 255.0);
        cv::cvtColor(bgr, bgr, cv::COLOR_RGB2BGR);
        writer.write(bgr);
    }
    return path;
}

std::vector<cv::Mat> readFrames(const std::string& path, cv::Size size) {
    std::vector<cv::Mat> frames;
    cv::VideoCapture cap(path, cv::CAP_FFMPEG);
    for (cv::Mat bgr; cap.read(bgr);) {
        cv::Mat rgb;
        cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
        rgb.convertTo(rgb, CV_32FC3, 1 / 255.0);
        cv::resize(rgb, rgb, size, 0, 0, cv::INTER_AREA);
        frames.push_back(rgb);
    }
    return frames;
}

std::vector<cv::Mat> folderFrames(const fs::path& folder) {
    std::vector<cv::Mat> frames;
    for (size_t i = 0; fs::exists(folder / cv::format("frame_%06zu.png", i)); ++i)
        frames.push_back(readImage((folder / cv::format("frame_%06zu.png", i)).string()));
    return frames;
}

double meanAbs(const cv::Mat& a, const cv::Mat& b) {
    cv::Mat d;
    cv::absdiff(a, b, d);
    const cv::Scalar m = cv::mean(d);
    return (m[0] + m[1] + m[2]) / 3;
}

DreamParams clipParams(int size) {
    DreamParams p;  // the command line's clip defaults: one octave of five steps
    p.layers = {{"mixed3", 1.0, {}}};
    p.octaves = 1;
    p.steps = 5;
    p.workingSize = size;
    return p;
}

}  // namespace

void motionSection(const fs::path& modelsDir) {
    auto net = Network::load(modelPath(modelsDir, "inception_v3"));
    const cv::Mat sample = readImage(INCEPTIONIST_SAMPLE_IMAGE);
    const fs::path tmp =
        fs::temp_directory_path() / ("inceptionist-bench-motion-" + std::to_string(::getpid()));
    fs::create_directories(tmp);

    // A zoom journey at 512 px, frame by frame, each part timed.
    CameraMotion motion;
    motion.zoom = 1.04;
    motion.rotate = 1.5;
    const KeyframeTrack track(clipParams(512), motion);
    ZoomJourneyStepper stepper(*net, track, 0.5);
    FrameFolder folder((tmp / "zoom.mp4").string(), nlohmann::json{{"bench", 1}}, false);
    constexpr int kWarmup = 2, kFrames = 12;
    std::vector<double> warp, dream, file;
    cv::Mat frame;
    ColourStats target;
    for (int f = 0; f < kWarmup + kFrames; ++f) {
        auto t = Clock::now();
        const cv::Mat start = stepper.start(f, f == 0 ? sample : frame);
        const double w = since(t);
        t = Clock::now();
        frame = stepper.dream(f, start, target, {}, {});
        const double d = since(t);
        if (f == 0) target = colourStats(frame);
        t = Clock::now();
        folder.write(size_t(f), frame);
        const double s = since(t);
        if (f >= kWarmup) warp.push_back(w), dream.push_back(d), file.push_back(s);
    }
    auto t = Clock::now();
    assembleClip(folder, size_t(kWarmup + kFrames), 25, (tmp / "zoom.mp4").string(), {}, "{}");
    const double encode = since(t) / (kWarmup + kFrames);
    const double frameTotal = median(warp) + median(dream) + median(file) + encode;
    std::printf("Zoom journey frame, %dx%d, 1 octave x 5 steps, mixed3 (median of %d):\n",
                frame.cols, frame.rows, kFrames);
    std::printf("  warp %.1f ms, dream %.0f ms, PNG frame %.1f ms, encode+mux %.1f ms: %.2f s\n",
                median(warp) * 1e3, median(dream) * 1e3, median(file) * 1e3, encode * 1e3,
                frameTotal);

    // Flow and warping for one video frame at 512 px: two DIS flows, the check, warp, blend.
    cv::Mat a, b;
    cv::resize(sample(cv::Rect(0, 0, 704, 528)), a, cv::Size(512, 384), 0, 0, cv::INTER_AREA);
    cv::resize(sample(cv::Rect(16, 8, 704, 528)), b, cv::Size(512, 384), 0, 0, cv::INTER_AREA);
    FlowEstimator flow;
    std::vector<double> flowTimes;
    for (int i = 0; i < 12; ++i) {
        t = Clock::now();
        flowBlendedStart(flow, b, a, frame, 0.6);
        if (i >= 2) flowTimes.push_back(since(t));
    }
    std::printf("Video frame 512x384: flow + check + warp + blend %.1f ms = %.1f%% of the frame\n",
                median(flowTimes) * 1e3, 100 * median(flowTimes) / frameTotal);

    // Coherence: a clip panning across the still photo, dreamed with and without flow.
    constexpr int kClipFrames = 12;
    const std::string clip = writePanningClip(tmp, sample, cv::Size(384, 288), 8, kClipFrames);
    double results[2][3] = {};
    for (int withFlow = 1; withFlow >= 0; --withFlow) {
        DreamedVideo job;
        job.params = clipParams(384);
        job.flow = withFlow;
        job.output = (tmp / (withFlow ? "flow" : "plain")).string();
        t = Clock::now();
        renderDreamedVideo(*net, clip, job);
        const double seconds = since(t);
        const auto outputs = folderFrames(job.output);
        const auto inputs = readFrames(clip, outputs[0].size());
        double coherence = 0, strength = meanAbs(outputs[0], inputs[0]);
        for (size_t i = 1; i < outputs.size(); ++i) {
            coherence +=
                coherenceStep(outputs[i], outputs[i - 1], flow.flow(inputs[i], inputs[i - 1]));
            strength += meanAbs(outputs[i], inputs[i]);
        }
        results[withFlow][0] = coherence / (outputs.size() - 1);
        results[withFlow][1] = strength / outputs.size();
        results[withFlow][2] = seconds / outputs.size();
    }
    std::printf("Dreamed panning clip, %d frames 384x288, 8 px a frame, blend 0.6:\n", kClipFrames);
    std::printf(
        "  coherence (mean |frame - flow-warped previous frame|): flow %.4f, no flow %.4f, "
        "ratio %.2f\n",
        results[1][0], results[0][0], results[1][0] / results[0][0]);
    std::printf("  dream strength (mean |frame - film|): flow %.4f, no flow %.4f\n", results[1][1],
                results[0][1]);
    std::printf("  time per frame: flow %.2f s, no flow %.2f s\n\n", results[1][2], results[0][2]);
    fs::remove_all(tmp);
}

void motionDriftSection(const fs::path& modelsDir) {
    auto net = Network::load(modelPath(modelsDir, "inception_v3"));
    const cv::Mat sample = readImage(INCEPTIONIST_SAMPLE_IMAGE);
    constexpr int kFrames = 300;
    CameraMotion motion;
    motion.zoom = 1.04;
    motion.rotate = 1.5;
    // Small frames: the drift is a property of the feedback loop, and 600 frames stay quick.
    const KeyframeTrack track(clipParams(160), motion);
    std::printf(
        "Zoom journey, %d frames at 160 px (zoom 1.04, rotate 1.5), colour mean and "
        "spread (RGB averaged):\n",
        kFrames);
    for (double hold : {0.5, 0.0}) {
        ZoomJourneyStepper stepper(*net, track, hold);
        cv::Mat frame;
        ColourStats target;
        double rssEarly = 0;
        std::printf("  colour hold %.1f:", hold);
        for (int f = 0; f < kFrames; ++f) {
            frame = stepper.dream(f, stepper.start(f, f == 0 ? sample : frame), target, {}, {});
            if (f == 0) target = colourStats(frame);
            if (f == 0 || f == 99 || f == 199 || f == kFrames - 1) {
                const ColourStats s = colourStats(frame);
                std::printf("  #%d %.3f/%.3f", f + 1, (s.mean[0] + s.mean[1] + s.mean[2]) / 3,
                            (s.spread[0] + s.spread[1] + s.spread[2]) / 3);
                std::fflush(stdout);
            }
            if (f == 49) rssEarly = residentMiB();
        }
        std::printf("\n    resident memory after frame 50: %.0f MiB, after frame %d: %.0f MiB\n",
                    rssEarly, kFrames, residentMiB());
    }
    std::printf("\n");
}

}  // namespace inceptionist::bench
