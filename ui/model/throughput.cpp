#include "ui/model/throughput.h"

#include <algorithm>
#include <cmath>

namespace inceptionist::ui {

namespace {
constexpr size_t kSamplesKept = 64;  // per key, the newest: the machine's load changes
constexpr double kSizeSpread = 1.5;  // smallest to largest pixel count needed for a fit
}  // namespace

QString Throughput::keyOf(const DreamParams& p) {
    QString key = QString::fromStdString(p.model + "|" + p.device);
    for (const auto& l : p.layers) key += "|" + QString::fromStdString(l.name);
    return key;
}

int Throughput::tilesOf(int width, int height, int tileSize) {
    const int t = std::max(1, tileSize);
    return ((width + t - 1) / t) * ((height + t - 1) / t);
}

void Throughput::add(const QString& key, int width, int height, int tileSize, int steps,
                     double seconds) {
    if (steps <= 0 || seconds <= 0 || width <= 0 || height <= 0) return;
    auto& list = samples_[key];
    list.push_back({double(tilesOf(width, height, tileSize)), width * double(height) / 1e6,
                    seconds / steps, double(steps)});
    if (list.size() > kSamplesKept) list.erase(list.begin());
}

// Weighted least squares of secondsPerStep = perTile * tiles + perMegapixel * megapixels,
// both parts kept non-negative.
Throughput::Fit Throughput::fit(const QString& key) const {
    Fit f;
    const auto it = samples_.find(key);
    if (it == samples_.end() || it->second.empty()) return f;
    const auto& s = it->second;
    const auto [lo, hi] = std::minmax_element(
        s.begin(), s.end(), [](auto& a, auto& b) { return a.megapixels < b.megapixels; });
    if (hi->megapixels < kSizeSpread * lo->megapixels) return f;
    double tt = 0, tm = 0, mm = 0, ty = 0, my = 0;
    for (const auto& x : s) {
        tt += x.weight * x.tiles * x.tiles;
        tm += x.weight * x.tiles * x.megapixels;
        mm += x.weight * x.megapixels * x.megapixels;
        ty += x.weight * x.tiles * x.secondsPerStep;
        my += x.weight * x.megapixels * x.secondsPerStep;
    }
    const double det = tt * mm - tm * tm;
    if (det > 1e-12) {
        f.perTile = (ty * mm - my * tm) / det;
        f.perMegapixel = (tt * my - tm * ty) / det;
    }
    if (det <= 1e-12 || f.perTile < 0 || f.perMegapixel < 0) {
        // One part alone explains the measurements better: fit that one.
        const double onlyPixels = mm > 0 ? my / mm : 0, onlyTiles = tt > 0 ? ty / tt : 0;
        double errPixels = 0, errTiles = 0;
        for (const auto& x : s) {
            errPixels += x.weight * std::pow(x.secondsPerStep - onlyPixels * x.megapixels, 2);
            errTiles += x.weight * std::pow(x.secondsPerStep - onlyTiles * x.tiles, 2);
        }
        f.perTile = errTiles < errPixels ? onlyTiles : 0;
        f.perMegapixel = errTiles < errPixels ? 0 : onlyPixels;
    }
    f.sound = f.perTile + f.perMegapixel > 0;
    return f;
}

double Throughput::secondsPerStep(const QString& key, int width, int height, int tileSize) const {
    const Fit f = fit(key);
    if (!f.sound) return -1;
    return f.perTile * tilesOf(width, height, tileSize) +
           f.perMegapixel * width * double(height) / 1e6;
}

double Throughput::dreamSeconds(const DreamParams& p, int width, int height, int fromOctave,
                                int fromStep) const {
    const QString key = keyOf(p);
    if (!fit(key).sound) return -1;
    double total = 0;
    for (int o = std::max(0, fromOctave); o < p.octaves; ++o) {
        const double shrink = std::pow(p.octaveScale, -(p.octaves - 1 - o));
        const int w = std::max(1, int(std::lround(width * shrink)));
        const int h = std::max(1, int(std::lround(height * shrink)));
        const int steps = p.steps - (o == fromOctave ? std::clamp(fromStep, 0, p.steps) : 0);
        total += steps * secondsPerStep(key, w, h, p.tileSize);
    }
    return total;
}

}  // namespace inceptionist::ui
