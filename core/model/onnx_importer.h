#pragma once
// The ONNX importer: a ModelProto (read with the ONNX project's own protobuf classes) turned
// into the neutral ModelGraph. Each graph node that computes on the image becomes a layer named
// by its first output, which is how layers are addressed; initialisers and Constant nodes become
// weights; subgraphs that compute only shapes or pads from constants (PyTorch exports emit them:
// Shape, Gather, ConstantOfShape, Slice, Concat feeding a Pad) are evaluated at import. Weights
// are read from the file, from external data files beside it, or as float16 or float64. ONNX's
// conventions already are the graph's: NCHW, OIHW kernels, explicit pads, C, H, W flatten order.

#include <filesystem>

#include "core/model/model_graph.h"
#include "core/params/cancel_token.h"

namespace inceptionist {

// Reads and converts `file`. Throws Error(ErrorKind::Model) naming the file and, where one is to
// blame, the node and its operator type: an unsupported operator or attribute, a file that is
// truncated or damaged, a weight missing or with the wrong size, an external data file missing
// or too short. `cancel` is checked between nodes (Error(Cancelled)).
ModelGraph importOnnx(const std::filesystem::path& file, const CancelToken* cancel = nullptr);

// A quick look for listing models: the file parses as an ONNX model with a graph, and every
// external data file it names is there and long enough. Throws as importOnnx.
void checkOnnxModelFiles(const std::filesystem::path& file);

// The input's height and width as the file declares them (0 where not fixed), without
// converting the graph.
std::pair<int, int> onnxDeclaredInputSize(const std::filesystem::path& file);

}  // namespace inceptionist
