#include "bench/motion_bench.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "core/engine/thread_policy.h"
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

// Seconds of processor time this process has used, all its threads together: next to other
// programs on a busy machine it grows as it would alone, while the wall clock does not.
double cpuSeconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + t.tv_nsec * 1e-9;
}

void printLoad(const char* when) {
    double load[3] = {};
    if (getloadavg(load, 3) == 3)
        std::printf("  (load average %s: %.1f %.1f %.1f, %ld cores)\n", when, load[0], load[1],
                    load[2], sysconf(_SC_NPROCESSORS_ONLN));
}

long peakResidentKiB() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
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
    std::vector<double> warp, dream, file, dreamCpu;
    double warpCpu = 0, fileCpu = 0;
    cv::Mat frame;
    ColourStats target;
    printLoad("before");
    for (int f = 0; f < kWarmup + kFrames; ++f) {
        auto t = Clock::now();
        double c = cpuSeconds();
        const cv::Mat start = stepper.start(f, f == 0 ? sample : frame);
        const double w = since(t), wc = cpuSeconds() - c;
        t = Clock::now();
        c = cpuSeconds();
        frame = stepper.dream(f, start, target, {}, {});
        const double d = since(t), dc = cpuSeconds() - c;
        if (f == 0) target = colourStats(frame);
        t = Clock::now();
        c = cpuSeconds();
        folder.write(size_t(f), frame);
        const double s = since(t), sc = cpuSeconds() - c;
        if (f >= kWarmup) {
            warp.push_back(w), dream.push_back(d), file.push_back(s), dreamCpu.push_back(dc);
            warpCpu += wc / kFrames, fileCpu += sc / kFrames;
        }
    }
    auto t = Clock::now();
    double c = cpuSeconds();
    assembleClip(folder, size_t(kWarmup + kFrames), 25, (tmp / "zoom.mp4").string(), {}, "{}");
    const double encode = since(t) / (kWarmup + kFrames);
    const double encodeCpu = (cpuSeconds() - c) / (kWarmup + kFrames);
    const double frameTotal = median(warp) + median(dream) + median(file) + encode;
    const double frameCpu = warpCpu + median(dreamCpu) + fileCpu + encodeCpu;
    std::printf("Zoom journey frame, %dx%d, 1 octave x 5 steps, mixed3 (median of %d):\n",
                frame.cols, frame.rows, kFrames);
    std::printf("  warp %.1f ms, dream %.0f ms, PNG frame %.1f ms, encode+mux %.1f ms: %.2f s\n",
                median(warp) * 1e3, median(dream) * 1e3, median(file) * 1e3, encode * 1e3,
                frameTotal);
    std::printf(
        "  processor time: warp %.1f ms, dream %.0f ms, PNG frame %.1f ms, encode+mux %.1f ms: "
        "%.2f s (%d compute threads)\n",
        warpCpu * 1e3, median(dreamCpu) * 1e3, fileCpu * 1e3, encodeCpu * 1e3, frameCpu,
        ThreadPolicy::instance().nominalThreads());
    printLoad("after");

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

void motionMemorySection(const fs::path& modelsDir, int frames, int size) {
    auto net = Network::load(modelPath(modelsDir, "inception_v3"));
    const cv::Mat sample = readImage(INCEPTIONIST_SAMPLE_IMAGE);
    const fs::path tmp =
        fs::temp_directory_path() / ("inceptionist-bench-memory-" + std::to_string(::getpid()));
    fs::create_directories(tmp);
    // The real render: frames into the folder as they finish, the video assembled at the end.
    CameraMotion motion;
    motion.zoom = 1.04;
    motion.rotate = 1.5;
    ZoomJourney job;
    job.track = KeyframeTrack(clipParams(size), motion);
    job.frames = frames;
    job.output = (tmp / "memory.mp4").string();
    std::printf("Zoom journey, %d frames at %d px, 1 octave x 5 steps, mixed3: resident memory\n",
                frames, size);
    printLoad("before");
    std::vector<std::pair<size_t, double>> samples;
    size_t last = SIZE_MAX;
    const auto t = Clock::now();
    const double c = cpuSeconds();
    renderZoomJourney(*net, sample, job, [&](const ClipProgress& p) {
        if (p.assembling || p.frame == last) return;
        last = p.frame;
        // Before frame n starts, n frames are done.
        if (p.frame == 10 || p.frame == 100 || p.frame == size_t(frames) / 2 ||
            p.frame == size_t(frames) - 1) {
            samples.emplace_back(p.frame, residentMiB());
            std::printf("  after %zu frames: %.1f MiB\n", p.frame, samples.back().second);
            std::fflush(stdout);
        }
    });
    const double wall = since(t), cpu = cpuSeconds() - c;
    std::printf("  after the video was assembled: %.1f MiB; peak %.1f MiB\n", residentMiB(),
                double(peakResidentKiB()) / 1024);
    const auto at = [&](size_t frame) {
        for (const auto& [f, mib] : samples)
            if (f == frame) return mib;
        return 0.0;
    };
    std::printf("  frame %d vs frame 100: %+.1f%%; %.2f s a frame (%.2f s of processor time)\n",
                frames - 1, 100 * (at(size_t(frames) - 1) / at(100) - 1), wall / frames,
                cpu / frames);
    printLoad("after");
    std::printf("\n");
    fs::remove_all(tmp);
}

void motionClipSection(const fs::path& modelsDir) {
    const fs::path tmp =
        fs::temp_directory_path() / ("inceptionist-bench-clip-" + std::to_string(::getpid()));
    fs::create_directories(tmp);
    // A 10 s 854x480 clip at 24 frames a second panning across the sample photo, with a tone in
    // AAC: made by FFmpeg's command-line tool (Debian's ffmpeg, which setup.sh installs).
    const std::string clip = (tmp / "clip480.mp4").string();
    const std::string make =
        std::string("ffmpeg -v error -y -loop 1 -framerate 24 -i '") + INCEPTIONIST_SAMPLE_IMAGE +
        "' -f lavfi -i sine=frequency=440:sample_rate=44100 -filter_complex "
        "\"[0:v]scale=1400:-2,crop=854:480:x='n*2':y=60,format=yuv420p[v]\" -map '[v]' -map 1:a "
        "-c:v libx264 -c:a aac -t 10 '" +
        clip + "'";
    if (std::system(make.c_str()) != 0) throw std::runtime_error("ffmpeg could not make the clip");
    const VideoInfo in = probeVideo(clip);
    auto net = Network::load(modelPath(modelsDir, "inception_v3"));
    DreamedVideo job;
    job.params = clipParams(854);  // the command line's clip defaults, at the clip's own size
    job.output = (tmp / "dreamed.mp4").string();
    std::printf(
        "Dreamed video, %.1f s %dx%d at %g fps with sound (%s), 1 octave x 5 steps, "
        "mixed3, blend 0.6, end to end:\n",
        in.duration, in.width, in.height, in.fps, in.audioCodec.c_str());
    printLoad("before");
    const auto t = Clock::now();
    const double c = cpuSeconds();
    const ClipResult r = renderDreamedVideo(*net, clip, job);
    const double wall = since(t), cpu = cpuSeconds() - c;
    const VideoInfo out = probeVideo(job.output);
    std::printf(
        "  %zu frames in %.0f s (%.2f s a frame), %.0f s of processor time; output %lld "
        "frames, %.2f s of %s sound, peak memory %.0f MiB\n",
        r.frames, wall, wall / double(r.frames), cpu, (long long)out.frames, out.audioDuration,
        out.audioCodec.c_str(), double(peakResidentKiB()) / 1024);
    printLoad("after");
    std::printf("\n");
    fs::remove_all(tmp);
}

}  // namespace inceptionist::bench
