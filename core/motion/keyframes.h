#pragma once
// Keyframes of a zoom journey: any dream parameter and the camera motion (zoom, rotation, pan)
// set at frame numbers and interpolated between them. Numbers move linearly or smoothly
// (smoothstep); whole-number parameters are rounded; words and switches (model, device, seed,
// start from noise) hold until the next keyframe. A change of layers (or of a layer's channels)
// cross-fades: the two objectives' weights fade out and in, so the dream turns gradually.
//
// The file (`--keyframes FILE`):
//   {"schema": "inceptionist.keyframes/1", "interpolation": "smooth",
//    "keyframes": [{"frame": 0, "zoom": 1.04, "layers": [{"name": "mixed3"}]},
//                  {"frame": 120, "rotate": 2, "layers": [{"name": "mixed5"}]}]}
// Each keyframe holds the keys it names and keeps the others from the keyframe before it (the
// first from the command line's parameters). Keys: `frame`, `zoom`, `rotate`, `pan_x`, `pan_y`
// and any key of the dream schema (`inceptionist.dream/2`).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/params/dream_params.h"

namespace inceptionist {

// How one frame becomes the start of the next: an affine warp about the image centre.
struct CameraMotion {
    double zoom = 1.04;  // scale per frame; above 1 moves in
    double rotate = 0;   // degrees per frame, counter-clockwise
    double panX = 0;     // pixels per frame at the dream's size; positive moves the picture right
    double panY = 0;     // positive moves the picture down

    bool operator==(const CameraMotion& o) const {
        return zoom == o.zoom && rotate == o.rotate && panX == o.panX && panY == o.panY;
    }
};

struct FrameSettings {
    DreamParams dream;
    CameraMotion motion;
};

enum class Interpolation { Linear, Smooth };

class KeyframeTrack {
public:
    // No keyframes: every frame has `base` and `motion`.
    KeyframeTrack(const DreamParams& base, const CameraMotion& motion);
    // Throws Error(Parameter) naming `source` (a file name, for messages) and the key at fault.
    static KeyframeTrack fromJson(const nlohmann::json& j, const DreamParams& base,
                                  const CameraMotion& motion, const std::string& source);
    // Throws Error(Input) for an unreadable or malformed file, Error(Parameter) as above.
    static KeyframeTrack fromFile(const std::string& path, const DreamParams& base,
                                  const CameraMotion& motion);

    // The settings of frame `frame` (0-based); before the first keyframe the first holds, after
    // the last the last.
    FrameSettings at(int frame) const;
    size_t keyframeCount() const { return keys_.size(); }
    // What the track was made from, for the job's record and the output's metadata.
    nlohmann::json toJson() const;

private:
    struct Key {
        int frame = 0;
        nlohmann::json dream;  // a whole DreamParams::toJson()
        CameraMotion motion;
    };
    std::vector<Key> keys_;
    Interpolation interpolation_ = Interpolation::Linear;
};

}  // namespace inceptionist
