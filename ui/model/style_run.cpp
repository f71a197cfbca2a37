#include "ui/model/style_run.h"

#include <algorithm>

#include "core/render/style_transfer.h"

namespace inceptionist::ui {

namespace {

constexpr double kDreamStepsPerIteration = 2.0;

DreamProgress asDreamProgress(const StyleProgress& s) {
    DreamProgress d;
    d.octave = s.stage;
    d.octaves = s.stages;
    d.step = s.iteration;
    d.steps = s.iterations;
    d.stepsDone = s.iterationsDone;
    d.stepsTotal = s.iterationsTotal;
    d.loss = s.loss;
    d.width = s.width;
    d.height = s.height;
    d.tile = s.tile;
    d.tiles = s.tiles;
    return d;
}

}  // namespace

cv::Mat paintStyle(const Network& network, const cv::Mat& source, const DreamParams& params,
                   const DreamCallbacks& callbacks, const CancelToken& cancel, int printSize) {
    StyleCallbacks style;
    style.previewIntervalSeconds = callbacks.previewIntervalSeconds;
    if (callbacks.progress)
        style.progress = [&](const StyleProgress& p) { callbacks.progress(asDreamProgress(p)); };
    if (callbacks.tileDone)
        style.tileDone = [&](const StyleProgress& p) { callbacks.tileDone(asDreamProgress(p)); };
    if (callbacks.preview)
        style.preview = [&](const cv::Mat& image, const StyleProgress& p) {
            callbacks.preview(image, asDreamProgress(p));
        };
    return PreparedStyle(network, params).run(source, style, cancel, printSize);
}

cv::Mat renderStep(const Network& network, const cv::Mat& source, const DreamParams& params,
                   const DreamCallbacks& callbacks, const CancelToken& cancel, int printSize) {
    if (params.mode == "style")
        return paintStyle(network, source, params, callbacks, cancel, printSize);
    return dream(network, source, params, callbacks, cancel);
}

double progressFraction(const DreamProgress& p, const DreamParams& params) {
    if (params.mode != "style") return workFraction(p, params.octaveScale);
    if (p.stepsTotal <= 0) return 0;
    // The iteration under way counts by its finished tiles, as a dream's step does.
    const double tile = p.tiles > 1 ? static_cast<double>(p.tile) / p.tiles : 0.0;
    return std::clamp((p.stepsDone + tile) / p.stepsTotal, 0.0, 1.0);
}

double styleMegapixelSteps(const DreamParams& params, int width, int height, int printSize) {
    const int longSide = std::max(width, height);
    if (longSide <= 0) return 0;
    double work = 0;
    for (const StyleStage& s :
         styleStages(params.workingSize, params.style.iterations, printSize)) {
        const double f = static_cast<double>(s.longSide) / longSide;
        work += width * f * height * f / 1e6 * s.iterations * kDreamStepsPerIteration;
    }
    return work;
}

}  // namespace inceptionist::ui
