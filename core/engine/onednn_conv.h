#pragma once
// An ungrouped convolution on NHWC images through oneDNN directly, forward and for the input
// gradient, with its weights laid out for oneDNN once instead of on every call (libtorch reorders
// them each time) and the bias and ReLU fused into the kernel.
//
// 3×3 stride-1 layers with enough channels run oneDNN's Winograd kernels, F(4×4, 3×3): about
// twice the speed of direct convolution on the layers that carry most of InceptionV3's work.
// Those kernels work only in oneDNN's blocked channel layout, so such a call reorders its input
// and output (cheap next to the arithmetic saved). The input gradient of other stride-1 layers is
// itself a forward convolution (kernel flipped in space, in and out swapped), the fastest kernel
// oneDNN has; strided layers use oneDNN's backward-data kernel.
//
// No libtorch here: the engine wraps this in its own autograd node.

#include <memory>

namespace inceptionist {

struct ConvGeometry {
    int in = 0, out = 0;  // channels
    int kh = 1, kw = 1, sh = 1, sw = 1;
    int padTop = 0, padBottom = 0, padLeft = 0, padRight = 0;
    int outH(int h) const { return (h + padTop + padBottom - kh) / sh + 1; }
    int outW(int w) const { return (w + padLeft + padRight - kw) / sw + 1; }
};

class OneDnnConv {
public:
    // `weight` is [out][in][kh][kw], `bias` holds `out` values or is null. Null in a build
    // without oneDNN.
    static std::unique_ptr<OneDnnConv> create(const ConvGeometry& geometry, const float* weight,
                                              const float* bias);
    ~OneDnnConv();
    OneDnnConv(const OneDnnConv&) = delete;
    OneDnnConv& operator=(const OneDnnConv&) = delete;

    const ConvGeometry& geometry() const;
    bool winograd() const;

    // y = conv(x) + bias, then min(max(y, 0), reluCap) where reluCap > 0 (infinity: a plain
    // ReLU). x is one NHWC image of h×w×in; y is NHWC. Safe to call from several threads.
    void forward(const float* x, int h, int w, float* y, double reluCap) const;
    // The gradient with respect to x (NHWC h×w×in) of a function of y, from its gradient
    // with respect to y (NHWC, before any ReLU: the caller has already carried it through).
    void inputGradient(const float* dy, int h, int w, float* dx) const;

    struct Impl;

private:
    explicit OneDnnConv(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace inceptionist
