#include "bench/conv_ceiling.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include <torch/torch.h>

namespace inceptionist::bench {

namespace {
constexpr int64_t kChannels = 256;  // in and out
constexpr int64_t kSide = 128;      // input height and width
constexpr int kRepeats = 5;
}  // namespace

double convolutionCeilingGflops() {
    torch::NoGradGuard noGrad;
    auto x =
        torch::randn({1, kChannels, kSide, kSide}).contiguous(torch::MemoryFormat::ChannelsLast);
    auto w =
        torch::randn({kChannels, kChannels, 3, 3}).contiguous(torch::MemoryFormat::ChannelsLast);
    const double flops = 2.0 * kChannels * kChannels * 9 * kSide * kSide;
    torch::conv2d(x, w, {}, 1, 1);  // warm-up: oneDNN builds its kernel on first use
    std::vector<double> seconds;
    for (int i = 0; i < kRepeats; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        auto y = torch::conv2d(x, w, {}, 1, 1);
        seconds.push_back(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(seconds.begin(), seconds.end());
    return flops / seconds[kRepeats / 2] / 1e9;
}

}  // namespace inceptionist::bench
