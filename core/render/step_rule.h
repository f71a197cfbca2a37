#pragma once
// The seam for how the pixels move once the gradient is known. A dream climbs its objective by
// normalised ascent (the step size means the same on every layer and size); a loss such as a
// style's distance is descended with one of libtorch's optimisers, Adam or L-BFGS, whose state
// lives in the rule between steps. Every rule keeps the pixels in [0, 1].
//
// Engine-private: includes libtorch. A rule belongs to one image tensor (one octave): reset()
// starts it afresh on a new one.

#include <functional>
#include <memory>
#include <string>

#include <torch/torch.h>

namespace inceptionist {

// Evaluates the objective at `image` and writes its gradient (with respect to the pixels, in
// the direction that lowers the loss for descent, raises it for ascent) into `grad`. Returns
// the objective's value.
using GradientFunction = std::function<double(const torch::Tensor& image, torch::Tensor& grad)>;

class StepRule {
public:
    virtual ~StepRule() = default;
    // Moves `image` (updated in place) by one step; may evaluate the gradient more than once.
    // `maximise`: climb the objective rather than descend it. Returns the objective's value.
    virtual double step(torch::Tensor& image, bool maximise, const GradientFunction& gradient) = 0;
    // Forgets what earlier steps learnt (a new octave, a new image).
    virtual void reset() {}
    // Multiplies every gradient by `weight` (1×1×h×w, the dream's mask at this octave; undefined:
    // none) before it moves the pixels. Normalised ascent still divides by the unweighted
    // gradient's mean, so where the mask is 1 the dream grows as strongly as without one.
    void setGradientWeight(torch::Tensor weight) { weight_ = std::move(weight); }

protected:
    torch::Tensor weight_;
};

// Today's dream rule: image += stepSize × g / mean|g|, clipped to [0, 1].
std::unique_ptr<StepRule> normalisedAscent(double stepSize);
// libtorch's Adam with learning rate `rate` in pixel units.
std::unique_ptr<StepRule> adamStep(double rate);
// libtorch's L-BFGS; `iterations` evaluations of the gradient at most per step.
std::unique_ptr<StepRule> lbfgsStep(double rate, int iterations = 20);

}  // namespace inceptionist
