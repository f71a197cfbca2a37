#pragma once
// The Keras layer graph of a loaded model, with each layer's settings parsed into typed fields
// and its weights attached. No libtorch here: this is what the runtime executes, what shape
// inference walks, and what the model list shows.

#include <filesystem>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "core/model/tfjs_reader.h"

namespace inceptionist {

enum class OpType {
    Input,
    Conv2D,
    DepthwiseConv2D,
    SeparableConv2D,
    BatchNorm,
    Activation,
    ReLU,
    ZeroPadding2D,
    MaxPool2D,
    AvgPool2D,
    GlobalAvgPool2D,
    Concatenate,
    Add,
    Multiply,
    Flatten,
    Dense,
    Dropout,
};

enum class ActivationKind { Linear, Relu, Relu6, Sigmoid, Tanh, Softmax, Swish };

struct Window2D {
    int kh = 1, kw = 1;  // kernel or pool size
    int sh = 1, sw = 1;  // strides
    int dh = 1, dw = 1;  // dilation
    bool same = false;   // Keras "same" padding (TensorFlow's asymmetric rule) instead of "valid"
};

// Padding on each side of one input size, as TensorFlow computes it for "same".
struct Padding {
    int before = 0, after = 0;
};
Padding samePadding(int in, int kernel, int stride, int dilation);

struct LayerNode {
    std::string name;
    std::string className;
    OpType op = OpType::Input;
    std::vector<int> inputs;  // indices into ModelGraph::nodes()
    bool trainable =
        true;  // Keras "trainable": false marks layers that kept their original weights

    Window2D window;
    int filters = 0;          // Conv2D, SeparableConv2D; units for Dense
    int depthMultiplier = 1;  // DepthwiseConv2D, SeparableConv2D
    bool useBias = false;
    ActivationKind activation = ActivationKind::Linear;

    float reluMax = std::numeric_limits<float>::infinity();  // ReLU layer
    float reluSlope = 0.f;
    float reluThreshold = 0.f;

    int padTop = 0, padBottom = 0, padLeft = 0, padRight = 0;  // ZeroPadding2D

    float epsilon = 1e-3f;  // BatchNormalization
    bool center = true, scale = true;

    int axis = -1;  // Concatenate (Keras axis in NHWC)

    std::map<std::string, FloatTensor> weights;  // "kernel", "bias", "gamma", "moving_mean", ...
};

// Shape of one layer's output for a batch of one: spatial (H×W×C) or flat (C).
struct LayerShape {
    bool spatial = true;
    int64_t h = 0, w = 0, c = 0;
};

class ModelGraph {
public:
    // Parses the layers, attaches weights and checks that their shapes agree with the settings.
    // Throws Error(ErrorKind::Model) naming the file and layer.
    static ModelGraph fromTfjs(TfjsModel model);

    const std::vector<LayerNode>& nodes() const { return nodes_; }
    const std::filesystem::path& source() const { return source_; }
    int inputNode() const { return input_; }
    int inputChannels() const { return inputChannels_; }

    // Index of the named layer, or -1.
    int find(const std::string& name) const;
    // Index of the named layer; throws Error(ErrorKind::Parameter) listing nothing but the name.
    int require(const std::string& name) const;

    // The layers needed to compute `outputs`, in execution order.
    std::vector<int> requiredNodes(const std::vector<int>& outputs) const;

    // Output shapes of `nodes` for an input of h×w. Throws Error(ErrorKind::Parameter) naming the
    // first layer the input is too small for.
    std::map<int, LayerShape> inferShapes(const std::vector<int>& nodes, int h, int w) const;
    LayerShape layerShape(int node, int h, int w) const;

    // Frees the weight values once the runtime has its own copies; shapes stay for checking.
    void releaseWeightValues();

    // Smallest square input that reaches `outputs` with at least one pixel everywhere.
    int minimumInputSize(const std::vector<int>& outputs) const;

private:
    std::map<int, LayerShape> shapesFor(const std::vector<int>& nodes, int h, int w,
                                        bool explain) const;

    std::filesystem::path source_;
    std::vector<LayerNode> nodes_;
    std::map<std::string, int> index_;
    int input_ = -1;
    int inputChannels_ = 3;
};

}  // namespace inceptionist
