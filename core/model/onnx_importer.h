#pragma once
// The ONNX importer: a ModelProto (read with the ONNX project's own protobuf classes) turned
// into the neutral ModelGraph. Each graph node that computes on the image becomes a layer named
// by its first output, which is how layers are addressed; initialisers and Constant nodes become
// weights; subgraphs that compute only shapes or pads from constants (PyTorch exports emit them:
// Shape, Gather, ConstantOfShape, Slice, Concat feeding a Pad) are evaluated at import. Weights
// are read from the file, from external data files beside it, or as float16 or float64. ONNX's
// conventions already are the graph's: NCHW, OIHW kernels, explicit pads, C, H, W flatten order.

#include <filesystem>
#include <string>
#include <vector>

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

// What the file says of itself, without converting the graph.
struct OnnxFileFacts {
    std::string producer;  // e.g. "pytorch", "onnx-caffe2"
    int inputHeight = 0;   // as declared; 0 where not fixed
    int inputWidth = 0;
    std::vector<std::filesystem::path> externalData;  // files beside the model, relative
};
OnnxFileFacts onnxFileFacts(const std::filesystem::path& file);

// Caffe2's converter (the model zoo's GoogLeNet) names each node output after the Caffe blob with
// a counter: "inception_4c/output_1", the ReLU written over a convolution "conv2/3x3_2". Gives
// each its Caffe name ("conv2/3x3" for the last writer) as an alias; a no-op for other files.
void addCaffeBlobAliases(ModelGraph& graph);

}  // namespace inceptionist
