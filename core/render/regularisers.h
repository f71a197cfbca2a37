#pragma once
// Regularisers that make pictures drawn from a classifier readable (as in the class
// visualisations of Yosinski et al. and tensorflow/lucid): a small random zoom and rotation of
// what the network sees at each step, so only features that survive them grow, and a slight
// blur of the image after each step, which damps the high frequencies gradient ascent favours.
// The jitter (a random roll) is the dreamer's own.
//
// Engine-private: includes libtorch.

#include <functional>
#include <random>

#include "core/engine/network_impl.h"

namespace inceptionist {

using TileTransform = std::function<torch::Tensor(const torch::Tensor&)>;

// A zoom by a factor in [1 - maxScale, 1 + maxScale] and a rotation by up to ±maxDegrees about
// the centre, drawn from `rng`, as a differentiable map of a 1×3×H×W image (bilinear, edges
// reflected). Empty where both are 0 (and nothing is drawn, so other random sequences stay).
TileTransform randomZoomRotation(double maxScale, double maxDegrees, std::mt19937_64& rng);

// Blurs `image` (1×3×H×W) in place with a Gaussian of `sigma` pixels, edges repeated.
void gaussianBlur(torch::Tensor& image, double sigma);

}  // namespace inceptionist
