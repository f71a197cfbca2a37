#pragma once
// A zoom journey: the feedback loop of the original DeepDream notebook. Frame 0 is a brief dream
// of the photo; every later frame dreams the one before it, moved by the camera (zoom, rotation,
// pan). The dream and the motion can change over time through keyframes.

#include <memory>
#include <string>

#include <opencv2/core.hpp>

#include "core/engine/network.h"
#include "core/motion/camera_warp.h"
#include "core/motion/clip.h"
#include "core/motion/keyframes.h"
#include "core/params/cancel_token.h"

namespace inceptionist {

class PreparedDream;

struct ZoomJourney {
    KeyframeTrack track{DreamParams{}, CameraMotion{}};
    int frames = 100;
    double fps = 25;
    // How far each frame's colour mean and spread move back to frame 0's (camera_warp.h).
    double colourHold = 0.5;
    std::string output;  // .mp4, .webm or a folder for PNG frames
    bool resume = false;
    bool keepFrames = false;  // keep the frames folder beside a video output
    std::string metadata;     // stored in the output (and, with the input, in the frames' job)
};

// Makes the frames one by one, reusing a prepared objective while the parameters stay the same.
class ZoomJourneyStepper {
public:
    ZoomJourneyStepper(const Network& network, const KeyframeTrack& track, double colourHold);
    ~ZoomJourneyStepper();
    // The start of frame `frame`: the photo at working size for frame 0, else `previous` (the
    // frame before, as stored) moved by the camera.
    cv::Mat start(int frame, const cv::Mat& photoOrPrevious) const;
    // Dreams `start` as frame `frame` and returns the frame as stored (8 bits a channel).
    // `colourTarget` is frame 0's colour (ignored for frame 0 itself).
    cv::Mat dream(int frame, const cv::Mat& start, const ColourStats& colourTarget,
                  const std::function<void(double)>& progress, const CancelToken& cancel);

private:
    const Network& network_;
    const KeyframeTrack& track_;
    double colourHold_;
    std::unique_ptr<PreparedDream> prepared_;
    std::string preparedKey_;
};

// Renders `job` from `photo` (CV_32FC3 RGB in [0, 1]). Frames land in FrameFolder(job.output);
// with job.resume a stopped render goes on from its last frame. Throws Error(Cancelled) when
// `cancel` fires (the frames made so far stay), Error(Output) when the output cannot be written,
// Error(Parameter) for bad parameters.
ClipResult renderZoomJourney(const Network& network, const cv::Mat& photo, const ZoomJourney& job,
                             const ClipProgressFn& progress = {}, const CancelToken& cancel = {});

}  // namespace inceptionist
