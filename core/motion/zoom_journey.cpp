#include "core/motion/zoom_journey.h"

#include "core/motion/frame_folder.h"
#include "core/motion/video_file.h"
#include "core/params/errors.h"
#include "core/render/dreamer.h"

namespace inceptionist {

ZoomJourneyStepper::ZoomJourneyStepper(const Network& network, const KeyframeTrack& track,
                                       double colourHold)
    : network_(network), track_(track), colourHold_(colourHold) {}

ZoomJourneyStepper::~ZoomJourneyStepper() = default;

cv::Mat ZoomJourneyStepper::start(int frame, const cv::Mat& photoOrPrevious) const {
    const FrameSettings s = track_.at(frame);
    if (frame == 0) return dreamStart(photoOrPrevious, s.dream);
    return warpCamera(photoOrPrevious, s.motion);
}

cv::Mat ZoomJourneyStepper::dream(int frame, const cv::Mat& start, const ColourStats& colourTarget,
                                  const std::function<void(double)>& progress,
                                  const CancelToken& cancel) {
    FrameSettings s = track_.at(frame);
    // Later frames dream the picture as it is (noise only ever starts frame 0), at its size.
    if (frame > 0) s.dream.startFromNoise = false;
    s.dream.workingSize = std::max(start.cols, start.rows);
    const std::string key = s.dream.toJson().dump();
    if (!prepared_ || key != preparedKey_) {
        prepared_ = std::make_unique<PreparedDream>(network_, s.dream, cancel);
        preparedKey_ = key;
    }
    DreamCallbacks callbacks;
    if (progress)
        callbacks.progress = [&](const DreamProgress& p) {
            progress(workFraction(p, s.dream.octaveScale));
        };
    cv::Mat out = prepared_->run(start, callbacks, cancel);
    if (frame > 0 && colourHold_ > 0) out = holdColour(out, colourTarget, colourHold_);
    return quantise8(out);
}

ClipResult renderZoomJourney(const Network& network, const cv::Mat& photo, const ZoomJourney& job,
                             const ClipProgressFn& progress, const CancelToken& cancel) {
    if (job.frames < 1 || job.frames > 100000)
        throw Error(ErrorKind::Parameter, "frames must be between 1 and 100000");
    if (!(job.fps > 0 && job.fps <= 240))
        throw Error(ErrorKind::Parameter, "fps must be above 0 and at most 240");
    if (!(job.colourHold >= 0 && job.colourHold <= 1))
        throw Error(ErrorKind::Parameter, "colour hold must be between 0 and 1");
    checkClipOutput(job.output);  // an unsupported or occupied output fails before any work
    const nlohmann::json record{{"kind", "zoom_journey"},
                                {"track", job.track.toJson()},
                                {"colour_hold", job.colourHold},
                                {"source", job.metadata}};
    FrameFolder folder(job.output, record, job.resume);
    ZoomJourneyStepper stepper(network, job.track, job.colourHold);

    ClipResult result;
    result.frames = size_t(job.frames);
    result.resumedFrom = std::min(folder.finishedFrames(), result.frames);
    ClipProgress p;
    p.frames = result.frames;
    p.resumedFrom = result.resumedFrom;
    cv::Mat previous;
    ColourStats target;
    if (result.resumedFrom > 0) {
        previous = folder.read(result.resumedFrom - 1);
        target = colourStats(folder.read(0));
    }
    for (size_t f = result.resumedFrom; f < result.frames; ++f) {
        p.frame = f;
        p.frameFraction = 0;
        if (progress) progress(p);
        const int frame = static_cast<int>(f);
        const cv::Mat start = stepper.start(frame, f == 0 ? photo : previous);
        previous = stepper.dream(
            frame, start, target,
            [&](double fraction) {
                p.frameFraction = fraction;
                if (progress) progress(p);
            },
            cancel);
        if (f == 0) target = colourStats(previous);
        folder.write(f, previous);
    }
    if (cancel.cancelled()) throw Error(ErrorKind::Cancelled, "stopped");
    p.assembling = true;
    if (progress) progress(p);
    result.note = assembleClip(folder, result.frames, job.fps, job.output, {}, job.metadata);
    if (!job.keepFrames && clipFormatFor(job.output) != ClipFormat::PngSequence) folder.removeAll();
    return result;
}

}  // namespace inceptionist
