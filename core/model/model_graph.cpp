#include "core/model/model_graph.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

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
        n.window = {kh, kw, sh, sw, dh, dw, padding == "same"};
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
        case OpType::Concatenate:
            n.axis = c.value("axis", -1);
            break;
        default:
            break;
    }
}

// The weight parameters each layer type reads, with the shape the settings imply (-1 = any).
void attachWeights(LayerNode& n,
                   std::map<std::string, std::map<std::string, FloatTensor*>>& byLayer,
                   const LayerError& fail) {
    auto take = [&](const std::string& param, std::vector<int64_t> expected) {
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
        n.weights[param] = std::move(t);
    };
    const int64_t kh = n.window.kh, kw = n.window.kw;
    switch (n.op) {
        case OpType::Conv2D:
            take("kernel", {kh, kw, -1, n.filters});
            if (n.useBias) take("bias", {n.filters});
            break;
        case OpType::DepthwiseConv2D:
            take("depthwise_kernel", {kh, kw, -1, n.depthMultiplier});
            if (n.useBias) take("bias", {-1});
            break;
        case OpType::SeparableConv2D:
            take("depthwise_kernel", {kh, kw, -1, n.depthMultiplier});
            take("pointwise_kernel", {1, 1, -1, n.filters});
            if (n.useBias) take("bias", {n.filters});
            break;
        case OpType::BatchNorm:
            if (n.scale) take("gamma", {-1});
            if (n.center) take("beta", {-1});
            take("moving_mean", {-1});
            take("moving_variance", {-1});
            break;
        case OpType::Dense:
            take("kernel", {-1, n.filters});
            if (n.useBias) take("bias", {n.filters});
            break;
        default:
            break;
    }
}

}  // namespace

Padding samePadding(int in, int kernel, int stride, int dilation) {
    const int effective = (kernel - 1) * dilation + 1;
    const int out = (in + stride - 1) / stride;
    const int total = std::max((out - 1) * stride + effective - in, 0);
    return {total / 2, total - total / 2};
}

ModelGraph ModelGraph::fromTfjs(TfjsModel model) {
    ModelGraph g;
    g.source_ = model.modelJson;

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
        if (byName.count(l.name)) LayerError{g.source_, l.name}("appears twice in the topology");
        byName[l.name] = &l;
    }

    // Depth-first walk from every layer puts producers before consumers whatever the file's order.
    std::map<std::string, int> state;  // 1 = visiting, 2 = done
    std::function<void(const KerasLayer&)> visit = [&](const KerasLayer& l) {
        LayerError fail{g.source_, l.name};
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
        n.className = l.className;
        auto type = opTypes().find(l.className);
        if (type == opTypes().end())
            fail("layer type '" + l.className + "' is not implemented by this runtime");
        n.op = type->second;
        n.trainable = l.config.value("trainable", true);
        try {
            parseSettings(n, l.config, fail);
        } catch (const json::exception& e) {
            fail(std::string("malformed settings: ") + e.what());
        }
        attachWeights(n, byLayer, fail);
        for (const auto& in : l.inputs) n.inputs.push_back(g.index_.at(in));
        const size_t arity = n.inputs.size();
        if (n.op == OpType::Input ? arity != 0 : arity == 0) fail("has the wrong number of inputs");
        if ((n.op != OpType::Concatenate && n.op != OpType::Add && n.op != OpType::Multiply) &&
            arity > 1)
            fail("takes " + std::to_string(arity) + " inputs; this layer type takes one");
        if (n.op == OpType::Input) {
            const json& shape = l.config.value("batch_input_shape", json());
            if (shape.is_array() && shape.size() == 4 && shape[3].is_number())
                g.inputChannels_ = shape[3].get<int>();
            g.input_ = static_cast<int>(g.nodes_.size());
        }
        g.index_[n.name] = static_cast<int>(g.nodes_.size());
        g.nodes_.push_back(std::move(n));
        state[l.name] = 2;
    };
    for (const auto& l : model.layers) visit(l);
    if (g.input_ < 0)
        throw Error(ErrorKind::Model, g.source_.string() + ": the topology has no input layer");
    return g;
}

void ModelGraph::releaseWeightValues() {
    for (auto& n : nodes_)
        for (auto& [name, w] : n.weights) std::vector<float>().swap(w.values);
}

int ModelGraph::find(const std::string& name) const {
    auto it = index_.find(name);
    return it == index_.end() ? -1 : it->second;
}

int ModelGraph::require(const std::string& name) const {
    const int i = find(name);
    if (i < 0)
        throw Error(ErrorKind::Parameter, "unknown layer '" + name + "' in model " +
                                              source_.parent_path().filename().string());
    return i;
}

std::vector<int> ModelGraph::requiredNodes(const std::vector<int>& outputs) const {
    std::vector<char> needed(nodes_.size(), 0);
    std::vector<int> stack(outputs.begin(), outputs.end());
    while (!stack.empty()) {
        const int i = stack.back();
        stack.pop_back();
        if (needed[i]) continue;
        needed[i] = 1;
        for (int in : nodes_[i].inputs) stack.push_back(in);
    }
    std::vector<int> order;
    for (size_t i = 0; i < nodes_.size(); ++i)
        if (needed[i]) order.push_back(static_cast<int>(i));
    return order;  // nodes_ is already in topological order
}

std::map<int, LayerShape> ModelGraph::inferShapes(const std::vector<int>& wanted, int h,
                                                  int w) const {
    return shapesFor(wanted, h, w, true);
}

std::map<int, LayerShape> ModelGraph::shapesFor(const std::vector<int>& wanted, int h, int w,
                                                bool explain) const {
    std::map<int, LayerShape> shapes;
    for (int i : requiredNodes(wanted)) {
        const LayerNode& n = nodes_[i];
        auto tooSmall = [&](const LayerShape& in) {
            std::string message = "the image (" + std::to_string(w) + "×" + std::to_string(h) +
                                  " px) is too small for layer '" + n.name +
                                  "', whose input would be " + std::to_string(in.w) + "×" +
                                  std::to_string(in.h);
            if (explain)
                message += "; at least " + std::to_string(minimumInputSize(wanted)) +
                           " px on each side is needed";
            throw Error(ErrorKind::Parameter, message);
        };
        LayerShape s;
        const LayerShape in =
            n.inputs.empty() ? LayerShape{true, h, w, inputChannels_} : shapes.at(n.inputs[0]);
        auto slide = [&](int64_t size, int k, int stride, int dil) -> int64_t {
            if (n.window.same) return (size + stride - 1) / stride;
            const int64_t eff = static_cast<int64_t>(k - 1) * dil + 1;
            return size < eff ? 0 : (size - eff) / stride + 1;
        };
        auto needSpatial = [&] {
            if (!in.spatial)
                throw Error(ErrorKind::Model,
                            source_.string() + ": layer '" + n.name + "' needs a spatial input");
        };
        // Weights fix how many channels a layer reads; a miswired graph is caught here.
        auto expectChannels = [&](int64_t wanted, const char* weight) {
            if (wanted != in.c)
                throw Error(ErrorKind::Model,
                            source_.string() + ": layer '" + n.name + "': weight '" + weight +
                                "' reads " + std::to_string(wanted) +
                                " channels but the input has " + std::to_string(in.c));
        };
        for (const char* w : {"kernel", "depthwise_kernel"})
            if (auto it = n.weights.find(w); it != n.weights.end() && n.op != OpType::Dense)
                expectChannels(it->second.shape[2], w);
        if (n.op == OpType::Dense) expectChannels(n.weights.at("kernel").shape[0], "kernel");
        if (n.op == OpType::BatchNorm)
            expectChannels(n.weights.at("moving_mean").shape[0], "moving_mean");
        switch (n.op) {
            case OpType::Input:
                s = in;
                break;
            case OpType::Conv2D:
            case OpType::DepthwiseConv2D:
            case OpType::SeparableConv2D:
            case OpType::MaxPool2D:
            case OpType::AvgPool2D: {
                needSpatial();
                s.h = slide(in.h, n.window.kh, n.window.sh, n.window.dh);
                s.w = slide(in.w, n.window.kw, n.window.sw, n.window.dw);
                if (s.h < 1 || s.w < 1) tooSmall(in);
                s.c = n.op == OpType::Conv2D || n.op == OpType::SeparableConv2D ? n.filters
                      : n.op == OpType::DepthwiseConv2D ? in.c * n.depthMultiplier
                                                        : in.c;
                break;
            }
            case OpType::ZeroPadding2D:
                needSpatial();
                s = {true, in.h + n.padTop + n.padBottom, in.w + n.padLeft + n.padRight, in.c};
                break;
            case OpType::GlobalAvgPool2D:
                needSpatial();
                s = {false, 1, 1, in.c};
                break;
            case OpType::Flatten:
                s = {false, 1, 1, in.spatial ? in.h * in.w * in.c : in.c};
                break;
            case OpType::Dense:
                s = in;
                s.c = n.filters;
                break;
            case OpType::Concatenate: {
                s = in;
                const int axis = n.axis < 0 ? n.axis + (in.spatial ? 4 : 2) : n.axis;
                if (axis != (in.spatial ? 3 : 1))
                    throw Error(ErrorKind::Model,
                                source_.string() + ": layer '" + n.name +
                                    "': concatenation must be along the channel axis");
                s.c = 0;
                for (int k : n.inputs) {
                    const LayerShape& other = shapes.at(k);
                    if (other.spatial != in.spatial || other.h != in.h || other.w != in.w)
                        throw Error(ErrorKind::Model, source_.string() + ": layer '" + n.name +
                                                          "': inputs have different spatial sizes");
                    s.c += other.c;
                }
                break;
            }
            case OpType::Add:
            case OpType::Multiply:
                s = in;
                for (int k : n.inputs) {
                    const LayerShape& other = shapes.at(k);
                    if (other.spatial != in.spatial || other.h != in.h || other.w != in.w ||
                        other.c != in.c)
                        throw Error(ErrorKind::Model, source_.string() + ": layer '" + n.name +
                                                          "': inputs have different shapes");
                }
                break;
            default:  // BatchNorm, Activation, ReLU, Dropout keep the shape
                s = in;
                break;
        }
        shapes[i] = s;
    }
    return shapes;
}

LayerShape ModelGraph::layerShape(int node, int h, int w) const {
    return inferShapes({node}, h, w).at(node);
}

int ModelGraph::minimumInputSize(const std::vector<int>& outputs) const {
    // Output sizes only grow with the input, so a binary search finds the smallest that works.
    auto fits = [&](int size) {
        try {
            shapesFor(outputs, size, size, false);
            return true;
        } catch (const Error& e) {
            if (e.kind() != ErrorKind::Parameter) throw;
            return false;
        }
    };
    int lo = 1, hi = 1;
    while (!fits(hi)) {
        lo = hi + 1;
        hi *= 2;
        if (hi > (1 << 16)) return hi;
    }
    while (lo < hi) {
        const int mid = (lo + hi) / 2;
        if (fits(mid))
            hi = mid;
        else
            lo = mid + 1;
    }
    return hi;
}

}  // namespace inceptionist
