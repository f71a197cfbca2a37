#pragma once
// Max and average pooling on NHWC images through oneDNN's own kernels, forward and backward.
// libtorch's CPU pooling backward zeroes and scatters through an index tensor of 64-bit integers;
// oneDNN keeps a byte per output for the max and vectorises both passes: about twice the speed
// on the large pools of InceptionV3's stem. Padding is Keras's: the max ignores it, the average
// excludes it. No libtorch here: the engine wraps this in its own autograd node.

#include <cstddef>
#include <memory>

namespace inceptionist {

struct PoolGeometry {
    int channels = 0, h = 0, w = 0;  // input
    int kh = 1, kw = 1, sh = 1, sw = 1;
    int padTop = 0, padBottom = 0, padLeft = 0, padRight = 0;
    int outH() const { return (h + padTop + padBottom - kh) / sh + 1; }
    int outW() const { return (w + padLeft + padRight - kw) / sw + 1; }
    bool operator<(const PoolGeometry& o) const;
};

class OneDnnPool {
public:
    // Null in a build without oneDNN.
    static std::unique_ptr<OneDnnPool> create(bool average);
    ~OneDnnPool();
    OneDnnPool(const OneDnnPool&) = delete;
    OneDnnPool& operator=(const OneDnnPool&) = delete;

    // Bytes the backward pass needs kept from the forward pass (where the maxima were).
    size_t workspaceBytes(const PoolGeometry& g) const;
    // y (NHWC outH×outW×channels) from x (NHWC h×w×channels); fills `workspace` where
    // workspaceBytes() is not 0. Safe to call from several threads.
    void forward(const PoolGeometry& g, const float* x, float* y, void* workspace) const;
    // dx from dy, with the workspace of the forward pass.
    void backward(const PoolGeometry& g, const float* dy, float* dx, const void* workspace) const;

    struct Impl;

private:
    explicit OneDnnPool(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace inceptionist
