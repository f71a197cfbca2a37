#pragma once
// A model as a graph of typed operations with their weights, in no particular file format: what
// the importers (core/model/importer.h) produce, what the compiler (core/engine/compiler.h)
// turns into a network, what shape inference walks and what the model list shows. No libtorch
// here.
//
// Conventions, whatever the source format:
// - Tensors are NCHW. Weights are float32 in canonical layouts, by name:
//     Conv2D           "weight" [out, in, kh, kw], "bias" [out]
//     DepthwiseConv2D  "weight" [in × multiplier, 1, kh, kw] (a grouped convolution with one
//                      group per input channel; channel i × multiplier + m), "bias" likewise
//     SeparableConv2D  "depthwise" as DepthwiseConv2D's "weight", "pointwise" [out, in ×
//                      multiplier, 1, 1], "bias" [out]
//     Dense            "weight" [out, in], "bias" [out]
//     BatchNorm        "mean", "variance", "gamma" (where scale), "beta" (where center)
// - Activations are nodes of their own (Activation, ReLU); a convolution or dense node computes
//   the linear part only. Fusing them back is the compiler's job.
// - Padding is explicit per side, or "same" as an auto-padding attribute resolved per input
//   size (see Window2D), since TensorFlow's "same" pads depend on the input size.

#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace inceptionist {

struct FloatTensor {
    std::vector<int64_t> shape;
    std::vector<float> values;
};

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
    LRN,   // local response normalisation across channels (ONNX, Caffe's GoogLeNet)
    Clip,  // min(max(x, clipMin), clipMax)
};

enum class ActivationKind { Linear, Relu, Relu6, Sigmoid, Tanh, Softmax, Swish };

// Padding on each side of one spatial axis.
struct Padding {
    int before = 0, after = 0;
};
// TensorFlow's "same" padding for one input size: the output is ceil(in / stride), and an odd
// total puts the extra pixel after (ONNX calls this SAME_UPPER).
Padding samePadding(int in, int kernel, int stride, int dilation);

enum class AutoPad {
    None,       // the explicit pads below
    SameUpper,  // TensorFlow's "same": pads computed for each input size (samePadding)
    SameLower,  // as SameUpper, but an odd total puts the extra pixel before (ONNX SAME_LOWER)
};

// How a convolution or pooling window slides over the input.
struct Window2D {
    int kh = 1, kw = 1;  // kernel or pool size
    int sh = 1, sw = 1;  // strides
    int dh = 1, dw = 1;  // dilation
    Padding padH, padW;  // explicit pads, possibly asymmetric (used where autoPad is None)
    AutoPad autoPad = AutoPad::None;
    bool ceilMode = false;  // pooling: the output size rounds up (extra pads after, never read)

    // The pads for an input of h×w: explicit, or resolved from autoPad, with what ceil mode adds
    // after. The output is then (in + before + after - effective kernel) / stride + 1, rounded
    // down (0 where the input is too small).
    std::pair<Padding, Padding> padsFor(int64_t h, int64_t w) const;
    // True where padsFor does not depend on the input size.
    bool fixedPads() const;
};

// Per-node facts about where a node's weights come from.
struct NodeProvenance {
    std::string sourceLayer;      // the layer of the model file this node was made from
    bool frozenInSource = false;  // the file marks its weights as not trained further (Keras
                                  // "trainable": false); a fact of the file, for checking manifests
    std::string training;  // from the manifest, e.g. "pretrained on ImageNet"; empty: not said
};

struct LayerNode {
    std::string name;
    OpType op = OpType::Input;
    std::vector<int> inputs;  // indices into ModelGraph::nodes(), all earlier than this node
    NodeProvenance provenance;

    Window2D window;
    int filters = 0;          // Conv2D, SeparableConv2D; units for Dense
    int groups = 1;           // Conv2D: weight [filters, in / groups, kh, kw]
    int depthMultiplier = 1;  // DepthwiseConv2D, SeparableConv2D
    bool useBias = false;
    ActivationKind activation = ActivationKind::Linear;  // Activation nodes only

    float reluMax = std::numeric_limits<float>::infinity();  // ReLU node
    float reluSlope = 0.f;
    float reluThreshold = 0.f;

    int padTop = 0, padBottom = 0, padLeft = 0, padRight = 0;  // ZeroPadding2D

    // AvgPool2D: true counts the explicit pads in each window's divisor (ONNX
    // count_include_pad); false averages over real pixels only (Keras). What ceil mode adds
    // is never counted.
    bool countIncludePad = false;

    // LRN: y = x / (bias + alpha / size × Σ x²)^beta, the sum over `size` neighbouring channels
    // (floor((size - 1) / 2) before, the rest after, as ONNX and Caffe define it).
    int lrnSize = 1;
    float lrnAlpha = 1e-4f, lrnBeta = 0.75f, lrnBias = 1.f;

    float clipMin = -std::numeric_limits<float>::infinity();  // Clip
    float clipMax = std::numeric_limits<float>::infinity();

    float epsilon = 1e-3f;  // BatchNorm
    bool center = true, scale = true;

    // Concatenate: the axis counted as in NCHW (1: the channels; negative counts from the end);
    // only the channel axis is supported, which shape inference checks.
    int axis = 1;

    // Flatten: the order the values are laid out in, H, W, C (Keras, TensorFlow) or C, H, W
    // (ONNX, PyTorch). Each importer says which its format uses.
    enum class FlattenOrder { NHWC, NCHW };
    FlattenOrder flattenOrder = FlattenOrder::NCHW;

    std::map<std::string, FloatTensor> weights;  // canonical names and layouts, see above

    // The name errors use: the source file's layer, which people know.
    const std::string& displayName() const {
        return provenance.sourceLayer.empty() ? name : provenance.sourceLayer;
    }
};

// Shape of one layer's output for a batch of one: spatial (H×W×C) or flat (C).
struct LayerShape {
    bool spatial = true;
    int64_t h = 0, w = 0, c = 0;
};

class ModelGraph {
public:
    // An empty graph; `source` names the model file in error messages.
    explicit ModelGraph(std::filesystem::path source = {});

    // Builder: adds the input node (NCHW with `channels` channels) and returns its index.
    int addInput(const std::string& name, int channels, NodeProvenance provenance = {});
    // Builder: adds `node` after the nodes it reads and returns its index. Checks the name is
    // new, the inputs exist, the arity fits the op, an activation sits only on an Activation
    // node, and the weights the op needs are there in their canonical layouts. Throws
    // Error(ErrorKind::Model) naming the source file and the node.
    int addNode(LayerNode node);

    const std::vector<LayerNode>& nodes() const { return nodes_; }
    const std::filesystem::path& source() const { return source_; }
    int inputNode() const { return input_; }
    int inputChannels() const { return inputChannels_; }
    // The layers of the source file, each once (a layer may have become several nodes).
    size_t sourceLayerCount() const;

    void setTraining(int node, const std::string& training) {
        nodes_.at(node).provenance.training = training;
    }

    // Another name for a node, e.g. the classic "inception_4c/output" of a file that calls it
    // "inception_4c/output_1". An alias never hides a node's own name.
    void addAlias(const std::string& alias, int node);
    const std::map<std::string, int>& aliases() const { return aliases_; }

    // Index of the named layer (by its name or an alias), or -1.
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
    // Hands one weight's values over to the runtime without a copy; its shape stays.
    std::vector<float> takeWeightValues(int node, const std::string& name);

    // Smallest square input that reaches `outputs` with at least one pixel everywhere.
    int minimumInputSize(const std::vector<int>& outputs) const;

private:
    std::map<int, LayerShape> shapesFor(const std::vector<int>& nodes, int h, int w,
                                        bool explain) const;

    std::filesystem::path source_;
    std::vector<LayerNode> nodes_;
    std::map<std::string, int> index_;
    std::map<std::string, int> aliases_;
    int input_ = -1;
    int inputChannels_ = 3;
};

}  // namespace inceptionist
