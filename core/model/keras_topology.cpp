#include "core/model/keras_topology.h"

#include <opencv2/core.hpp>

#include <algorithm>
#include <functional>

#include "core/params/errors.h"

namespace inceptionist {
using nlohmann::json;

namespace {

struct LayerError {
    const std::filesystem::path& file;
    const std::string& layer;
    [[noreturn]] void operator()(const std::string& what) const {
        throw Error(ErrorKind::Model, file.string() + ": layer '" + layer + "': " + what);
    }
};

std::pair<int, int> intPair(const json& config, const char* key, int fallback) {
    if (!config.contains(key) || config[key].is_null()) return {fallback, fallback};
    const json& v = config[key];
    if (v.is_number()) return {v.get<int>(), v.get<int>()};
    return {v.at(0).get<int>(), v.at(1).get<int>()};
}

ActivationKind parseActivation(const std::string& name, const LayerError& fail) {
    if (name == "linear" || name.empty()) return ActivationKind::Linear;
    if (name == "relu") return ActivationKind::Relu;
    if (name == "relu6") return ActivationKind::Relu6;
    if (name == "sigmoid") return ActivationKind::Sigmoid;
    if (name == "tanh") return ActivationKind::Tanh;
    if (name == "softmax") return ActivationKind::Softmax;
    if (name == "swish" || name == "silu") return ActivationKind::Swish;
    fail("activation '" + name + "' is not implemented");
}

std::string activationName(const json& config) {
    const json& a = config.value("activation", json("linear"));
    if (a.is_string()) return a.get<std::string>();
    if (a.is_object())
        return a.value("class_name", std::string("?"));  // Keras 3 serialises objects
    return "linear";
}

const std::map<std::string, OpType>& opTypes() {
    static const std::map<std::string, OpType> types = {
        {"InputLayer", OpType::Input},
        {"Conv2D", OpType::Conv2D},
        {"DepthwiseConv2D", OpType::DepthwiseConv2D},
        {"SeparableConv2D", OpType::SeparableConv2D},
        {"BatchNormalization", OpType::BatchNorm},
        {"Activation", OpType::Activation},
        {"ReLU", OpType::ReLU},
        {"ZeroPadding2D", OpType::ZeroPadding2D},
        {"MaxPooling2D", OpType::MaxPool2D},
        {"AveragePooling2D", OpType::AvgPool2D},
        {"GlobalAveragePooling2D", OpType::GlobalAvgPool2D},
        {"Concatenate", OpType::Concatenate},
        {"Add", OpType::Add},
        {"Multiply", OpType::Multiply},
        {"Flatten", OpType::Flatten},
        {"Dense", OpType::Dense},
        {"Dropout", OpType::Dropout},
    };
    return types;
}

void parseSettings(LayerNode& n, const json& c, const LayerError& fail) {
    if (c.value("data_format", std::string("channels_last")) != "channels_last")
        fail("only channels_last data format is supported");
    auto window = [&](const char* sizeKey) {
        auto [kh, kw] = intPair(c, sizeKey, 1);
        auto [sh, sw] = intPair(c, "strides", sizeKey == std::string("pool_size") ? kh : 1);
        if (sizeKey == std::string("pool_size") && c.contains("strides") &&
            c["strides"].is_null()) {
            sh = kh;
            sw = kw;
        }
        auto [dh, dw] = intPair(c, "dilation_rate", 1);
        const std::string padding = c.value("padding", std::string("valid"));
        if (padding != "valid" && padding != "same")
            fail("padding '" + padding + "' is not supported");
        if (kh < 1 || kw < 1 || sh < 1 || sw < 1 || dh < 1 || dw < 1)
            fail("kernel, stride and dilation must be positive");
        if ((sh > 1 || sw > 1) && (dh > 1 || dw > 1))
            fail("strides and dilation together are not supported");
        n.window = {};
        n.window.kh = kh;
        n.window.kw = kw;
        n.window.sh = sh;
        n.window.sw = sw;
        n.window.dh = dh;
        n.window.dw = dw;
        if (padding == "same") n.window.autoPad = AutoPad::SameUpper;
    };
    switch (n.op) {
        case OpType::Conv2D:
        case OpType::SeparableConv2D:
            window("kernel_size");
            n.filters = c.at("filters").get<int>();
            n.depthMultiplier = c.value("depth_multiplier", 1);
            n.useBias = c.value("use_bias", true);
            n.activation = parseActivation(activationName(c), fail);
            if (c.value("groups", 1) != 1) fail("grouped convolution is not supported");
            break;
        case OpType::DepthwiseConv2D:
            window("kernel_size");
            n.depthMultiplier = c.value("depth_multiplier", 1);
            n.useBias = c.value("use_bias", true);
            n.activation = parseActivation(activationName(c), fail);
            break;
        case OpType::MaxPool2D:
        case OpType::AvgPool2D:
            window("pool_size");
            break;
        case OpType::Dense:
            n.filters = c.at("units").get<int>();
            n.useBias = c.value("use_bias", true);
            n.activation = parseActivation(activationName(c), fail);
            break;
        case OpType::Activation:
            n.activation = parseActivation(activationName(c), fail);
            break;
        case OpType::ReLU:
            if (c.contains("max_value") && !c["max_value"].is_null())
                n.reluMax = c["max_value"].get<float>();
            n.reluSlope = c.value("negative_slope", 0.f);
            n.reluThreshold = c.value("threshold", 0.f);
            break;
        case OpType::ZeroPadding2D: {
            const json& p = c.at("padding");
            if (p.is_number()) {
                n.padTop = n.padBottom = n.padLeft = n.padRight = p.get<int>();
            } else if (p.at(0).is_number()) {
                n.padTop = n.padBottom = p[0].get<int>();
                n.padLeft = n.padRight = p[1].get<int>();
            } else {
                n.padTop = p[0][0].get<int>();
                n.padBottom = p[0][1].get<int>();
                n.padLeft = p[1][0].get<int>();
                n.padRight = p[1][1].get<int>();
            }
            break;
        }
        case OpType::BatchNorm: {
            n.epsilon = c.value("epsilon", 1e-3f);
            n.center = c.value("center", true);
            n.scale = c.value("scale", true);
            const json& axis = c.value("axis", json(-1));
            const int a = axis.is_array() ? axis.at(0).get<int>() : axis.get<int>();
            if (a != -1 && a != 3)
                fail("batch normalisation over axis " + std::to_string(a) + " is not supported");
            break;
        }
        case OpType::Concatenate: {
            // Keras counts channels-last: its channel axis is the last (-1, or 3 of an image).
            const int a = c.value("axis", -1);
            if (a != -1 && a != 3)
                fail("concatenation along axis " + std::to_string(a) + " is not supported");
            n.axis = 1;
            break;
        }
        case OpType::Flatten:
            n.flattenOrder = LayerNode::FlattenOrder::NHWC;  // Keras flattens H, W, C
            break;
        default:
            break;
    }
}

// The layout changes below are matrix transposes, done by OpenCV's blocked transpose: a plain
// loop over a kernel of InceptionV3 writes with a stride of thousands of floats and made loading
// the model a fifth slower.

// `rows`×`cols` floats at `from` transposed into `to` (which holds `cols`×`rows`).
void transposeInto(const float* from, int64_t rows, int64_t cols, float* to) {
    const cv::Mat src(static_cast<int>(rows), static_cast<int>(cols), CV_32F,
                      const_cast<float*>(from));
    cv::Mat dst(static_cast<int>(cols), static_cast<int>(rows), CV_32F, to);
    cv::transpose(src, dst);
}

// Keras kernels are [kh, kw, in, out]; canonical ones [out, in, kh, kw]: [kh·kw·in, out] becomes
// [out, kh·kw·in], then each output's [kh·kw, in] becomes [in, kh·kw].
FloatTensor convKernel(const FloatTensor& k) {
    const int64_t kh = k.shape[0], kw = k.shape[1], in = k.shape[2], out = k.shape[3];
    std::vector<float> byOutput(k.values.size());
    transposeInto(k.values.data(), kh * kw * in, out, byOutput.data());
    FloatTensor t{{out, in, kh, kw}, std::vector<float>(k.values.size())};
    const int64_t perOutput = kh * kw * in;
    for (int64_t o = 0; o < out; ++o)
        transposeInto(byOutput.data() + o * perOutput, kh * kw, in,
                      t.values.data() + o * perOutput);
    return t;
}

// Keras depthwise kernels are [kh, kw, in, multiplier]; canonical ones [in × multiplier, 1, kh,
// kw] with the multiplier varying fastest within each input channel: [kh·kw, in·mult] becomes
// [in·mult, kh·kw].
FloatTensor depthwiseKernel(const FloatTensor& k) {
    const int64_t kh = k.shape[0], kw = k.shape[1], in = k.shape[2], mult = k.shape[3];
    FloatTensor t{{in * mult, 1, kh, kw}, std::vector<float>(k.values.size())};
    transposeInto(k.values.data(), kh * kw, in * mult, t.values.data());
    return t;
}

// Keras dense kernels are [in, units]; canonical ones [units, in].
FloatTensor denseKernel(const FloatTensor& k) {
    const int64_t in = k.shape[0], out = k.shape[1];
    FloatTensor t{{out, in}, std::vector<float>(k.values.size())};
    transposeInto(k.values.data(), in, out, t.values.data());
    return t;
}

// The weight parameters each layer type reads, with the shape the settings imply (-1 = any).
void attachWeights(LayerNode& n,
                   std::map<std::string, std::map<std::string, FloatTensor*>>& byLayer,
                   const LayerError& fail) {
    auto take = [&](const std::string& param, std::vector<int64_t> expected) -> FloatTensor {
        auto layerIt = byLayer.find(n.name);
        if (layerIt == byLayer.end() || !layerIt->second.count(param))
            fail("weight '" + param + "' is missing from the weights manifest");
        FloatTensor& t = *layerIt->second[param];
        bool ok = t.shape.size() == expected.size();
        for (size_t i = 0; ok && i < expected.size(); ++i)
            ok = expected[i] < 0 || expected[i] == t.shape[i];
        if (!ok) {
            auto str = [](const std::vector<int64_t>& s) {
                std::string r = "[";
                for (size_t i = 0; i < s.size(); ++i)
                    r += (i ? "," : "") + (s[i] < 0 ? std::string("?") : std::to_string(s[i]));
                return r + "]";
            };
            fail("weight '" + param + "' has shape " + str(t.shape) +
                 " but the layer settings need " + str(expected));
        }
        return std::move(t);
    };
    const int64_t kh = n.window.kh, kw = n.window.kw;
    auto& w = n.weights;
    switch (n.op) {
        case OpType::Conv2D:
            w["weight"] = convKernel(take("kernel", {kh, kw, -1, n.filters}));
            if (n.useBias) w["bias"] = take("bias", {n.filters});
            break;
        case OpType::DepthwiseConv2D:
            w["weight"] =
                depthwiseKernel(take("depthwise_kernel", {kh, kw, -1, n.depthMultiplier}));
            if (n.useBias) w["bias"] = take("bias", {-1});
            break;
        case OpType::SeparableConv2D:
            w["depthwise"] =
                depthwiseKernel(take("depthwise_kernel", {kh, kw, -1, n.depthMultiplier}));
            w["pointwise"] = convKernel(take("pointwise_kernel", {1, 1, -1, n.filters}));
            if (n.useBias) w["bias"] = take("bias", {n.filters});
            break;
        case OpType::BatchNorm:
            if (n.scale) w["gamma"] = take("gamma", {-1});
            if (n.center) w["beta"] = take("beta", {-1});
            w["mean"] = take("moving_mean", {-1});
            w["variance"] = take("moving_variance", {-1});
            break;
        case OpType::Dense:
            w["weight"] = denseKernel(take("kernel", {-1, n.filters}));
            if (n.useBias) w["bias"] = take("bias", {n.filters});
            break;
        default:
            break;
    }
}

// Inbound nodes come in two spellings: Keras 2 lists `[[name, node, tensor, kwargs], ...]` per
// call; Keras 3 lists `{args: [{config: {keras_history: [name, ...]}}]}`.
void collectInbound(const json& node, std::vector<std::string>& out) {
    if (node.is_array()) {
        if (!node.empty() && node[0].is_string()) {
            out.push_back(node[0].get<std::string>());
            return;
        }
        for (const auto& item : node) collectInbound(item, out);
    } else if (node.is_object()) {
        if (node.contains("keras_history")) {
            out.push_back(node["keras_history"][0].get<std::string>());
            return;
        }
        for (const auto& [key, value] : node.items()) collectInbound(value, out);
    }
}

std::vector<std::string> endpointNames(const json& list) {
    std::vector<std::string> names;
    collectInbound(list, names);
    return names;
}

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& what) {
    throw Error(ErrorKind::Model, file.string() + ": " + what);
}

}  // namespace

void parseKerasModelConfig(const json& modelConfig, KerasModel& model) {
    try {
        const std::string kind = modelConfig.value("class_name", std::string());
        const json& config = modelConfig.at("config");
        if (kind == "Sequential") {
            const json& layers = config.is_array() ? config : config.at("layers");
            std::string previous;
            for (const auto& l : layers) {
                KerasLayer layer{l.at("config").at("name").get<std::string>(),
                                 l.at("class_name").get<std::string>(),
                                 l.at("config"),
                                 {}};
                if (previous.empty()) {
                    // A Sequential model's input is implicit in its first layer's batch shape.
                    KerasLayer input{"input", "InputLayer", json::object(), {}};
                    input.config["batch_input_shape"] =
                        layer.config.value("batch_input_shape", json());
                    model.layers.push_back(input);
                    model.inputLayers.push_back("input");
                    previous = "input";
                }
                layer.inputs = {previous};
                previous = layer.name;
                model.layers.push_back(std::move(layer));
            }
            model.outputLayers = {previous};
        } else if (kind == "Model" || kind == "Functional") {
            for (const auto& l : config.at("layers")) {
                KerasLayer layer{l.at("name").get<std::string>(),
                                 l.at("class_name").get<std::string>(),
                                 l.at("config"),
                                 {}};
                collectInbound(l.value("inbound_nodes", json::array()), layer.inputs);
                model.layers.push_back(std::move(layer));
            }
            model.inputLayers = endpointNames(config.at("input_layers"));
            model.outputLayers = endpointNames(config.at("output_layers"));
        } else {
            fail(model.source,
                 "unsupported model class '" + kind + "' (expected Model or Sequential)");
        }
    } catch (const json::exception& e) {
        fail(model.source,
             std::string("unexpected structure of the Keras model config: ") + e.what());
    }
}

ModelGraph buildKerasGraph(KerasModel model) {
    ModelGraph g(model.source);
    const std::filesystem::path& source = g.source();
    std::map<std::string, int> nodeOf;  // Keras layer name to the node that gives its output
    int inputChannels = 3;

    // Weight names are "<layer>/<param>", sometimes behind a model-name prefix.
    std::map<std::string, std::map<std::string, FloatTensor*>> byLayer;
    for (auto& [name, tensor] : model.weights) {
        const auto slash = name.rfind('/');
        if (slash == std::string::npos) continue;
        const auto start = name.rfind('/', slash - 1);
        const std::string layer = name.substr(start == std::string::npos ? 0 : start + 1,
                                              slash - (start == std::string::npos ? 0 : start + 1));
        std::string param = name.substr(slash + 1);
        if (auto colon = param.find(':'); colon != std::string::npos) param.resize(colon);
        byLayer[layer][param] = &tensor;
    }

    std::map<std::string, const KerasLayer*> byName;
    for (const auto& l : model.layers) {
        if (byName.count(l.name)) LayerError{source, l.name}("appears twice in the topology");
        byName[l.name] = &l;
    }

    // Depth-first walk from every layer puts producers before consumers whatever the file's order.
    std::map<std::string, int> state;  // 1 = visiting, 2 = done
    std::function<void(const KerasLayer&)> visit = [&](const KerasLayer& l) {
        LayerError fail{source, l.name};
        if (state[l.name] == 2) return;
        if (state[l.name] == 1) fail("is part of a cycle in the topology");
        state[l.name] = 1;
        for (const auto& in : l.inputs) {
            auto it = byName.find(in);
            if (it == byName.end()) fail("takes input from unknown layer '" + in + "'");
            visit(*it->second);
        }
        LayerNode n;
        n.name = l.name;
        n.provenance.sourceLayer = l.name;
        n.provenance.frozenInSource = !l.config.value("trainable", true);
        auto type = opTypes().find(l.className);
        if (type == opTypes().end())
            fail("layer type '" + l.className + "' is not implemented by this runtime");
        n.op = type->second;
        try {
            parseSettings(n, l.config, fail);
        } catch (const json::exception& e) {
            fail(std::string("malformed settings: ") + e.what());
        }
        attachWeights(n, byLayer, fail);
        for (const auto& in : l.inputs) n.inputs.push_back(nodeOf.at(in));
        if (n.op == OpType::Input) {
            if (!n.inputs.empty()) fail("has the wrong number of inputs");
            const json& shape = l.config.value("batch_input_shape", json());
            if (shape.is_array() && shape.size() == 4 && shape[3].is_number())
                inputChannels = shape[3].get<int>();
            nodeOf[l.name] = g.addInput(l.name, inputChannels, n.provenance);
        } else if (n.op != OpType::Activation && n.activation != ActivationKind::Linear) {
            // Keras fuses the activation into the layer; here it becomes a node of its own that
            // keeps the layer's name (what people address), after the linear part, which stays
            // addressable as "<layer>/linear" (a classifier's logits, for one).
            LayerNode activation;
            activation.name = l.name;
            activation.op = OpType::Activation;
            activation.activation = n.activation;
            activation.provenance = n.provenance;
            n.activation = ActivationKind::Linear;
            n.name = l.name + "/linear";
            activation.inputs = {g.addNode(std::move(n))};
            nodeOf[l.name] = g.addNode(std::move(activation));
        } else {
            nodeOf[l.name] = g.addNode(std::move(n));
        }
        state[l.name] = 2;
    };
    for (const auto& l : model.layers) visit(l);
    if (g.inputNode() < 0)
        throw Error(ErrorKind::Model, source.string() + ": the topology has no input layer");
    return g;
}

}  // namespace inceptionist
