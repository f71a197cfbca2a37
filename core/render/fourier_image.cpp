#include "core/render/fourier_image.h"

#include <cmath>

namespace inceptionist {
namespace {

// Lucid's colour correlation (the square root of ImageNet's RGB covariance), scaled so its
// largest column has unit norm.
torch::Tensor colourCorrelation(const torch::TensorOptions& options) {
    auto m = torch::tensor({0.26, 0.09, 0.02, 0.27, 0.00, -0.05, 0.27, -0.09, 0.03}, options)
                 .reshape({3, 3});
    return m / std::get<0>(m.norm(2, {0}).max(0));
}

// Applies a 3×3 colour matrix to a 1×3×H×W tensor.
torch::Tensor mixColours(const torch::Tensor& m, const torch::Tensor& x) {
    return torch::einsum("ij,bjhw->bihw", {m, x});
}

}  // namespace

FourierImage::FourierImage(const torch::Tensor& rgb) {
    torch::NoGradGuard noGrad;
    auto x = rgb.to(torch::kFloat).contiguous();
    height_ = x.size(2);
    width_ = x.size(3);
    const auto options = x.options();
    colours_ = colourCorrelation(options);
    auto fy = torch::fft::fftfreq(height_, options).unsqueeze(1);
    auto fx = torch::fft::rfftfreq(width_, options).unsqueeze(0);
    auto f = torch::sqrt(fy * fy + fx * fx);
    const double fmin = 1.0 / static_cast<double>(std::max(height_, width_));
    // 1/f: each frequency's step is in proportion to its share of a natural image's spectrum.
    scale_ = (fmin / f.clamp_min(fmin)) * std::sqrt(static_cast<double>(height_ * width_));
    auto logits = torch::logit(x.clamp(0.01, 0.99));
    auto z = mixColours(torch::linalg::inv(colours_), logits);
    auto spectrum = torch::fft::rfft2(z, c10::nullopt, {-2, -1}, "ortho") / scale_;
    spectrum_ = torch::view_as_real(spectrum).clone().requires_grad_(true);
}

torch::Tensor FourierImage::image() const {
    auto spectrum = torch::view_as_complex(spectrum_) * scale_;
    auto z = torch::fft::irfft2(spectrum, std::vector<int64_t>{height_, width_}, {-2, -1}, "ortho");
    return torch::sigmoid(mixColours(colours_, z));
}

}  // namespace inceptionist
