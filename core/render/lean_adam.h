#pragma once
// Adam (Kingma and Ba 2015) for pictures too large for libtorch's own: the two moments are kept
// in bfloat16 (6 bytes a pixel rather than 24 for the state, the step's temporaries included),
// and the update runs in bands of rows in place, so no temporary the size of the picture is
// made. Used for the finest stages of a styled print (core/render/style_transfer.cpp).
//
// Engine-private: includes libtorch.

#include <torch/torch.h>

namespace inceptionist {

class LeanAdam {
public:
    // For pictures shaped like `picture` (1×3×H×W float); `rate` in pixel units.
    LeanAdam(const torch::Tensor& picture, double rate, double beta1 = 0.9, double beta2 = 0.999,
             double epsilon = 1e-8);
    // One step down `grad` (the loss's gradient at `picture`), in place, kept within [0, 1].
    void step(torch::Tensor& picture, const torch::Tensor& grad);
    // Bytes of state per value of the picture.
    static constexpr double kStateBytesPerValue = 2 * 2;

private:
    torch::Tensor first_, second_;  // the moments, bfloat16
    double rate_, beta1_, beta2_, epsilon_;
    int steps_ = 0;
};

}  // namespace inceptionist
