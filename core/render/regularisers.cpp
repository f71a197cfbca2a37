#include "core/render/regularisers.h"

#include <cmath>

namespace inceptionist {
namespace F = torch::nn::functional;

TileTransform randomZoomRotation(double maxScale, double maxDegrees, std::mt19937_64& rng) {
    if (maxScale <= 0 && maxDegrees <= 0) return {};
    std::uniform_real_distribution<double> unit(-1.0, 1.0);
    const double scale = 1.0 + maxScale * unit(rng);
    const double angle = maxDegrees * unit(rng) * M_PI / 180.0;
    return [scale, angle](const torch::Tensor& x) {
        // affine_grid works in coordinates normalised to [-1, 1] on each axis; a rotation by
        // `angle` in pixels is D⁻¹·R·D there, with D = diag(W, H) / 2.
        const double h = static_cast<double>(x.size(2)), w = static_cast<double>(x.size(3));
        const double c = std::cos(angle) / scale, s = std::sin(angle) / scale;
        const auto theta = torch::tensor({c, -s * h / w, 0.0, s * w / h, c, 0.0},
                                         x.options().memory_format(torch::MemoryFormat::Contiguous))
                               .reshape({1, 2, 3});
        const auto grid = F::affine_grid(theta, x.sizes(), /*align_corners=*/false);
        return F::grid_sample(x, grid,
                              F::GridSampleFuncOptions()
                                  .mode(torch::kBilinear)
                                  .padding_mode(torch::kReflection)
                                  .align_corners(false));
    };
}

void gaussianBlur(torch::Tensor& image, double sigma) {
    if (sigma <= 0) return;
    torch::NoGradGuard noGrad;
    const int64_t radius = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(3 * sigma)));
    std::vector<float> taps(static_cast<size_t>(2 * radius + 1));
    double sum = 0;
    for (int64_t i = -radius; i <= radius; ++i)
        sum += taps[static_cast<size_t>(i + radius)] =
            static_cast<float>(std::exp(-0.5 * double(i * i) / (sigma * sigma)));
    for (float& t : taps) t = static_cast<float>(t / sum);
    const auto kernel =
        torch::tensor(taps, image.options().memory_format(torch::MemoryFormat::Contiguous));
    const int64_t channels = image.size(1);
    auto x =
        F::pad(image, F::PadFuncOptions({radius, radius, radius, radius}).mode(torch::kReplicate));
    x = F::conv2d(x, kernel.view({1, 1, -1, 1}).repeat({channels, 1, 1, 1}),
                  F::Conv2dFuncOptions().groups(channels));
    x = F::conv2d(x, kernel.view({1, 1, 1, -1}).repeat({channels, 1, 1, 1}),
                  F::Conv2dFuncOptions().groups(channels));
    image.copy_(x);
}

}  // namespace inceptionist
