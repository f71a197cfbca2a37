#include "bench/conv_ceiling.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include <torch/torch.h>

#include "core/engine/onednn_conv.h"

namespace inceptionist::bench {

namespace {

constexpr int64_t kChannels = 256;  // in and out
constexpr int64_t kSide = 128;      // input height and width
constexpr int kRepeats = 5;
constexpr double kFlops = 2.0 * kChannels * kChannels * 9 * kSide * kSide;

// GFLOP/s of `convolve`, one run of the ceiling's convolution: the median of a few runs after a
// warm-up (oneDNN builds its kernel on first use).
template <typename F>
double medianGflops(F convolve) {
    convolve();
    std::vector<double> seconds;
    for (int i = 0; i < kRepeats; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        convolve();
        seconds.push_back(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(seconds.begin(), seconds.end());
    return kFlops / seconds[kRepeats / 2] / 1e9;
}

}  // namespace

double convolutionCeilingGflops() {
    torch::NoGradGuard noGrad;
    auto x =
        torch::randn({1, kChannels, kSide, kSide}).contiguous(torch::MemoryFormat::ChannelsLast);
    auto w =
        torch::randn({kChannels, kChannels, 3, 3}).contiguous(torch::MemoryFormat::ChannelsLast);
    return medianGflops([&] { torch::conv2d(x, w, {}, 1, 1); });
}

double engineConvolutionGflops() {
    ConvGeometry g;
    g.in = g.out = kChannels;
    g.kh = g.kw = 3;
    g.padTop = g.padBottom = g.padLeft = g.padRight = 1;
    auto w = torch::randn({kChannels, kChannels, 3, 3});
    auto x =
        torch::randn({1, kChannels, kSide, kSide}).contiguous(torch::MemoryFormat::ChannelsLast);
    auto y = torch::empty_like(x);
    const auto conv = OneDnnConv::create(g, w.data_ptr<float>(), nullptr);
    if (!conv) return 0;
    return medianGflops(
        [&] { conv->forward(x.data_ptr<float>(), kSide, kSide, y.data_ptr<float>(), 0); });
}

}  // namespace inceptionist::bench
