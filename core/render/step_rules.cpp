#include <torch/torch.h>

#include "core/engine/network.h"
#include "core/render/step_rule.h"

namespace inceptionist {
namespace {

constexpr double kGradientEpsilon = 1e-8;  // keeps the normalisation finite on a flat gradient

// The gradient buffer a rule fills: one per image size, reused between steps, since at print
// size it is as large as the image.
torch::Tensor& bufferFor(torch::Tensor& buffer, const torch::Tensor& image) {
    if (!buffer.defined() || buffer.sizes() != image.sizes() || buffer.device() != image.device())
        buffer = torch::empty_like(image);
    return buffer;
}

class NormalisedAscent : public StepRule {
public:
    explicit NormalisedAscent(double stepSize) : stepSize_(stepSize) {}
    double step(torch::Tensor& image, bool maximise, const GradientFunction& gradient) override {
        torch::Tensor& grad = bufferFor(grad_, image);
        const double loss = gradient(image, grad);
        torch::NoGradGuard noGrad;
        double meanAbs = 0;
        {
            const NominalThreadCount sameSumsAtAnyLoad;  // the norm's rounding: see network.h
            meanAbs = at::linalg_vector_norm(grad, 1).item<double>() / grad.numel();
        }
        if (weight_.defined()) grad.mul_(weight_);
        const double direction = maximise ? 1.0 : -1.0;
        image.add_(grad, direction * stepSize_ / (meanAbs + kGradientEpsilon)).clamp_(0.0, 1.0);
        return loss;
    }
    void reset() override { grad_ = torch::Tensor(); }

private:
    double stepSize_;
    torch::Tensor grad_;
};

// Runs one of libtorch's optimisers on the image itself: the image is the optimiser's only
// parameter, and the gradient function supplies its gradient (negated for ascent, as the
// optimisers descend).
class OptimiserStep : public StepRule {
public:
    using Factory = std::function<std::unique_ptr<torch::optim::Optimizer>(torch::Tensor)>;
    explicit OptimiserStep(Factory factory) : factory_(std::move(factory)) {}

    double step(torch::Tensor& image, bool maximise, const GradientFunction& gradient) override {
        // The optimisers flatten their parameter, so it is a contiguous copy of a channels-last
        // image (the image itself where it already is contiguous), copied back after each step.
        if (!optimiser_ || !image_.is_same(image)) {
            image_ = image;
            param_ = image.contiguous();
            grad_ = torch::empty_like(param_);
            optimiser_ = factory_(param_);
        } else if (!param_.is_same(image)) {
            param_.copy_(image);
        }
        double loss = 0;
        auto closure = [&]() -> torch::Tensor {
            loss = gradient(param_, grad_);
            if (weight_.defined()) grad_.mul_(weight_);
            param_.mutable_grad() = maximise ? -grad_ : grad_;
            return torch::tensor(maximise ? -loss : loss, torch::kDouble);
        };
        optimiser_->step(closure);
        torch::NoGradGuard noGrad;
        param_.clamp_(0.0, 1.0);
        if (!param_.is_same(image)) image.copy_(param_);
        return loss;
    }
    void reset() override {
        optimiser_.reset();
        image_ = param_ = grad_ = torch::Tensor();
    }

private:
    Factory factory_;
    std::unique_ptr<torch::optim::Optimizer> optimiser_;
    torch::Tensor image_, param_, grad_;
};

}  // namespace

std::unique_ptr<StepRule> normalisedAscent(double stepSize) {
    return std::make_unique<NormalisedAscent>(stepSize);
}

std::unique_ptr<StepRule> adamStep(double rate) {
    return std::make_unique<OptimiserStep>([rate](torch::Tensor p) {
        return std::make_unique<torch::optim::Adam>(std::vector<torch::Tensor>{p},
                                                    torch::optim::AdamOptions(rate));
    });
}

std::unique_ptr<StepRule> lbfgsStep(double rate, int iterations) {
    return std::make_unique<OptimiserStep>([rate, iterations](torch::Tensor p) {
        return std::make_unique<torch::optim::LBFGS>(
            std::vector<torch::Tensor>{p},
            torch::optim::LBFGSOptions(rate).max_iter(iterations).line_search_fn("strong_wolfe"));
    });
}

}  // namespace inceptionist
