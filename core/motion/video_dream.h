#pragma once
// A dreamed video: every frame of a film dreamed, the dream carried along the motion so it flows
// instead of flickering. For each frame: the optical flow from the previous input frame (DIS),
// the previous dreamed frame warped along it, blended with the current frame where the flow
// passes the forward/backward check (elsewhere the current frame alone), then dreamed. The
// output keeps the input's frame rate, frame count and sound.

#include <string>

#include "core/engine/network.h"
#include "core/motion/clip.h"
#include "core/params/cancel_token.h"
#include "core/params/dream_params.h"

namespace inceptionist {

struct DreamedVideo {
    DreamParams params;  // workingSize is capped at the input's long side
    double blend = 0.6;  // share of the warped previous dream in each frame's start
    bool flow = true;    // false: each frame dreamed on its own (for comparison)
    double start = 0;    // seconds of the input to render, from start to end (< 0: its end)
    double end = -1;
    std::string output;  // .mp4, .webm or a folder for PNG frames
    bool resume = false;
    bool keepFrames = false;
    std::string metadata;  // stored in the output and in the frames' job record
};

// Throws Error(Input) naming `input` when it is not a video or has no frames, Error(Parameter)
// for a range with no frames or bad parameters, Error(Output) when the output cannot be written,
// Error(Cancelled) when `cancel` fires (the frames made so far stay for --resume).
ClipResult renderDreamedVideo(const Network& network, const std::string& input,
                              const DreamedVideo& job, const ClipProgressFn& progress = {},
                              const CancelToken& cancel = {});

// The start of a frame's dream: `current` with `blend` of `previousDream` moved along the flow
// from `previousInput`, where the flow is reliable. All CV_32FC3 RGB of one size.
class FlowEstimator;
cv::Mat flowBlendedStart(FlowEstimator& flow, const cv::Mat& current, const cv::Mat& previousInput,
                         const cv::Mat& previousDream, double blend);

}  // namespace inceptionist
