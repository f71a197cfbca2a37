#pragma once
// A picture parameterised in a decorrelated Fourier basis ("Differentiable Image
// Parameterizations", Mordvintsev et al., Distill 2018): rgb = sigmoid(M · irfft2(P · s)), with
// M a colour decorrelation (the square root of ImageNet's RGB covariance, as in Lucid) and s a
// 1/f scaling of each frequency. Optimising P rather than the pixels is a preconditioner: broad
// areas and colours move fast, pixel-level patterns slowly, so a network that is not VGG paints
// strokes rather than fine noise and checkerboards.
//
// Engine-private: includes libtorch.

#include <torch/torch.h>

namespace inceptionist {

class FourierImage {
public:
    // Parameters that reproduce `rgb` (1×3×H×W in [0, 1]; values are kept within [0.01, 0.99],
    // where the sigmoid can reach them).
    explicit FourierImage(const torch::Tensor& rgb);
    // The optimiser's parameter (real view of the spectrum), with requires_grad.
    torch::Tensor& parameter() { return spectrum_; }
    // The picture, 1×3×H×W in (0, 1), differentiable with respect to parameter().
    torch::Tensor image() const;

private:
    torch::Tensor spectrum_, scale_, colours_;
    int64_t height_, width_;
};

}  // namespace inceptionist
