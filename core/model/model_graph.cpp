#include "core/model/model_graph.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/params/errors.h"

namespace inceptionist {

namespace {

std::string shapeString(const std::vector<int64_t>& s) {
    std::string r = "[";
    for (size_t i = 0; i < s.size(); ++i)
        r += (i ? "," : "") + (s[i] < 0 ? std::string("?") : std::to_string(s[i]));
    return r + "]";
}

// One axis of Window2D::padsFor.
Padding resolveAxis(int64_t in, int k, int stride, int dilation, Padding explicitPads,
                    AutoPad autoPad, bool ceilMode) {
    Padding p = explicitPads;
    if (autoPad != AutoPad::None) {
        p = samePadding(static_cast<int>(in), k, stride, dilation);
        if (autoPad == AutoPad::SameLower) std::swap(p.before, p.after);
    }
    if (ceilMode) {
        // Pad after so that rounding down gives the rounded-up size, as long as the last window
        // still starts inside the input or the padding before it.
        const int64_t effective = static_cast<int64_t>(k - 1) * dilation + 1;
        const int64_t total = in + p.before + p.after;
        if (total >= effective) {
            int64_t out = (total - effective + stride - 1) / stride + 1;
            if ((out - 1) * stride >= in + p.before) --out;
            const int64_t needed = (out - 1) * stride + effective - total;
            if (needed > 0) p.after += static_cast<int>(needed);
        }
    }
    return p;
}

}  // namespace

Padding samePadding(int in, int kernel, int stride, int dilation) {
    const int effective = (kernel - 1) * dilation + 1;
    const int out = (in + stride - 1) / stride;
    const int total = std::max((out - 1) * stride + effective - in, 0);
    return {total / 2, total - total / 2};
}

std::pair<Padding, Padding> Window2D::padsFor(int64_t h, int64_t w) const {
    return {resolveAxis(h, kh, sh, dh, padH, autoPad, ceilMode),
            resolveAxis(w, kw, sw, dw, padW, autoPad, ceilMode)};
}

bool Window2D::fixedPads() const {
    return !ceilMode && (autoPad == AutoPad::None || (sh == 1 && sw == 1));
}

ModelGraph::ModelGraph(std::filesystem::path source) : source_(std::move(source)) {}

int ModelGraph::addInput(const std::string& name, int channels, NodeProvenance provenance) {
    LayerNode n;
    n.name = name;
    n.provenance = std::move(provenance);
    n.op = OpType::Input;
    inputChannels_ = channels;
    return addNode(std::move(n));
}

int ModelGraph::addNode(LayerNode n) {
    auto fail = [&](const std::string& what) {
        throw Error(ErrorKind::Model,
                    source_.string() + ": layer '" + n.displayName() + "': " + what);
    };
    if (n.name.empty()) fail("has no name");
    if (index_.count(n.name)) fail("appears twice in the graph ('" + n.name + "')");
    for (int in : n.inputs)
        if (in < 0 || in >= static_cast<int>(nodes_.size()))
            fail("reads a node that is not in the graph (yet)");
    const size_t arity = n.inputs.size();
    if (n.op == OpType::Input ? arity != 0 : arity == 0) fail("has the wrong number of inputs");
    if ((n.op != OpType::Concatenate && n.op != OpType::Add && n.op != OpType::Multiply) &&
        arity > 1)
        fail("takes " + std::to_string(arity) + " inputs; this layer type takes one");
    if (n.op != OpType::Activation && n.activation != ActivationKind::Linear)
        fail("carries an activation; activations are nodes of their own");
    const Window2D& w = n.window;
    if (w.kh < 1 || w.kw < 1 || w.sh < 1 || w.sw < 1 || w.dh < 1 || w.dw < 1)
        fail("kernel, stride and dilation must be positive");
    if (w.padH.before < 0 || w.padH.after < 0 || w.padW.before < 0 || w.padW.after < 0)
        fail("pads must not be negative");
    // The weights each op reads, in canonical layouts (-1: any size).
    auto need = [&](const std::string& name, std::vector<int64_t> expected) {
        auto it = n.weights.find(name);
        if (it == n.weights.end()) fail("weight '" + name + "' is missing");
        const auto& shape = it->second.shape;
        bool ok = shape.size() == expected.size();
        for (size_t i = 0; ok && i < expected.size(); ++i)
            ok = expected[i] < 0 || expected[i] == shape[i];
        size_t count = 1;
        for (auto d : shape) count *= static_cast<size_t>(std::max<int64_t>(d, 0));
        if (!ok || count != it->second.values.size())
            fail("weight '" + name + "' has shape " + shapeString(shape) + " but needs " +
                 shapeString(expected));
    };
    const int64_t kh = w.kh, kw = w.kw, m = n.depthMultiplier;
    switch (n.op) {
        case OpType::Conv2D:
            if (n.groups < 1 || n.filters % n.groups != 0)
                fail("the output channels are not a multiple of the groups");
            need("weight", {n.filters, -1, kh, kw});
            if (n.useBias) need("bias", {n.filters});
            break;
        case OpType::LRN:
            if (n.lrnSize < 1) fail("the LRN size must be positive");
            break;
        case OpType::Clip:
            if (!(n.clipMin <= n.clipMax)) fail("the clip range is empty");
            break;
        case OpType::DepthwiseConv2D: {
            need("weight", {-1, 1, kh, kw});
            const int64_t out = n.weights.at("weight").shape[0];
            if (out % m != 0) fail("depthwise weight rows are not a multiple of the multiplier");
            if (n.useBias) need("bias", {out});
            break;
        }
        case OpType::SeparableConv2D: {
            need("depthwise", {-1, 1, kh, kw});
            const int64_t mid = n.weights.at("depthwise").shape[0];
            if (mid % m != 0) fail("depthwise weight rows are not a multiple of the multiplier");
            need("pointwise", {n.filters, mid, 1, 1});
            if (n.useBias) need("bias", {n.filters});
            break;
        }
        case OpType::Dense:
            need("weight", {n.filters, -1});
            if (n.useBias) need("bias", {n.filters});
            break;
        case OpType::BatchNorm: {
            need("mean", {-1});
            const int64_t c = n.weights.at("mean").shape[0];
            need("variance", {c});
            if (n.scale) need("gamma", {c});
            if (n.center) need("beta", {c});
            break;
        }
        default:
            break;
    }
    const int index = static_cast<int>(nodes_.size());
    if (n.op == OpType::Input) input_ = index;
    index_[n.name] = index;
    nodes_.push_back(std::move(n));
    return index;
}

size_t ModelGraph::sourceLayerCount() const {
    std::set<std::string> layers;
    for (const auto& n : nodes_) layers.insert(n.displayName());
    return layers.size();
}

void ModelGraph::releaseWeightValues() {
    for (auto& n : nodes_)
        for (auto& [name, w] : n.weights) std::vector<float>().swap(w.values);
}

std::vector<float> ModelGraph::takeWeightValues(int node, const std::string& name) {
    return std::move(nodes_.at(node).weights.at(name).values);
}

void ModelGraph::addAlias(const std::string& alias, int node) {
    if (!index_.count(alias) && node >= 0 && node < static_cast<int>(nodes_.size()))
        aliases_[alias] = node;
}

int ModelGraph::find(const std::string& name) const {
    auto it = index_.find(name);
    if (it != index_.end()) return it->second;
    it = aliases_.find(name);
    return it == aliases_.end() ? -1 : it->second;
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
                                  " px) is too small for layer '" + n.displayName() +
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
        auto slide = [&](int64_t size, int k, int stride, int dil, Padding p) -> int64_t {
            const int64_t padded = size + p.before + p.after;
            const int64_t eff = static_cast<int64_t>(k - 1) * dil + 1;
            return padded < eff ? 0 : (padded - eff) / stride + 1;
        };
        auto needSpatial = [&] {
            if (!in.spatial)
                throw Error(ErrorKind::Model, source_.string() + ": layer '" + n.displayName() +
                                                  "' needs a spatial input");
        };
        // Weights fix how many channels a layer reads; a miswired graph is caught here.
        auto expectChannels = [&](int64_t wanted, const char* weight) {
            if (wanted != in.c)
                throw Error(ErrorKind::Model,
                            source_.string() + ": layer '" + n.displayName() + "': weight '" +
                                weight + "' reads " + std::to_string(wanted) +
                                " channels but the input has " + std::to_string(in.c));
        };
        if (n.op == OpType::Conv2D)
            expectChannels(n.weights.at("weight").shape[1] * n.groups, "weight");
        if (n.op == OpType::Dense) expectChannels(n.weights.at("weight").shape[1], "weight");
        if (n.op == OpType::DepthwiseConv2D)
            expectChannels(n.weights.at("weight").shape[0] / n.depthMultiplier, "weight");
        if (n.op == OpType::SeparableConv2D)
            expectChannels(n.weights.at("depthwise").shape[0] / n.depthMultiplier, "depthwise");
        if (n.op == OpType::BatchNorm) expectChannels(n.weights.at("mean").shape[0], "mean");
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
                const auto [padH, padW] = n.window.padsFor(in.h, in.w);
                s.h = slide(in.h, n.window.kh, n.window.sh, n.window.dh, padH);
                s.w = slide(in.w, n.window.kw, n.window.sw, n.window.dw, padW);
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
                if (axis != 1)
                    throw Error(ErrorKind::Model,
                                source_.string() + ": layer '" + n.displayName() +
                                    "': concatenation must be along the channel axis");
                s.c = 0;
                for (int k : n.inputs) {
                    const LayerShape& other = shapes.at(k);
                    if (other.spatial != in.spatial || other.h != in.h || other.w != in.w)
                        throw Error(ErrorKind::Model, source_.string() + ": layer '" +
                                                          n.displayName() +
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
                        throw Error(ErrorKind::Model, source_.string() + ": layer '" +
                                                          n.displayName() +
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
