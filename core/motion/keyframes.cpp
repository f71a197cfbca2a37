#include "core/motion/keyframes.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>

#include "core/params/errors.h"

namespace inceptionist {

namespace {

using nlohmann::json;

constexpr const char* kKeyframesSchema = "inceptionist.keyframes/1";

// Keys that hold until the next keyframe instead of moving between values.
const std::set<std::string> kSteppedKeys = {"schema", "mode",        "model",           "device",
                                            "seed",   "guide_image", "start_from_noise"};

double ease(double t, Interpolation how) {
    t = std::clamp(t, 0.0, 1.0);
    return how == Interpolation::Smooth ? t * t * (3.0 - 2.0 * t) : t;
}

// A layer term's identity: the same layer with other channels is another objective.
std::string termKey(const json& layer) {
    std::string key = layer.value("name", std::string());
    if (layer.contains("channels")) key += "@" + layer["channels"].dump();
    return key;
}

// Fades the weights of `a`'s terms out and `b`'s in; terms in both move between their weights.
json crossFadeLayers(const json& a, const json& b, double t) {
    std::vector<std::string> order;
    std::map<std::string, json> terms;
    std::map<std::string, double> wa, wb;
    for (const json& l : a) {
        const std::string k = termKey(l);
        if (!terms.count(k)) order.push_back(k);
        terms[k] = l;
        wa[k] += l.value("weight", 1.0);
    }
    for (const json& l : b) {
        const std::string k = termKey(l);
        if (!terms.count(k)) order.push_back(k);
        terms[k] = l;
        wb[k] += l.value("weight", 1.0);
    }
    json out = json::array();
    for (const std::string& k : order) {
        const double w = (1 - t) * wa[k] + t * wb[k];
        if (w == 0) continue;  // faded out entirely: leave the layer uncomputed
        json l = terms[k];
        l["weight"] = w;
        out.push_back(l);
    }
    return out;
}

json interpolateDream(const json& a, const json& b, double t) {
    if (t <= 0) return a;
    if (t >= 1) return b;
    json out = a;
    for (auto it = b.begin(); it != b.end(); ++it) {
        const std::string& key = it.key();
        const json& va = a.contains(key) ? a[key] : it.value();
        const json& vb = it.value();
        if (key == "layers") {
            out[key] = crossFadeLayers(va, vb, t);
        } else if (kSteppedKeys.count(key) || !va.is_number() || !vb.is_number()) {
            out[key] = va;
        } else if (va.is_number_float() || vb.is_number_float()) {
            out[key] = (1 - t) * va.get<double>() + t * vb.get<double>();
        } else {
            out[key] = static_cast<long long>(
                std::llround((1 - t) * va.get<double>() + t * vb.get<double>()));
        }
    }
    return out;
}

double motionNumber(const json& k, const char* key, double fallback, const std::string& where) {
    if (!k.contains(key)) return fallback;
    if (!k[key].is_number())
        throw Error(ErrorKind::Parameter, where + ": '" + key + "' must be a number");
    return k[key].get<double>();
}

}  // namespace

KeyframeTrack::KeyframeTrack(const DreamParams& base, const CameraMotion& motion) {
    keys_.push_back({0, base.toJson(), motion});
}

KeyframeTrack KeyframeTrack::fromJson(const json& j, const DreamParams& base,
                                      const CameraMotion& motion, const std::string& source) {
    if (!j.is_object() || !j.contains("keyframes") || !j["keyframes"].is_array())
        throw Error(ErrorKind::Parameter, source + ": expected an object with a 'keyframes' list");
    if (j.contains("schema") && j["schema"] != kKeyframesSchema)
        throw Error(ErrorKind::Parameter, source + ": schema is " + j["schema"].dump() +
                                              ", expected \"" + kKeyframesSchema + "\"");
    KeyframeTrack track(base, motion);
    const std::string how = j.value("interpolation", std::string("linear"));
    if (how == "linear")
        track.interpolation_ = Interpolation::Linear;
    else if (how == "smooth")
        track.interpolation_ = Interpolation::Smooth;
    else
        throw Error(ErrorKind::Parameter,
                    source + ": interpolation '" + how + "' is neither 'linear' nor 'smooth'");
    if (j["keyframes"].empty()) return track;

    std::vector<Key> keys;
    json dream = base.toJson();
    CameraMotion held = motion;
    int previousFrame = -1;
    for (size_t i = 0; i < j["keyframes"].size(); ++i) {
        const json& k = j["keyframes"][i];
        const std::string where = source + ": keyframe " + std::to_string(i + 1);
        if (!k.is_object() || !k.contains("frame") || !k["frame"].is_number_integer())
            throw Error(ErrorKind::Parameter, where + " needs a whole 'frame' number");
        const int frame = k["frame"].get<int>();
        if (frame < 0 || frame <= previousFrame)
            throw Error(ErrorKind::Parameter,
                        where +
                            ": frames must be 0 or more and increase from one keyframe to the "
                            "next");
        previousFrame = frame;
        held.zoom = motionNumber(k, "zoom", held.zoom, where);
        held.rotate = motionNumber(k, "rotate", held.rotate, where);
        held.panX = motionNumber(k, "pan_x", held.panX, where);
        held.panY = motionNumber(k, "pan_y", held.panY, where);
        if (!(held.zoom >= 0.5 && held.zoom <= 2.0))
            throw Error(ErrorKind::Parameter, where + ": zoom must be between 0.5 and 2");
        if (!(std::abs(held.rotate) <= 45 && std::abs(held.panX) <= 1000 &&
              std::abs(held.panY) <= 1000))
            throw Error(ErrorKind::Parameter,
                        where + ": rotate must be within ±45 degrees and pan within ±1000 px");
        for (auto it = k.begin(); it != k.end(); ++it) {
            const std::string& key = it.key();
            if (key == "frame" || key == "zoom" || key == "rotate" || key == "pan_x" ||
                key == "pan_y")
                continue;
            dream[key] = it.value();
        }
        DreamParams checked;
        try {
            checked = DreamParams::fromJson(dream);
            checked.validate();
        } catch (const Error& e) {
            throw Error(ErrorKind::Parameter, where + ": " + e.what());
        }
        dream = checked.toJson();
        keys.push_back({frame, dream, held});
    }
    track.keys_ = std::move(keys);
    return track;
}

KeyframeTrack KeyframeTrack::fromFile(const std::string& path, const DreamParams& base,
                                      const CameraMotion& motion) {
    std::ifstream in(path);
    if (!in) throw Error(ErrorKind::Input, path + ": cannot open the keyframes file");
    json j;
    try {
        j = json::parse(in);
    } catch (const json::exception& e) {
        throw Error(ErrorKind::Input, path + ": not valid JSON (" + e.what() + ")");
    }
    return fromJson(j, base, motion, path);
}

FrameSettings KeyframeTrack::at(int frame) const {
    size_t next = 0;
    while (next < keys_.size() && keys_[next].frame <= frame) ++next;
    const Key& a = keys_[next == 0 ? 0 : next - 1];
    if (next == 0 || next == keys_.size()) return {DreamParams::fromJson(a.dream), a.motion};
    const Key& b = keys_[next];
    const double t = ease(double(frame - a.frame) / double(b.frame - a.frame), interpolation_);
    FrameSettings s;
    s.dream = DreamParams::fromJson(interpolateDream(a.dream, b.dream, t));
    auto mix = [t](double x, double y) { return (1 - t) * x + t * y; };
    s.motion = {mix(a.motion.zoom, b.motion.zoom), mix(a.motion.rotate, b.motion.rotate),
                mix(a.motion.panX, b.motion.panX), mix(a.motion.panY, b.motion.panY)};
    return s;
}

json KeyframeTrack::toJson() const {
    json keys = json::array();
    for (const Key& k : keys_) {
        json o = k.dream;
        o["frame"] = k.frame;
        o["zoom"] = k.motion.zoom;
        o["rotate"] = k.motion.rotate;
        o["pan_x"] = k.motion.panX;
        o["pan_y"] = k.motion.panY;
        keys.push_back(o);
    }
    return {{"schema", kKeyframesSchema},
            {"interpolation", interpolation_ == Interpolation::Smooth ? "smooth" : "linear"},
            {"keyframes", keys}};
}

}  // namespace inceptionist
