#pragma once
// Imported models on the engine's fast path: torchvision's GoogLeNet at 224 px (to
// inception4c) and VGG16's convolutional part at 512 px (to conv4_3), exported to ONNX with
// random weights by bench/export-torchvision-onnx.py on first use (cached under `cacheDir`).
// Prints the import time, one ascent step and its efficiency against the convolution ceiling.

#include <filesystem>

namespace inceptionist::bench {

void onnxSection(const std::filesystem::path& cacheDir);

}  // namespace inceptionist::bench
