#include "core/render/lean_adam.h"

#include <algorithm>
#include <cmath>

namespace inceptionist {
namespace {
constexpr int64_t kBandRows = 64;  // rows updated at once: temporaries of a band only
}

LeanAdam::LeanAdam(const torch::Tensor& picture, double rate, double beta1, double beta2,
                   double epsilon)
    : rate_(rate), beta1_(beta1), beta2_(beta2), epsilon_(epsilon) {
    const auto options = picture.options().dtype(torch::kBFloat16);
    first_ = torch::zeros(picture.sizes(), options);
    second_ = torch::zeros(picture.sizes(), options);
}

void LeanAdam::step(torch::Tensor& picture, const torch::Tensor& grad) {
    torch::NoGradGuard noGrad;
    ++steps_;
    const double correction1 = 1.0 - std::pow(beta1_, steps_);
    const double correction2 = 1.0 - std::pow(beta2_, steps_);
    const int64_t rows = picture.size(2);
    for (int64_t top = 0; top < rows; top += kBandRows) {
        const int64_t n = std::min(kBandRows, rows - top);
        auto x = picture.narrow(2, top, n);
        const auto g = grad.narrow(2, top, n);
        auto m1 = first_.narrow(2, top, n);
        auto m2 = second_.narrow(2, top, n);
        auto first = m1.to(torch::kFloat).mul_(beta1_).add_(g, 1.0 - beta1_);
        auto second = m2.to(torch::kFloat).mul_(beta2_).addcmul_(g, g, 1.0 - beta2_);
        m1.copy_(first);
        m2.copy_(second);
        auto denominator = second.div_(correction2).sqrt_().add_(epsilon_);
        x.addcdiv_(first, denominator, -rate_ / correction1).clamp_(0.0, 1.0);
    }
}

}  // namespace inceptionist
