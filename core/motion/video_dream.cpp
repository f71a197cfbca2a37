#include "core/motion/video_dream.h"

#include <cmath>
#include <filesystem>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "core/io/image_io.h"
#include "core/motion/camera_warp.h"
#include "core/motion/flow_warp.h"
#include "core/motion/frame_folder.h"
#include "core/motion/video_file.h"
#include "core/params/errors.h"
#include "core/render/dreamer.h"

namespace inceptionist {

cv::Mat flowBlendedStart(FlowEstimator& flow, const cv::Mat& current, const cv::Mat& previousInput,
                         const cv::Mat& previousDream, double blend) {
    const cv::Mat backward = flow.flow(current, previousInput);
    const cv::Mat forward = flow.flow(previousInput, current);
    const cv::Mat warped = warpByFlow(previousDream, backward);
    const cv::Mat reliable = flowReliability(backward, forward);
    cv::Mat weight;
    cv::merge(std::vector<cv::Mat>(3, reliable * blend), weight);
    // current + weight × (warped − current)
    cv::Mat start = warped - current;
    cv::multiply(start, weight, start);
    start += current;
    return start;
}

namespace {

class FrameReader {
public:
    FrameReader(const std::string& path, int longSide) : path_(path), longSide_(longSide) {
        if (!capture_.open(path, cv::CAP_FFMPEG))
            throw Error(ErrorKind::Input, path + ": OpenCV cannot decode its video");
    }
    // The next frame at the dream's size, or an empty Mat at the end.
    cv::Mat next() {
        cv::Mat bgr;
        if (!capture_.read(bgr) || bgr.empty()) return {};
        cv::Mat rgb;
        cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
        rgb.convertTo(rgb, CV_32FC3, 1.0 / 255.0);
        return resizeLongSide(rgb, longSide_);
    }
    bool skip() { return capture_.grab(); }

private:
    std::string path_;
    int longSide_;
    cv::VideoCapture capture_;
};

}  // namespace

ClipResult renderDreamedVideo(const Network& network, const std::string& input,
                              const DreamedVideo& job, const ClipProgressFn& progress,
                              const CancelToken& cancel) {
    if (!(job.blend >= 0 && job.blend <= 1))
        throw Error(ErrorKind::Parameter, "blend must be between 0 and 1");
    checkClipOutput(job.output);  // an unsupported or occupied output fails before any work
    const VideoInfo info = probeVideo(input);
    if (!(info.fps > 0)) throw Error(ErrorKind::Input, input + ": has no frame rate");
    if (job.start < 0 || (job.end >= 0 && job.end <= job.start))
        throw Error(ErrorKind::Parameter, "--start must be 0 or more and --end after it");
    const int64_t first = std::llround(job.start * info.fps);
    const int64_t last = job.end < 0
                             ? info.frames
                             : std::min<int64_t>(info.frames, std::llround(job.end * info.fps));
    if (first >= last)
        throw Error(ErrorKind::Parameter, input + ": the range from " + std::to_string(job.start) +
                                              " s has no frames (the video has " +
                                              std::to_string(info.frames) + ")");
    DreamParams params = job.params;
    params.startFromNoise = false;
    params.workingSize = std::min(params.workingSize, std::max(info.width, info.height));
    PreparedDream prepared(network, params, cancel);
    // A frame started from the previous dream carries `blend` of that dream already; dreaming
    // it with only (1 - blend) of the step size keeps the dream as strong as a frame's own (the
    // carried part and the new part settle at one full dream) instead of piling up a new layer
    // of pattern on every frame, which is what flickers.
    DreamParams carried = params;
    carried.stepSize = params.stepSize * (1.0 - job.blend);
    PreparedDream continuing(network, carried, cancel);

    const nlohmann::json record{{"kind", "dreamed_video"}, {"params", params.toJson()},
                                {"blend", job.blend},      {"flow", job.flow},
                                {"first", first},          {"source", job.metadata}};
    FrameFolder folder(job.output, record, job.resume);
    FrameReader reader(input, params.workingSize);
    for (int64_t i = 0; i < first; ++i)
        if (!reader.skip()) throw Error(ErrorKind::Input, input + ": ends before --start");

    ClipResult result;
    const size_t total = size_t(last - first);
    result.resumedFrom = std::min(folder.finishedFrames(), total);
    ClipProgress p;
    p.frames = total;
    p.resumedFrom = result.resumedFrom;
    cv::Mat previousInput, previousDream;
    for (size_t f = 0; f < result.resumedFrom; ++f) {
        previousInput = reader.next();
        if (previousInput.empty())
            throw Error(ErrorKind::Input, input + ": fewer frames than before");
    }
    if (result.resumedFrom > 0) previousDream = folder.read(result.resumedFrom - 1);

    FlowEstimator flow;
    size_t made = result.resumedFrom;
    for (size_t f = result.resumedFrom; f < total; ++f) {
        if (cancel.cancelled()) throw Error(ErrorKind::Cancelled, "stopped");
        cv::Mat current = reader.next();
        if (current.empty()) break;  // the container promised more frames than it holds
        p.frame = f;
        p.frameFraction = 0;
        if (progress) progress(p);
        if (!previousDream.empty() && previousDream.size() != current.size())
            cv::resize(previousDream, previousDream, current.size(), 0, 0, cv::INTER_AREA);
        const bool carry = job.flow && !previousDream.empty() && job.blend < 1;
        const cv::Mat start =
            carry ? flowBlendedStart(flow, current, previousInput, previousDream, job.blend)
                  : current;
        DreamCallbacks callbacks;
        callbacks.progress = [&](const DreamProgress& d) {
            p.frameFraction = workFraction(d, params.octaveScale);
            if (progress) progress(p);
        };
        previousDream = quantise8((carry ? continuing : prepared).run(start, callbacks, cancel));
        previousInput = current;
        folder.write(f, previousDream);
        made = f + 1;
    }
    if (made == 0) throw Error(ErrorKind::Input, input + ": has no video frames OpenCV can decode");
    result.frames = made;
    p.frame = made;
    p.assembling = true;
    if (progress) progress(p);
    ClipAudio audio;
    if (info.hasAudio) {
        audio.path = input;
        audio.start = double(first) / info.fps;
        audio.end = job.end < 0 ? -1 : double(last) / info.fps;
    }
    result.note = assembleClip(folder, made, info.fps, job.output, audio, job.metadata);
    if (!job.keepFrames && clipFormatFor(job.output) != ClipFormat::PngSequence) folder.removeAll();
    return result;
}

}  // namespace inceptionist
