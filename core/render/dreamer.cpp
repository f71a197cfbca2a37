#include "core/render/dreamer.h"

#include <chrono>
#include <cmath>
#include <random>

#include <opencv2/imgproc.hpp>

#include "core/io/image_io.h"
#include "core/params/dream_mask.h"
#include "core/params/errors.h"
#include "core/render/objective.h"
#include "core/render/regularisers.h"
#include "core/render/step_rule.h"

namespace inceptionist {
namespace F = torch::nn::functional;

double workFraction(const DreamProgress& r, double octaveScale) {
    // Octave o (0 = smallest) has scale^-2(octaves-1-o) of the last octave's pixels.
    double total = 0, done = 0;
    for (int o = 0; o < r.octaves; ++o) {
        const double w = std::pow(octaveScale, -2.0 * (r.octaves - 1 - o));
        total += w * r.steps;
        if (o < r.octave) done += w * r.steps;
        if (o == r.octave) done += w * (r.step + (r.tiles > 0 ? double(r.tile) / r.tiles : 0.0));
    }
    return total > 0 ? std::min(1.0, done / total) : 1.0;
}

cv::Mat dreamStart(const cv::Mat& source, const DreamParams& p) {
    if (!p.startFromNoise) {
        if (source.empty()) throw Error(ErrorKind::Input, "no image to dream on");
        if (std::max(source.cols, source.rows) == p.workingSize && source.isContinuous())
            return source;  // shared, not copied: a print-size source is large
        cv::Mat base = resizeLongSide(source, p.workingSize);
        cv::min(cv::max(base, 0.0), 1.0, base);  // cubic upscaling overshoots
        return base;
    }
    // Noise keeps the source's aspect ratio (square without a source).
    const double aspect = source.empty() ? 1.0 : static_cast<double>(source.cols) / source.rows;
    const int w = aspect >= 1 ? p.workingSize
                              : std::max(1, static_cast<int>(std::lround(p.workingSize * aspect)));
    const int h = aspect >= 1 ? std::max(1, static_cast<int>(std::lround(p.workingSize / aspect)))
                              : p.workingSize;
    cv::Mat noise(h, w, CV_32FC3);
    cv::RNG rng(p.seed ^ 0x9E3779B97F4A7C15ull);
    rng.fill(noise, cv::RNG::NORMAL, cv::Scalar::all(0.5), cv::Scalar::all(0.1));
    cv::min(cv::max(noise, 0.0), 1.0, noise);
    return noise;
}

cv::Mat blended(const cv::Mat& dream, const cv::Mat& start, double blend) {
    if (blend >= 1.0 || dream.size() != start.size()) return dream;
    cv::Mat out;
    cv::addWeighted(dream, blend, start, 1.0 - blend, 0.0, out);
    return out;
}

struct PreparedDream::State {
    const Network* network;
    DreamParams params;
    std::shared_ptr<const Objective> objective;
    int minimum = 0;
    StepRuleFactory stepRule;
    cv::Mat mask;  // CV_32FC1 in [0, 1] as stored; empty: the dream grows everywhere
};

namespace {
// The dream objective of `params`, checked first, so a parameter out of range is reported before
// a layer is looked up.
std::shared_ptr<const Objective> validatedDreamObjective(const Network& network,
                                                         const DreamParams& params) {
    params.validate();
    return std::make_shared<Objective>(dreamObjective(network, params));
}

// What an early octave shows: its detail (the octave's image less its source), enlarged and laid
// over the sharp starting image, as the next octave takes it up. The small octave image enlarged
// showed the whole picture blurred until the last octave, and what a mask keeps as the photo
// blurred too.
cv::Mat previewAtFullSize(const cv::Mat& octaveImage, const cv::Mat& octaveSource,
                          const cv::Mat& base) {
    if (octaveImage.size() == base.size()) return octaveImage;
    cv::Mat detail = octaveImage - octaveSource;
    cv::resize(detail, detail, base.size(), 0, 0, cv::INTER_LINEAR);
    cv::Mat out = base + detail;
    cv::min(cv::max(out, 0.0), 1.0, out);
    return out;
}

}  // namespace

PreparedDream::PreparedDream(const Network& network, const DreamParams& params,
                             const CancelToken& cancel)
    : PreparedDream(network, params, validatedDreamObjective(network, params), cancel) {}

PreparedDream::PreparedDream(const Network& network, const DreamParams& params,
                             std::shared_ptr<const Objective> objective, const CancelToken& cancel)
    : state_(std::make_shared<State>()) {
    params.validate();
    state_->network = &network;
    state_->params = params;
    state_->minimum = network.graph().minimumInputSize(objective->nodes());
    if (params.tileSize < state_->minimum)
        throw Error(ErrorKind::Parameter, "tile_size is " + std::to_string(params.tileSize) +
                                              "; the chosen layers need tiles of at least " +
                                              std::to_string(state_->minimum) + " px");
    {
        const Network::ThreadGuard exclusive(network);
        objective->prepare(network, cancel);
    }
    state_->objective = std::move(objective);
    state_->mask = decodeMask(params.mask);
    const double stepSize = params.stepSize;
    state_->stepRule = [stepSize] { return normalisedAscent(stepSize); };
}

PreparedDream::~PreparedDream() = default;

void PreparedDream::setStepRule(StepRuleFactory factory) { state_->stepRule = std::move(factory); }
const DreamParams& PreparedDream::params() const { return state_->params; }
int PreparedDream::minimumSize() const { return state_->minimum; }

cv::Mat PreparedDream::gradient(const cv::Mat& rgb) const {
    const Network& net = *state_->network;
    const Network::ThreadGuard exclusive(net);
    net.graph().inferShapes(state_->objective->nodes(), rgb.rows, rgb.cols);  // a clear error
    auto image = imageToTensor(rgb, net.impl().device);
    auto grad = torch::empty_like(image);
    GradientRequest whole;
    whole.tileSize = std::max(rgb.rows, rgb.cols);
    objectiveGradient(net, *state_->objective, image, grad, whole);
    return tensorToImage(grad);
}

cv::Mat PreparedDream::run(const cv::Mat& source, const DreamCallbacks& callbacks,
                           const CancelToken& cancel) const {
    const Network& net = *state_->network;
    const Network::ThreadGuard exclusive(net);
    const DreamParams& p = state_->params;
    const Objective& objective = *state_->objective;
    const int minimum = state_->minimum;
    const auto& impl = net.impl();
    const cv::Mat base = dreamStart(source, p);
    if (std::min(base.rows, base.cols) < minimum)
        throw Error(ErrorKind::Parameter, "the dream is " + std::to_string(base.cols) + "×" +
                                              std::to_string(base.rows) +
                                              " px; the chosen layers need at least " +
                                              std::to_string(minimum) + " px on each side");

    // Octave sizes, smallest first; those below the network's minimum are left out.
    std::vector<cv::Size> sizes;
    for (int o = p.octaves - 1; o >= 0; --o) {
        const double f = std::pow(p.octaveScale, -o);
        const cv::Size s(static_cast<int>(std::lround(base.cols * f)),
                         static_cast<int>(std::lround(base.rows * f)));
        if (std::min(s.width, s.height) >= minimum) sizes.push_back(s);
    }

    // Whole layers are dreamt with the roll's edges mirrored, so no false edge forms where it
    // would wrap (a band of blobs along the top with low layers: fault 9). Single channels keep
    // the wrapping roll: with mirrored edges a weak channel (mixed3 #5 on horses.jpg at 160 px)
    // no longer rose in its own dream (-0.03 instead of +0.20; test_dreamer).
    bool mirrorRoll = p.mode == "dream";
    for (const auto& layer : p.layers) mirrorRoll = mirrorRoll && layer.channels.empty();
    std::mt19937_64 rng(p.seed);
    std::uniform_int_distribution<int> roll(-p.jitter, p.jitter);
    // The tile grid moves every step by its own random offset, not only with the jitter: with
    // little or no jitter a fixed grid leaves bands of less detail along its lines, where every
    // tile sees the image's edge instead of its surroundings. A generator of its own keeps the
    // jitter's sequence, and so every untiled dream, as it was.
    std::mt19937_64 gridRng(p.seed ^ 0x6A09E667F3BCC908ull);
    std::uniform_int_distribution<int64_t> gridOffset(0, p.tileSize - 1);
    // The random zoom and rotation draw from a generator of their own too, for the same reason.
    std::mt19937_64 transformRng(p.seed ^ 0xBB67AE8584CAA73Bull);
    DreamProgress progress;
    progress.octaves = static_cast<int>(sizes.size());
    progress.steps = p.steps;
    progress.stepsTotal = progress.octaves * p.steps;
    const bool maximise = objective.direction() == Objective::Direction::Maximise;

    // Full-size tensors are channels-last, the layout of OpenCV's images and of the network's
    // input, and updated in place: a print-size dream holds the source, the image and its
    // gradient, and little else besides one tile's activations.
    torch::Tensor image;  // becomes the detail (image - source) at the end of each octave
    auto lastPreview = std::chrono::steady_clock::now() - std::chrono::hours(1);
    for (size_t o = 0; o < sizes.size(); ++o) {
        cv::Mat octaveSource = base;
        if (sizes[o] != base.size()) cv::resize(base, octaveSource, sizes[o], 0, 0, cv::INTER_AREA);
        const auto src = imageToTensor(octaveSource, impl.device);
        if (image.defined()) {
            image = F::interpolate(image,
                                   F::InterpolateFuncOptions()
                                       .size(std::vector<int64_t>{sizes[o].height, sizes[o].width})
                                       .mode(torch::kBilinear)
                                       .align_corners(false));
            image.add_(src).clamp_(0.0, 1.0);
        } else {
            image = src.clone(torch::MemoryFormat::ChannelsLast);
        }
        const auto rule = state_->stepRule();
        torch::Tensor weight;  // the mask at this octave, feathered
        if (!state_->mask.empty()) {
            cv::Mat m = maskAt(state_->mask, sizes[o], p.maskFeather);
            weight = torch::from_blob(m.data, {1, 1, m.rows, m.cols}, torch::kFloat)
                         .to(impl.device, /*non_blocking=*/false, /*copy=*/true);
            rule->setGradientWeight(weight);
        }
        progress.octave = static_cast<int>(o);
        progress.step = 0;
        progress.width = sizes[o].width;
        progress.height = sizes[o].height;
        progress.tiles = tileCount(sizes[o].height, sizes[o].width, p.tileSize);
        for (int step = 0; step < p.steps; ++step) {
            progress.step = step;
            progress.tile = 0;
            GradientRequest request;
            request.tileSize = p.tileSize;
            request.rollY = roll(rng);
            request.rollX = roll(rng);
            request.mirrorRoll = mirrorRoll;
            if (progress.tiles > 1) {
                request.gridY = gridOffset(gridRng);
                request.gridX = gridOffset(gridRng);
            }
            request.cancel = cancel;
            request.transform = randomZoomRotation(p.randomScale, p.randomRotation, transformRng);
            if (callbacks.tileDone && progress.tiles > 1)
                request.tileDone = [&](int done, int) {
                    progress.tile = done;
                    callbacks.tileDone(progress);
                };
            progress.rollX = static_cast<int>(request.rollX);
            progress.rollY = static_cast<int>(request.rollY);
            progress.gridX = static_cast<int>(request.gridX);
            progress.gridY = static_cast<int>(request.gridY);
            const double loss =
                rule->step(image, maximise, [&](const torch::Tensor& x, torch::Tensor& grad) {
                    return objectiveGradient(net, objective, x, grad, request);
                });
            if (weight.defined() && p.blur > 0) {
                // The blur smooths only where the dream may grow.
                torch::NoGradGuard noGrad;
                const torch::Tensor before = image.clone();
                gaussianBlur(image, p.blur);
                image.sub_(before).mul_(weight).add_(before);
            } else {
                gaussianBlur(image, p.blur);
            }
            progress.step = step + 1;
            progress.tile = 0;
            ++progress.stepsDone;
            progress.loss = loss;
            if (callbacks.progress) callbacks.progress(progress);
            const auto now = std::chrono::steady_clock::now();
            const bool due = std::chrono::duration<double>(now - lastPreview).count() >=
                             callbacks.previewIntervalSeconds;
            if (callbacks.preview && (due || step + 1 == p.steps)) {
                lastPreview = now;
                callbacks.preview(
                    blended(previewAtFullSize(tensorToImage(image), octaveSource, base), base,
                            p.blend),
                    progress);
            }
        }
        torch::NoGradGuard noGrad;
        if (o + 1 < sizes.size()) image.sub_(src);  // the detail this octave added
    }
    if (!image.defined()) return base.clone();
    cv::Mat result = tensorToImage(image);
    if (result.size() != base.size())
        cv::resize(result, result, base.size(), 0, 0, cv::INTER_CUBIC);
    return blended(result, base, p.blend);
}

cv::Mat dream(const Network& net, const cv::Mat& source, const DreamParams& p,
              const DreamCallbacks& callbacks, const CancelToken& cancel) {
    return PreparedDream(net, p, cancel).run(source, callbacks, cancel);
}

}  // namespace inceptionist
