#pragma once
// The machine's convolution ceiling: GFLOP/s of a large plain 3×3 convolution forward pass in
// libtorch, laid out as the engine lays out its tensors.

namespace inceptionist::bench {

double convolutionCeilingGflops();

}  // namespace inceptionist::bench
