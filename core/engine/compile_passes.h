#pragma once
// The compiler's passes (see compiler.h), each a step over a network being built. Private to the
// engine's libtorch translation units.

#include "core/engine/network_impl.h"
#include "core/params/cancel_token.h"

namespace inceptionist::passes {

// The graph's weights as tensors on the CPU (taken over from the graph, not copied), batch norms
// as a scale and a shift; checks `cancel` between layers.
void convertWeights(Network::Impl& net, const CancelToken* cancel);
// The passes below decide over the whole graph what runs how; the arithmetic on weights they
// imply (folded weights, oneDNN kernels, the device layout) waits for prepareLayers.
void foldBatchNorm(Network::Impl& net);
void fuseActivations(Network::Impl& net);
void mergeSiblingConvolutions(Network::Impl& net);
void createKernels(Network::Impl& net);
// Moves the weights to the device; `channelsLast` lays convolution weights out channels-last
// first (the device layout pass; moving is not optional).
void deviceLayout(Network::Impl& net, bool channelsLast);

// Does the passes' weight work for `nodes` (and what they run: a folded convolution, the members
// of a merged group) unless done before; what a run does first. Safe to call from any thread.
void prepareLayers(Network::Impl& net, const std::vector<int>& nodes);

}  // namespace inceptionist::passes
