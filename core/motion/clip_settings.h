#pragma once
// A clip as the window edits it and saves it (in the session and in presets): a zoom journey or
// a dreamed video, its length, the camera's motion and the keyframes. Frames without keyframes
// dream with the window's own parameters; each keyframe holds a whole set, as the keyframes
// file does. The render jobs it makes carry the same records as the command line's `animate`
// and `video`, so the output's metadata reads the same whichever made it.
//
// JSON (the `motion` section of a preset or of the session):
//   {"schema": "inceptionist.motion/1", "mode": "zoom_journey" | "video", "frames": 100,
//    "fps": 25, "zoom": 1.04, "rotate": 0, "pan_x": 0, "pan_y": 0, "colour_hold": 0.5,
//    "octaves": 1, "steps": 5,
//    "video": "clip.mp4", "blend": 0.6, "flow": true,
//    "interpolation": "linear", "keyframes": [{"frame": 0, "zoom": 1.04, ...dream keys}, ...]}
// A keyframe reads as a keyframe of `--keyframes FILE` (keyframes.h).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/motion/keyframes.h"
#include "core/motion/video_dream.h"
#include "core/motion/zoom_journey.h"

namespace inceptionist {

struct ClipSettings {
    static constexpr const char* kSchema = "inceptionist.motion/1";
    enum class Mode { ZoomJourney, Video };

    struct Keyframe {
        int frame = 0;
        DreamParams dream;
        CameraMotion motion;
        bool operator==(const Keyframe& o) const {
            return frame == o.frame && dream.toJson() == o.dream.toJson() && motion == o.motion;
        }
    };

    Mode mode = Mode::ZoomJourney;
    int frames = 100;  // of a zoom journey; a video has its own
    double fps = 25;   // of a zoom journey; a video keeps its own
    CameraMotion motion;
    double colourHold = 0.5;
    // Each frame is a brief dream: these replace the window's octaves and steps (keyframes keep
    // their own).
    int octaves = 1;
    int steps = 5;
    std::string video;  // the film a dreamed video dreams
    double blend = 0.6;
    bool flow = true;
    Interpolation interpolation = Interpolation::Linear;
    std::vector<Keyframe> keyframes;  // by frame, at most one a frame

    bool operator==(const ClipSettings& o) const { return toJson() == o.toJson(); }

    // Throws Error(Parameter) naming the setting out of range.
    void validate() const;
    nlohmann::json toJson() const;
    // Throws Error(Parameter) naming `source` and the key at fault.
    static ClipSettings fromJson(const nlohmann::json& j, const std::string& source);

    // Adds a keyframe at `frame`, replacing the one there.
    void setKeyframe(int frame, const DreamParams& dream, const CameraMotion& motion);
    // Moves the keyframe at `from` to `to`; false when there is none at `from` or `to` is taken.
    bool moveKeyframe(int from, int to);
    bool removeKeyframe(int frame);
    const Keyframe* keyframeAt(int frame) const;

    // `base` with this clip's octaves and steps: what a frame without keyframes dreams with.
    DreamParams frameParams(DreamParams base) const;
    // The journey's track: frameParams(base) and the motion on every frame without keyframes.
    KeyframeTrack track(const DreamParams& base) const;
    // The same clip at a long side of at most `longSide` pixels, `base` too (pans scaled with
    // them): a preview.
    ClipSettings scaledTo(int longSide, DreamParams& base) const;
};

// What the command line's `animate` and `video` record about their input: the file and its size
// (a pasted photo has no file).
nlohmann::json clipInputRecord(const std::string& path);

// The metadata a clip's output carries ("inceptionist.clip/1"): the job's settings and its
// input (its file and size, so --resume refuses frames of another input), the same whether the
// command line or the window made it.
std::string clipMetadata(const ZoomJourney& job, const std::string& photoPath);
std::string clipMetadata(const DreamedVideo& job, const std::string& videoPath);

// The render jobs of `clip`, with that metadata.
ZoomJourney zoomJourneyJob(const ClipSettings& clip, const DreamParams& base,
                           const std::string& photoPath, const std::string& output);
DreamedVideo dreamedVideoJob(const ClipSettings& clip, const DreamParams& params,
                             const std::string& output);

}  // namespace inceptionist
