#pragma once
// The machine's convolution ceiling: GFLOP/s of a large plain 3×3 convolution forward pass in
// libtorch, laid out as the engine lays out its tensors.

namespace inceptionist::bench {

double convolutionCeilingGflops();

// The same convolution through the engine's own oneDNN kernel (Winograd on this layer where the
// CPU has it), counted in the direct convolution's FLOPs: what "effective" GFLOP/s means in the
// step figure. 0 in a build without oneDNN.
double engineConvolutionGflops();

}  // namespace inceptionist::bench
