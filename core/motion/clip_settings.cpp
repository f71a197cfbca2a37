#include "core/motion/clip_settings.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <type_traits>

#include "core/params/errors.h"

namespace inceptionist {

namespace {

using nlohmann::json;

json keyframeJson(const ClipSettings::Keyframe& k) {
    json o = k.dream.toJson();
    o["frame"] = k.frame;
    o["zoom"] = k.motion.zoom;
    o["rotate"] = k.motion.rotate;
    o["pan_x"] = k.motion.panX;
    o["pan_y"] = k.motion.panY;
    return o;
}

template <typename T>
T read(const json& j, const char* key, T fallback, const std::string& source) {
    if (!j.contains(key)) return fallback;
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        if (!j.at(key).is_number_integer())  // 2.5 frames is refused, not truncated
            throw Error(ErrorKind::Parameter, source + ": '" + key + "' must be a whole number");
    }
    try {
        return j.at(key).get<T>();
    } catch (const json::exception&) {
        throw Error(ErrorKind::Parameter, source + ": '" + key + "' has the wrong type");
    }
}

}  // namespace

void ClipSettings::validate() const {
    if (frames < 1 || frames > 100000)
        throw Error(ErrorKind::Parameter, "frames must be between 1 and 100000");
    if (!(fps > 0 && fps <= 240))
        throw Error(ErrorKind::Parameter, "fps must be above 0 and at most 240");
    if (!(motion.zoom >= 0.5 && motion.zoom <= 2))
        throw Error(ErrorKind::Parameter, "zoom must be between 0.5 and 2");
    if (!(std::abs(motion.rotate) <= 45))
        throw Error(ErrorKind::Parameter, "rotation must be within ±45 degrees");
    if (!(std::abs(motion.panX) <= 1000 && std::abs(motion.panY) <= 1000))
        throw Error(ErrorKind::Parameter, "pan must be within ±1000 px");
    if (!(colourHold >= 0 && colourHold <= 1))
        throw Error(ErrorKind::Parameter, "colour hold must be between 0 and 1");
    if (!(blend >= 0 && blend <= 1))
        throw Error(ErrorKind::Parameter, "blend must be between 0 and 1");
    if (octaves < 1 || octaves > 20)
        throw Error(ErrorKind::Parameter, "octaves must be between 1 and 20");
    if (steps < 1 || steps > 1000)
        throw Error(ErrorKind::Parameter, "steps must be between 1 and 1000");
    for (size_t i = 0; i < keyframes.size(); ++i)
        if (keyframes[i].frame < 0 || (i > 0 && keyframes[i].frame <= keyframes[i - 1].frame))
            throw Error(ErrorKind::Parameter,
                        "keyframe frames must be 0 or more and increase from one to the next");
}

json ClipSettings::toJson() const {
    json keys = json::array();
    for (const Keyframe& k : keyframes) keys.push_back(keyframeJson(k));
    return {{"schema", kSchema},
            {"mode", mode == Mode::Video ? "video" : "zoom_journey"},
            {"frames", frames},
            {"fps", fps},
            {"zoom", motion.zoom},
            {"rotate", motion.rotate},
            {"pan_x", motion.panX},
            {"pan_y", motion.panY},
            {"colour_hold", colourHold},
            {"octaves", octaves},
            {"steps", steps},
            {"video", video},
            {"blend", blend},
            {"flow", flow},
            {"interpolation", interpolation == Interpolation::Smooth ? "smooth" : "linear"},
            {"keyframes", keys}};
}

ClipSettings ClipSettings::fromJson(const json& j, const std::string& source) {
    if (!j.is_object()) throw Error(ErrorKind::Parameter, source + ": the motion is not an object");
    if (j.contains("schema") && j["schema"] != kSchema)
        throw Error(ErrorKind::Parameter, source + ": motion schema is " + j["schema"].dump() +
                                              ", expected \"" + kSchema + "\"");
    ClipSettings c;
    const std::string mode = read<std::string>(j, "mode", "zoom_journey", source);
    if (mode == "video")
        c.mode = Mode::Video;
    else if (mode != "zoom_journey")
        throw Error(ErrorKind::Parameter,
                    source + ": motion mode '" + mode + "' is neither 'zoom_journey' nor 'video'");
    c.frames = read<int>(j, "frames", c.frames, source);
    c.fps = read<double>(j, "fps", c.fps, source);
    c.motion.zoom = read<double>(j, "zoom", c.motion.zoom, source);
    c.motion.rotate = read<double>(j, "rotate", c.motion.rotate, source);
    c.motion.panX = read<double>(j, "pan_x", c.motion.panX, source);
    c.motion.panY = read<double>(j, "pan_y", c.motion.panY, source);
    c.colourHold = read<double>(j, "colour_hold", c.colourHold, source);
    c.octaves = read<int>(j, "octaves", c.octaves, source);
    c.steps = read<int>(j, "steps", c.steps, source);
    c.video = read<std::string>(j, "video", c.video, source);
    c.blend = read<double>(j, "blend", c.blend, source);
    c.flow = read<bool>(j, "flow", c.flow, source);
    // The keyframes read exactly as a keyframes file does, with its checks and messages.
    json track{{"interpolation", read<std::string>(j, "interpolation", "linear", source)},
               {"keyframes", j.contains("keyframes") ? j["keyframes"] : json::array()}};
    const KeyframeTrack parsed = KeyframeTrack::fromJson(track, DreamParams{}, c.motion, source);
    const json normal = parsed.toJson();
    c.interpolation =
        normal["interpolation"] == "smooth" ? Interpolation::Smooth : Interpolation::Linear;
    if (!track["keyframes"].empty())
        for (const json& k : normal["keyframes"]) {
            Keyframe key;
            key.frame = k["frame"].get<int>();
            key.motion = {k["zoom"].get<double>(), k["rotate"].get<double>(),
                          k["pan_x"].get<double>(), k["pan_y"].get<double>()};
            json dream = k;
            for (const char* m : {"frame", "zoom", "rotate", "pan_x", "pan_y"}) dream.erase(m);
            key.dream = DreamParams::fromJson(dream);
            c.keyframes.push_back(key);
        }
    try {
        c.validate();
    } catch (const Error& e) {
        throw Error(ErrorKind::Parameter, source + ": " + e.what());
    }
    return c;
}

void ClipSettings::setKeyframe(int frame, const DreamParams& dream, const CameraMotion& m) {
    auto at = std::lower_bound(keyframes.begin(), keyframes.end(), frame,
                               [](const Keyframe& k, int f) { return k.frame < f; });
    if (at != keyframes.end() && at->frame == frame)
        *at = {frame, dream, m};
    else
        keyframes.insert(at, {frame, dream, m});
}

bool ClipSettings::moveKeyframe(int from, int to) {
    if (to < 0 || keyframeAt(to) || !keyframeAt(from)) return false;
    Keyframe k = *keyframeAt(from);
    removeKeyframe(from);
    setKeyframe(to, k.dream, k.motion);
    return true;
}

bool ClipSettings::removeKeyframe(int frame) {
    const auto it = std::find_if(keyframes.begin(), keyframes.end(),
                                 [frame](const Keyframe& k) { return k.frame == frame; });
    if (it == keyframes.end()) return false;
    keyframes.erase(it);
    return true;
}

const ClipSettings::Keyframe* ClipSettings::keyframeAt(int frame) const {
    for (const Keyframe& k : keyframes)
        if (k.frame == frame) return &k;
    return nullptr;
}

DreamParams ClipSettings::frameParams(DreamParams base) const {
    base.octaves = octaves;
    base.steps = steps;
    return base;
}

KeyframeTrack ClipSettings::track(const DreamParams& base) const {
    const DreamParams params = frameParams(base);
    if (keyframes.empty()) return KeyframeTrack(params, motion);
    json keys = json::array();
    for (const Keyframe& k : keyframes) keys.push_back(keyframeJson(k));
    return KeyframeTrack::fromJson(
        {{"interpolation", interpolation == Interpolation::Smooth ? "smooth" : "linear"},
         {"keyframes", keys}},
        params, motion, "the clip's keyframes");
}

ClipSettings ClipSettings::scaledTo(int longSide, DreamParams& base) const {
    ClipSettings c = *this;
    auto scale = [longSide](DreamParams& p, CameraMotion& m) {
        if (p.workingSize <= longSide) return;
        const double f = double(longSide) / p.workingSize;
        p.workingSize = longSide;
        m.panX *= f;
        m.panY *= f;
    };
    scale(base, c.motion);
    for (Keyframe& k : c.keyframes) scale(k.dream, k.motion);
    return c;
}

json clipInputRecord(const std::string& path) {
    namespace fs = std::filesystem;
    if (path.empty()) return {{"file", ""}, {"bytes", 0}};
    std::error_code ec;
    const auto bytes = fs::file_size(path, ec);
    return {{"file", fs::absolute(path, ec).string()}, {"bytes", ec ? 0 : bytes}};
}

std::string clipMetadata(const ZoomJourney& job, const std::string& photoPath) {
    return json{{"schema", "inceptionist.clip/1"},     {"mode", "zoom_journey"},
                {"input", clipInputRecord(photoPath)}, {"fps", job.fps},
                {"colour_hold", job.colourHold},       {"keyframes", job.track.toJson()}}
        .dump();
}

std::string clipMetadata(const DreamedVideo& job, const std::string& videoPath) {
    return json{{"schema", "inceptionist.clip/1"},
                {"mode", "dreamed_video"},
                {"input", clipInputRecord(videoPath)},
                {"params", job.params.toJson()},
                {"blend", job.blend},
                {"flow", job.flow},
                {"start", job.start},
                {"end", job.end}}
        .dump();
}

ZoomJourney zoomJourneyJob(const ClipSettings& clip, const DreamParams& base,
                           const std::string& photoPath, const std::string& output) {
    ZoomJourney job;
    job.track = clip.track(base);
    job.frames = clip.frames;
    job.fps = clip.fps;
    job.colourHold = clip.colourHold;
    job.output = output;
    job.metadata = clipMetadata(job, photoPath);
    return job;
}

DreamedVideo dreamedVideoJob(const ClipSettings& clip, const DreamParams& params,
                             const std::string& output) {
    DreamedVideo job;
    job.params = clip.frameParams(params);
    job.blend = clip.blend;
    job.flow = clip.flow;
    job.output = output;
    job.metadata = clipMetadata(job, clip.video);
    return job;
}

}  // namespace inceptionist
