#pragma once
// What the two clip renderers (zoom journeys, dreamed videos) share: progress and the result.

#include <cstddef>
#include <functional>
#include <string>

namespace inceptionist {

struct ClipProgress {
    size_t frame = 0;          // the frame being made, 0-based
    size_t frames = 0;         // frames in the clip
    double frameFraction = 0;  // of the current frame's dream
    size_t resumedFrom = 0;    // frames that were already in the frames folder
    bool assembling = false;   // all frames made; writing the output file
    double fraction() const {
        return frames ? (assembling ? 1.0 : (frame + frameFraction) / double(frames)) : 0.0;
    }
};
using ClipProgressFn = std::function<void(const ClipProgress&)>;

struct ClipResult {
    size_t frames = 0;
    size_t resumedFrom = 0;  // frames taken from an earlier, stopped render
    std::string note;        // something people should know (the audio was dropped), or empty
};

}  // namespace inceptionist
