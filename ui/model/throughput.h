#pragma once
// How long dreaming takes on this machine, measured by the session's own dreams: for each model
// and set of layers, the time of an ascent step against the image's size. A step costs a fixed
// part per tile (the network's calls) plus a part per pixel, so a fit of both to octaves of
// different sizes carries from the small working size to the print's. No figure is given
// until it is sound: until octaves of two clearly different sizes have been measured.

#include <map>
#include <vector>

#include <QString>

#include "core/params/dream_params.h"

namespace inceptionist::ui {

class Throughput {
public:
    static QString keyOf(const DreamParams& p);  // the model and layers: what sets the cost
    static int tilesOf(int width, int height, int tileSize);

    // `steps` ascent steps of a `width`×`height` octave took `seconds`.
    void add(const QString& key, int width, int height, int tileSize, int steps, double seconds);
    // Seconds per step of a width×height image; negative until sound.
    double secondsPerStep(const QString& key, int width, int height, int tileSize) const;
    // The dream `p` whose largest octave is width×height, from octave `fromOctave` and step
    // `fromStep` on (0, 0: the whole dream); negative until sound.
    double dreamSeconds(const DreamParams& p, int width, int height, int fromOctave = 0,
                        int fromStep = 0) const;

private:
    struct Sample {
        double tiles, megapixels, secondsPerStep, weight;
    };
    struct Fit {
        double perTile = 0, perMegapixel = 0;
        bool sound = false;
    };
    Fit fit(const QString& key) const;

    std::map<QString, std::vector<Sample>> samples_;
};

}  // namespace inceptionist::ui
