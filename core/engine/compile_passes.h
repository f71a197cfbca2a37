#pragma once
// The compiler's passes (see compiler.h), each a step over a network being built. Private to the
// engine's libtorch translation units.

#include "core/engine/network_impl.h"
#include "core/params/cancel_token.h"

namespace inceptionist::passes {

// The graph's weights as tensors on the CPU, batch norms as a scale and a shift; checks `cancel`
// between layers.
void convertWeights(Network::Impl& net, const CancelToken* cancel);
void foldBatchNorm(Network::Impl& net);
void fuseActivations(Network::Impl& net);
void mergeSiblingConvolutions(Network::Impl& net);
void createKernels(Network::Impl& net);
// Moves the weights to the device; `channelsLast` lays convolution weights out channels-last
// first (the device layout pass; moving is not optional).
void deviceLayout(Network::Impl& net, bool channelsLast);

}  // namespace inceptionist::passes
