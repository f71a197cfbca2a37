#include "core/model/onnx_importer.h"

#include <onnx/onnx_pb.h>
#include <opencv2/core.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <numeric>
#include <set>

#include "core/params/errors.h"

namespace inceptionist {
namespace fs = std::filesystem;

namespace {

// A tensor known at import time: an initialiser, a Constant node's value, or what a folded
// shape computation gives. Floating-point types are kept as float32, integer types as int64.
struct Constant {
    std::vector<int64_t> dims;
    bool integer = false;
    std::vector<float> f;
    std::vector<int64_t> i;

    size_t size() const { return integer ? i.size() : f.size(); }
    double at(size_t k) const { return integer ? static_cast<double>(i[k]) : f[k]; }
    static Constant ints(std::vector<int64_t> dims, std::vector<int64_t> values) {
        Constant c;
        c.dims = std::move(dims);
        c.integer = true;
        c.i = std::move(values);
        return c;
    }
    static Constant floats(std::vector<int64_t> dims, std::vector<float> values) {
        Constant c;
        c.dims = std::move(dims);
        c.f = std::move(values);
        return c;
    }
};

size_t elementCount(const std::vector<int64_t>& dims) {
    size_t n = 1;
    for (int64_t d : dims) n *= static_cast<size_t>(std::max<int64_t>(d, 0));
    return n;
}

std::string dimsString(const std::vector<int64_t>& dims) {
    std::string s = "[";
    for (size_t k = 0; k < dims.size(); ++k) s += (k ? "," : "") + std::to_string(dims[k]);
    return s + "]";
}

// Bytes per element of the types a weight or constant may have; 0 for the others.
size_t elementBytes(int type) {
    switch (type) {
        case onnx::TensorProto::FLOAT:
        case onnx::TensorProto::INT32:
            return 4;
        case onnx::TensorProto::DOUBLE:
        case onnx::TensorProto::INT64:
            return 8;
        case onnx::TensorProto::FLOAT16:
        case onnx::TensorProto::INT16:
            return 2;
        case onnx::TensorProto::INT8:
        case onnx::TensorProto::UINT8:
        case onnx::TensorProto::BOOL:
            return 1;
        default:
            return 0;
    }
}

bool isFloatType(int type) {
    return type == onnx::TensorProto::FLOAT || type == onnx::TensorProto::DOUBLE ||
           type == onnx::TensorProto::FLOAT16;
}

// Where a tensor's bytes live in an external data file.
struct ExternalData {
    fs::path file;
    uint64_t offset = 0;
    int64_t length = -1;  // -1: to the end of the file
};

ExternalData externalData(const onnx::TensorProto& t, const fs::path& modelFile,
                          const std::function<void(const std::string&)>& fail) {
    ExternalData e;
    std::string location;
    for (const auto& entry : t.external_data()) {
        try {
            if (entry.key() == "location") location = entry.value();
            if (entry.key() == "offset") e.offset = std::stoull(entry.value());
            if (entry.key() == "length") e.length = std::stoll(entry.value());
        } catch (const std::exception&) {
            fail("external data entry '" + entry.key() + "' is not a number");
        }
    }
    const fs::path relative(location);
    // A model file must not reach outside its folder.
    if (location.empty() || relative.is_absolute() ||
        std::any_of(relative.begin(), relative.end(), [](const fs::path& p) { return p == ".."; }))
        fail("external data location '" + location + "' is not a file beside the model");
    e.file = modelFile.parent_path() / relative;
    return e;
}

// Reads the bytes of `t` (`bytes` of them) from its external data file.
std::string readExternal(const onnx::TensorProto& t, const fs::path& modelFile, size_t bytes,
                         const std::function<void(const std::string&)>& fail) {
    const ExternalData e = externalData(t, modelFile, fail);
    std::error_code ec;
    const auto fileSize = fs::file_size(e.file, ec);
    if (ec) fail("external data file " + e.file.string() + " is missing");
    if (e.length >= 0 && static_cast<size_t>(e.length) != bytes)
        fail("external data length " + std::to_string(e.length) + " does not match " +
             std::to_string(bytes) + " bytes of the tensor");
    if (e.offset + bytes > fileSize)
        fail("external data file " + e.file.string() + " is too short (" +
             std::to_string(fileSize) + " bytes; needs " + std::to_string(e.offset + bytes) + ")");
    std::string data(bytes, '\0');
    std::ifstream in(e.file, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(e.offset));
    if (!in.read(data.data(), static_cast<std::streamsize>(bytes)))
        fail("external data file " + e.file.string() + " cannot be read");
    return data;
}

// Converts a TensorProto, wherever its values are stored.
Constant readTensor(const onnx::TensorProto& t, const fs::path& modelFile,
                    const std::function<void(const std::string&)>& fail) {
    Constant c;
    c.dims.assign(t.dims().begin(), t.dims().end());
    for (int64_t d : c.dims)
        if (d < 0) fail("tensor '" + t.name() + "' has a negative dimension");
    const size_t count = elementCount(c.dims);
    const int type = t.data_type();
    const size_t bytes = elementBytes(type);
    if (!bytes)
        fail("tensor '" + t.name() + "' has the unsupported type " +
             onnx::TensorProto::DataType_Name(static_cast<onnx::TensorProto_DataType>(type)));
    c.integer = !isFloatType(type);
    if (count == 0) return c;
    std::string raw;
    const bool external = t.data_location() == onnx::TensorProto::EXTERNAL;
    if (external)
        raw = readExternal(t, modelFile, count * bytes, fail);
    else if (t.has_raw_data())
        raw = t.raw_data();
    auto sizeError = [&](size_t found) {
        fail("tensor '" + t.name() + "' " + dimsString(c.dims) + " holds " + std::to_string(found) +
             " values instead of " + std::to_string(count));
    };
    if (external || t.has_raw_data()) {
        if (raw.size() != count * bytes) sizeError(raw.size() / bytes);
        const char* p = raw.data();
        // ONNX stores raw data little-endian, as this machine is.
        auto load = [&](auto sample, auto&& put) {
            using T = decltype(sample);
            for (size_t k = 0; k < count; ++k) {
                T v;
                std::memcpy(&v, p + k * sizeof(T), sizeof(T));
                put(v);
            }
        };
        auto putF = [&](auto v) { c.f.push_back(static_cast<float>(v)); };
        auto putI = [&](auto v) { c.i.push_back(static_cast<int64_t>(v)); };
        c.integer ? c.i.reserve(count) : c.f.reserve(count);
        switch (type) {
            case onnx::TensorProto::FLOAT:
                c.f.resize(count);
                if (count) std::memcpy(c.f.data(), p, count * 4);
                break;
            case onnx::TensorProto::DOUBLE:
                load(double(), putF);
                break;
            case onnx::TensorProto::FLOAT16: {
                cv::Mat half(1, static_cast<int>(count), CV_16F, const_cast<char*>(p)), full;
                half.convertTo(full, CV_32F);
                c.f.assign(full.ptr<float>(), full.ptr<float>() + count);
                break;
            }
            case onnx::TensorProto::INT64:
                load(int64_t(), putI);
                break;
            case onnx::TensorProto::INT32:
                load(int32_t(), putI);
                break;
            case onnx::TensorProto::INT16:
                load(int16_t(), putI);
                break;
            case onnx::TensorProto::INT8:
                load(int8_t(), putI);
                break;
            default:  // UINT8, BOOL
                load(uint8_t(), putI);
                break;
        }
        return c;
    }
    // Typed fields: float_data, double_data, int64_data, or int32_data for the small types
    // (float16 as its bit pattern).
    switch (type) {
        case onnx::TensorProto::FLOAT:
            if (static_cast<size_t>(t.float_data_size()) != count) sizeError(t.float_data_size());
            c.f.assign(t.float_data().begin(), t.float_data().end());
            break;
        case onnx::TensorProto::DOUBLE:
            if (static_cast<size_t>(t.double_data_size()) != count) sizeError(t.double_data_size());
            c.f.assign(t.double_data().begin(), t.double_data().end());
            break;
        case onnx::TensorProto::INT64:
            if (static_cast<size_t>(t.int64_data_size()) != count) sizeError(t.int64_data_size());
            c.i.assign(t.int64_data().begin(), t.int64_data().end());
            break;
        case onnx::TensorProto::FLOAT16: {
            if (static_cast<size_t>(t.int32_data_size()) != count) sizeError(t.int32_data_size());
            std::vector<uint16_t> bits(t.int32_data().begin(), t.int32_data().end());
            cv::Mat half(1, static_cast<int>(count), CV_16F, bits.data()), full;
            half.convertTo(full, CV_32F);
            c.f.assign(full.ptr<float>(), full.ptr<float>() + count);
            break;
        }
        default:
            if (static_cast<size_t>(t.int32_data_size()) != count) sizeError(t.int32_data_size());
            c.i.assign(t.int32_data().begin(), t.int32_data().end());
            break;
    }
    return c;
}

onnx::ModelProto readModelProto(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(ErrorKind::Model, file.string() + ": cannot open the model file");
    onnx::ModelProto model;
    if (!model.ParseFromIstream(&in))
        throw Error(ErrorKind::Model, file.string() +
                                          ": not an ONNX model, or the file is truncated or "
                                          "damaged (protobuf parse failed)");
    if (!model.has_graph() || model.graph().node_size() == 0)
        throw Error(ErrorKind::Model, file.string() + ": the ONNX model has no graph");
    return model;
}

// The graph's one image input: a graph input that is no initialiser.
const onnx::ValueInfoProto& imageInput(const onnx::ModelProto& model, const fs::path& file) {
    std::set<std::string> initialisers;
    for (const auto& t : model.graph().initializer()) initialisers.insert(t.name());
    const onnx::ValueInfoProto* found = nullptr;
    for (const auto& in : model.graph().input()) {
        if (initialisers.count(in.name())) continue;
        if (found)
            throw Error(ErrorKind::Model, file.string() + ": the model has several inputs ('" +
                                              found->name() + "', '" + in.name() +
                                              "'); one image input is supported");
        found = &in;
    }
    if (!found) throw Error(ErrorKind::Model, file.string() + ": the model has no input");
    return *found;
}

// The declared dimensions of a value (0 where not fixed).
std::vector<int64_t> declaredDims(const onnx::ValueInfoProto& v) {
    std::vector<int64_t> dims;
    if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape()) return dims;
    for (const auto& d : v.type().tensor_type().shape().dim())
        dims.push_back(d.has_dim_value() ? d.dim_value() : 0);
    return dims;
}

int opsetVersion(const onnx::ModelProto& model) {
    for (const auto& o : model.opset_import())
        if (o.domain().empty() || o.domain() == "ai.onnx") return static_cast<int>(o.version());
    return 1;
}

// Converts one graph; holds what is known about each named value on the way.
class Converter {
public:
    Converter(const onnx::ModelProto& model, const fs::path& file, const CancelToken* cancel)
        : model_(model), file_(file), cancel_(cancel), graph_(file), opset_(opsetVersion(model)) {}

    ModelGraph run();

private:
    // What one node is converted by, and the node under conversion (for errors).
    using Handler = void (Converter::*)();
    const onnx::NodeProto* node_ = nullptr;

    [[noreturn]] void fail(const std::string& what) const {
        if (!node_) throw Error(ErrorKind::Model, file_.string() + ": " + what);
        const std::string name = node_->name().empty()
                                     ? (node_->output_size() ? node_->output(0) : std::string("?"))
                                     : node_->name();
        throw Error(ErrorKind::Model,
                    file_.string() + ": node '" + name + "' (" + node_->op_type() + "): " + what);
    }
    std::function<void(const std::string&)> failer() {
        return [this](const std::string& what) { fail(what); };
    }

    // Attributes of the current node.
    const onnx::AttributeProto* attribute(const std::string& name) const {
        for (const auto& a : node_->attribute())
            if (a.name() == name) return &a;
        return nullptr;
    }
    int64_t intAttr(const std::string& name, int64_t fallback) const {
        const auto* a = attribute(name);
        return a ? a->i() : fallback;
    }
    float floatAttr(const std::string& name, float fallback) const {
        const auto* a = attribute(name);
        return a ? a->f() : fallback;
    }
    std::string stringAttr(const std::string& name, const std::string& fallback) const {
        const auto* a = attribute(name);
        return a ? a->s() : fallback;
    }
    std::vector<int64_t> intsAttr(const std::string& name) const {
        const auto* a = attribute(name);
        return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end())
                 : std::vector<int64_t>();
    }

    // Inputs of the current node.
    bool hasInput(int k) const { return node_->input_size() > k && !node_->input(k).empty(); }
    bool isConstant(int k) const { return hasInput(k) && constants_.count(node_->input(k)); }
    const Constant& constantInput(int k, const char* what) {
        if (!hasInput(k)) fail(std::string("input ") + what + " is missing");
        auto it = constants_.find(node_->input(k));
        if (it == constants_.end())
            fail(std::string("input ") + what + " ('" + node_->input(k) +
                 "') must be a constant known when the model is loaded");
        return it->second;
    }
    int dynamicInput(int k) {
        if (!hasInput(k)) fail("input " + std::to_string(k) + " is missing");
        auto it = values_.find(node_->input(k));
        if (it == values_.end()) {
            if (constants_.count(node_->input(k)))
                fail("input '" + node_->input(k) +
                     "' is a constant where the image's data is expected");
            fail("reads '" + node_->input(k) + "', which no earlier node produces");
        }
        return it->second;
    }
    int rankOf(int k) { return ranks_.at(node_->input(k)); }
    LayerShape shapeOf(int graphNode) const {
        return graph_.layerShape(graphNode, declaredH_ > 0 ? declaredH_ : 224,
                                 declaredW_ > 0 ? declaredW_ : 224);
    }

    // Adds `n` as the layer the current node's first output names.
    int add(LayerNode n, int rank) {
        n.name = node_->output(0);  // what layers are addressed by, and errors name
        const int index = graph_.addNode(std::move(n));
        values_[node_->output(0)] = index;
        ranks_[node_->output(0)] = rank;
        return index;
    }
    LayerNode unary(OpType op) {
        LayerNode n;
        n.op = op;
        n.inputs = {dynamicInput(0)};
        return n;
    }
    // Kernel, strides, dilations, pads and auto_pad of Conv and the pooling ops.
    Window2D window(std::vector<int64_t> kernel);

    void conv();
    void relu();
    void leakyRelu();
    void clip();
    void activation();
    void maxPool();
    void averagePool();
    void globalAveragePool();
    void lrn();
    void batchNorm();
    void concat();
    void binary();
    void gemm();
    void matMul();
    void flatten();
    void reshape();
    void pad();
    void passThrough();
    void affine(int dynamic, const Constant& c, bool multiply);

    // Constant folding: true where the current node was evaluated at import.
    bool fold();
    Constant shapeOfInput();

    const onnx::ModelProto& model_;
    fs::path file_;
    const CancelToken* cancel_;
    ModelGraph graph_;
    int opset_;
    int64_t declaredH_ = 0, declaredW_ = 0;
    std::map<std::string, Constant> constants_;
    std::map<std::string, int> values_;  // image-dependent values: the layer producing each
    std::map<std::string, int> ranks_;   // their rank as ONNX counts it
};

Window2D Converter::window(std::vector<int64_t> kernel) {
    if (kernel.size() != 2) fail("only 2-D windows are supported");
    Window2D w;
    w.kh = static_cast<int>(kernel[0]);
    w.kw = static_cast<int>(kernel[1]);
    const auto strides = intsAttr("strides");
    const auto dilations = intsAttr("dilations");
    const auto pads = intsAttr("pads");
    if ((!strides.empty() && strides.size() != 2) ||
        (!dilations.empty() && dilations.size() != 2) || (!pads.empty() && pads.size() != 4))
        fail("strides, dilations and pads must be given for 2 spatial axes");
    if (!strides.empty()) w.sh = static_cast<int>(strides[0]), w.sw = static_cast<int>(strides[1]);
    if (!dilations.empty())
        w.dh = static_cast<int>(dilations[0]), w.dw = static_cast<int>(dilations[1]);
    if (!pads.empty()) {
        w.padH = {static_cast<int>(pads[0]), static_cast<int>(pads[2])};
        w.padW = {static_cast<int>(pads[1]), static_cast<int>(pads[3])};
    }
    const std::string autoPad = stringAttr("auto_pad", "NOTSET");
    if (autoPad == "SAME_UPPER")
        w.autoPad = AutoPad::SameUpper;
    else if (autoPad == "SAME_LOWER")
        w.autoPad = AutoPad::SameLower;
    else if (autoPad == "VALID")
        w.padH = w.padW = {};
    else if (autoPad != "NOTSET")
        fail("auto_pad '" + autoPad + "' is not supported");
    return w;
}

void Converter::conv() {
    if (rankOf(0) != 4) fail("only 2-D convolutions (4-D tensors) are supported");
    const Constant& weight = constantInput(1, "W");
    if (weight.dims.size() != 4 || weight.integer) fail("the kernel W must be 4-D floats");
    auto kernel = intsAttr("kernel_shape");
    if (kernel.empty()) kernel = {weight.dims[2], weight.dims[3]};
    if (kernel[0] != weight.dims[2] || kernel[1] != weight.dims[3])
        fail("kernel_shape does not match the kernel W " + dimsString(weight.dims));
    LayerNode n = unary(OpType::Conv2D);
    n.window = window(kernel);
    n.groups = static_cast<int>(intAttr("group", 1));
    n.filters = static_cast<int>(weight.dims[0]);
    n.weights["weight"] = {weight.dims, weight.f};
    if (hasInput(2)) {
        const Constant& bias = constantInput(2, "B");
        if (bias.integer || bias.size() != static_cast<size_t>(n.filters))
            fail("the bias B has " + std::to_string(bias.size()) + " values for " +
                 std::to_string(n.filters) + " filters");
        n.useBias = true;
        n.weights["bias"] = {{n.filters}, bias.f};
    }
    add(std::move(n), 4);
}

void Converter::relu() { add(unary(OpType::ReLU), rankOf(0)); }

void Converter::leakyRelu() {
    LayerNode n = unary(OpType::ReLU);
    n.reluSlope = floatAttr("alpha", 0.01f);
    add(std::move(n), rankOf(0));
}

void Converter::clip() {
    float lo = -std::numeric_limits<float>::infinity(), hi = -lo;
    if (opset_ < 11) {
        lo = floatAttr("min", lo);
        hi = floatAttr("max", hi);
    } else {
        if (hasInput(1)) lo = static_cast<float>(constantInput(1, "min").at(0));
        if (hasInput(2)) hi = static_cast<float>(constantInput(2, "max").at(0));
    }
    // Clip(0, max) is a ReLU with a cap, which the compiler fuses into the convolution before it.
    LayerNode n = unary(lo == 0.f && hi > 0.f ? OpType::ReLU : OpType::Clip);
    if (n.op == OpType::ReLU)
        n.reluMax = hi;
    else
        n.clipMin = lo, n.clipMax = hi;
    add(std::move(n), rankOf(0));
}

void Converter::activation() {
    LayerNode n = unary(OpType::Activation);
    const std::string& type = node_->op_type();
    n.activation = type == "Sigmoid" ? ActivationKind::Sigmoid
                   : type == "Tanh"  ? ActivationKind::Tanh
                                     : ActivationKind::Softmax;
    if (n.activation == ActivationKind::Softmax) {
        const int rank = rankOf(0);
        int64_t axis = intAttr("axis", opset_ < 13 ? 1 : -1);
        if (axis < 0) axis += rank;
        // Before opset 13 the axis splits the tensor in two; on a 2-D tensor both readings agree.
        if (axis != 1 || (rank != 2 && opset_ < 13))
            fail("softmax is supported over the channels of a 2-D tensor only");
    }
    add(std::move(n), rankOf(0));
}

void Converter::maxPool() {
    if (rankOf(0) != 4) fail("only 2-D pooling is supported");
    if (node_->output_size() > 1 && !node_->output(1).empty())
        fail("the Indices output is not supported");
    LayerNode n = unary(OpType::MaxPool2D);
    n.window = window(intsAttr("kernel_shape"));
    if (n.window.dh != 1 || n.window.dw != 1) fail("dilated pooling is not supported");
    n.window.ceilMode = intAttr("ceil_mode", 0) != 0;
    add(std::move(n), 4);
}

void Converter::averagePool() {
    if (rankOf(0) != 4) fail("only 2-D pooling is supported");
    LayerNode n = unary(OpType::AvgPool2D);
    n.window = window(intsAttr("kernel_shape"));
    n.window.ceilMode = intAttr("ceil_mode", 0) != 0;
    n.countIncludePad = intAttr("count_include_pad", 0) != 0;
    add(std::move(n), 4);
}

void Converter::globalAveragePool() {
    if (rankOf(0) != 4) fail("only 2-D pooling is supported");
    // ONNX keeps 1×1 spatial axes; the graph's global pooling gives a flat vector, which every
    // reader that follows here (Flatten, Reshape, Gemm, Softmax) takes alike.
    add(unary(OpType::GlobalAvgPool2D), 4);
}

void Converter::lrn() {
    if (rankOf(0) != 4) fail("LRN is supported on 4-D tensors");
    LayerNode n = unary(OpType::LRN);
    if (!attribute("size")) fail("the attribute 'size' is missing");
    n.lrnSize = static_cast<int>(intAttr("size", 1));
    n.lrnAlpha = floatAttr("alpha", 1e-4f);
    n.lrnBeta = floatAttr("beta", 0.75f);
    n.lrnBias = floatAttr("bias", 1.f);
    add(std::move(n), 4);
}

void Converter::batchNorm() {
    if (intAttr("training_mode", 0) != 0) fail("training mode is not supported");
    for (int k = 1; k < node_->output_size(); ++k)
        if (!node_->output(k).empty()) fail("running mean and variance outputs are not supported");
    LayerNode n = unary(OpType::BatchNorm);
    const char* names[] = {"scale", "B", "mean", "var"};
    const char* canonical[] = {"gamma", "beta", "mean", "variance"};
    size_t channels = 0;
    for (int k = 0; k < 4; ++k) {
        const Constant& c = constantInput(k + 1, names[k]);
        if (k == 0) channels = c.size();
        if (c.integer || c.size() != channels)
            fail(std::string("'") + names[k] + "' must hold one float per channel");
        n.weights[canonical[k]] = {{static_cast<int64_t>(channels)}, c.f};
    }
    n.epsilon = floatAttr("epsilon", 1e-5f);
    add(std::move(n), rankOf(0));
}

void Converter::concat() {
    LayerNode n;
    n.op = OpType::Concatenate;
    for (int k = 0; k < node_->input_size(); ++k) n.inputs.push_back(dynamicInput(k));
    const int rank = rankOf(0);
    int64_t axis = intAttr("axis", 1);
    if (axis < 0) axis += rank;
    if (axis != 1) fail("concatenation is supported along the channels (axis 1) only");
    n.axis = 1;
    add(std::move(n), rank);
}

// x * c or x + c with a constant c per channel (or one for all): a batch norm with no
// statistics, which the compiler folds into the convolution before it where it can.
void Converter::affine(int dynamic, const Constant& c, bool multiply) {
    const std::string name = node_->input(dynamic);
    const int source = values_.at(name);
    const int rank = ranks_.at(name);
    const int64_t channels = shapeOf(source).c;
    // Broadcasting must leave one value per channel: [C,1,1], [1,C,1,1], [C] on 2-D, a scalar.
    size_t nonUnit = 0;
    int64_t axisFromEnd = -1;
    for (size_t k = 0; k < c.dims.size(); ++k)
        if (c.dims[k] != 1) ++nonUnit, axisFromEnd = static_cast<int64_t>(c.dims.size() - 1 - k);
    const int64_t channelFromEnd = rank - 2;
    if (c.integer || nonUnit > 1 ||
        (nonUnit == 1 &&
         (axisFromEnd != channelFromEnd || c.size() != static_cast<size_t>(channels))) ||
        static_cast<int>(c.dims.size()) > rank)
        fail("a constant operand " + dimsString(c.dims) +
             " is supported only as one value per channel or one value for all");
    std::vector<float> values(static_cast<size_t>(channels));
    for (int64_t k = 0; k < channels; ++k) values[k] = c.f[nonUnit ? k : 0];
    LayerNode n;
    n.op = OpType::BatchNorm;
    n.inputs = {source};
    n.epsilon = 0.f;
    const int64_t cc = channels;
    n.weights["mean"] = {{cc}, std::vector<float>(channels, 0.f)};
    n.weights["variance"] = {{cc}, std::vector<float>(channels, 1.f)};
    n.weights["gamma"] = {{cc}, multiply ? values : std::vector<float>(channels, 1.f)};
    n.weights["beta"] = {{cc}, multiply ? std::vector<float>(channels, 0.f) : values};
    add(std::move(n), rank);
}

void Converter::binary() {
    const std::string& type = node_->op_type();
    const bool multiply = type == "Mul" || type == "Div";
    if (node_->input_size() != 2) fail("takes two inputs");
    if (isConstant(0) || isConstant(1)) {
        const int dynamic = isConstant(0) ? 1 : 0;
        if ((type == "Sub" || type == "Div") && dynamic == 1)
            fail("a constant minus or over the image's data is not supported");
        Constant c = constants_.at(node_->input(1 - dynamic));
        if (!c.integer) {
            if (type == "Sub")
                for (float& v : c.f) v = -v;
            if (type == "Div")
                for (float& v : c.f) v = 1.f / v;
        }
        dynamicInput(dynamic);  // a clear error where the other input is unknown
        affine(dynamic, c, multiply);
        return;
    }
    if (type == "Sub" || type == "Div") fail("is supported with a constant operand only");
    LayerNode n;
    n.op = multiply ? OpType::Multiply : OpType::Add;
    n.inputs = {dynamicInput(0), dynamicInput(1)};
    add(std::move(n), rankOf(0));
}

void Converter::gemm() {
    if (rankOf(0) != 2) fail("the first input must be 2-D");
    if (intAttr("transA", 0) != 0) fail("transA is not supported");
    const Constant& b = constantInput(1, "B");
    if (b.dims.size() != 2 || b.integer) fail("B must be a 2-D float matrix");
    const bool transB = intAttr("transB", 0) != 0;
    const float alpha = floatAttr("alpha", 1.f), beta = floatAttr("beta", 1.f);
    const int64_t out = transB ? b.dims[0] : b.dims[1], in = transB ? b.dims[1] : b.dims[0];
    LayerNode n = unary(OpType::Dense);
    n.filters = static_cast<int>(out);
    std::vector<float> w(static_cast<size_t>(out * in));
    for (int64_t o = 0; o < out; ++o)
        for (int64_t i = 0; i < in; ++i)
            w[o * in + i] = alpha * (transB ? b.f[o * in + i] : b.f[i * out + o]);
    n.weights["weight"] = {{out, in}, std::move(w)};
    if (hasInput(2)) {
        const Constant& c = constantInput(2, "C");
        if (c.integer || (c.size() != 1 && c.size() != static_cast<size_t>(out)) ||
            (c.dims.size() == 2 && c.dims[0] != 1))
            fail("C must hold one value per output (or one for all)");
        std::vector<float> bias(static_cast<size_t>(out));
        for (int64_t o = 0; o < out; ++o) bias[o] = beta * c.f[c.size() == 1 ? 0 : o];
        n.useBias = true;
        n.weights["bias"] = {{out}, std::move(bias)};
    }
    add(std::move(n), 2);
}

void Converter::matMul() {
    if (rankOf(0) != 2) fail("the first input must be 2-D");
    const Constant& b = constantInput(1, "B");
    if (b.dims.size() != 2 || b.integer) fail("B must be a 2-D float matrix");
    const int64_t in = b.dims[0], out = b.dims[1];
    LayerNode n = unary(OpType::Dense);
    n.filters = static_cast<int>(out);
    std::vector<float> w(static_cast<size_t>(out * in));
    for (int64_t o = 0; o < out; ++o)
        for (int64_t i = 0; i < in; ++i) w[o * in + i] = b.f[i * out + o];
    n.weights["weight"] = {{out, in}, std::move(w)};
    add(std::move(n), 2);
}

void Converter::flatten() {
    int64_t axis = intAttr("axis", 1);
    if (axis < 0) axis += rankOf(0);
    if (axis != 1) fail("flattening is supported from axis 1 only");
    LayerNode n = unary(OpType::Flatten);
    n.flattenOrder = LayerNode::FlattenOrder::NCHW;
    add(std::move(n), 2);
}

void Converter::reshape() {
    const Constant& shape = constantInput(1, "shape");
    const int source = dynamicInput(0);
    // Flattening to [batch, features] is the one reshape an image network needs before its
    // classifier; the batch may be spelt 1, 0 (copy) or -1, the features -1 or their count.
    const LayerShape s = shapeOf(source);
    const int64_t features = s.spatial ? s.h * s.w * s.c : s.c;
    bool flat = shape.integer && shape.size() == 2;
    if (flat) {
        const int64_t batch = shape.i[0], rest = shape.i[1];
        flat = (batch == 1 || batch == 0 || (batch == -1 && rest != -1)) &&
               (rest == -1 || rest == features || (rest == 0 && rankOf(0) == 2));
    }
    if (!flat)
        fail("reshaping to " + dimsString(shape.integer ? shape.i : std::vector<int64_t>{}) +
             " is not supported; only flattening to [batch, features]");
    LayerNode n = unary(OpType::Flatten);
    n.flattenOrder = LayerNode::FlattenOrder::NCHW;
    add(std::move(n), 2);
}

void Converter::pad() {
    const std::string mode = stringAttr("mode", "constant");
    if (mode != "constant") fail("pad mode '" + mode + "' is not supported");
    std::vector<int64_t> pads;
    float value = 0.f;
    if (opset_ < 11) {
        pads = intsAttr("pads");
        value = floatAttr("value", 0.f);
    } else {
        const Constant& p = constantInput(1, "pads");
        if (!p.integer) fail("pads must be integers");
        pads = p.i;
        if (hasInput(2)) value = static_cast<float>(constantInput(2, "constant_value").at(0));
        if (hasInput(3)) fail("the axes input is not supported");
    }
    if (rankOf(0) != 4 || pads.size() != 8) fail("padding is supported on 4-D tensors only");
    if (pads[0] || pads[1] || pads[4] || pads[5])
        fail("padding the batch or channel axis is not supported");
    for (int64_t p : pads)
        if (p < 0) fail("negative pads (cropping) are not supported");
    if (value != 0.f) fail("padding with a value other than 0 is not supported");
    LayerNode n = unary(OpType::ZeroPadding2D);
    n.padTop = static_cast<int>(pads[2]);
    n.padLeft = static_cast<int>(pads[3]);
    n.padBottom = static_cast<int>(pads[6]);
    n.padRight = static_cast<int>(pads[7]);
    add(std::move(n), 4);
}

void Converter::passThrough() { add(unary(OpType::Dropout), rankOf(0)); }

Constant Converter::shapeOfInput() {
    const int source = dynamicInput(0);
    if (declaredH_ <= 0 || declaredW_ <= 0)
        fail("computes with the shape of an image whose size the model does not fix");
    const LayerShape s = shapeOf(source);
    if (rankOf(0) == 4) {
        if (!s.spatial) return Constant::ints({4}, {1, s.c, 1, 1});
        return Constant::ints({4}, {1, s.c, s.h, s.w});
    }
    return Constant::ints({2}, {1, s.spatial ? s.h * s.w * s.c : s.c});
}

// Strides of a row-major tensor.
std::vector<size_t> stridesOf(const std::vector<int64_t>& dims) {
    std::vector<size_t> strides(dims.size(), 1);
    for (size_t k = dims.size(); k-- > 1;)
        strides[k - 1] = strides[k] * static_cast<size_t>(dims[k]);
    return strides;
}

// A constant of `dims` whose value at each position is `source`'s at `index(position)`.
Constant gatherConstant(const Constant& source, const std::vector<int64_t>& dims,
                        const std::function<size_t(const std::vector<int64_t>&)>& index) {
    Constant out;
    out.dims = dims;
    out.integer = source.integer;
    const size_t count = elementCount(dims);
    std::vector<int64_t> pos(dims.size(), 0);
    for (size_t k = 0; k < count; ++k) {
        const size_t from = index(pos);
        if (source.integer)
            out.i.push_back(source.i[from]);
        else
            out.f.push_back(source.f[from]);
        for (size_t d = dims.size(); d-- > 0;) {
            if (++pos[d] < dims[d]) break;
            pos[d] = 0;
        }
    }
    return out;
}

bool Converter::fold() {
    const std::string& type = node_->op_type();
    static const std::set<std::string> foldable = {
        "Constant", "Shape",     "Size",    "Gather",   "Unsqueeze", "Squeeze", "Concat",
        "Slice",    "Cast",      "Reshape", "Identity", "Add",       "Sub",     "Mul",
        "Div",      "Transpose", "Floor",   "Ceil",     "Neg",       "Range",   "ConstantOfShape",
        "Equal",    "Where"};
    if (!foldable.count(type)) return false;
    // Folded only when every input is known at import (Shape and Size need only the shape).
    for (int k = 0; k < node_->input_size(); ++k) {
        if (node_->input(k).empty()) continue;
        if (constants_.count(node_->input(k))) continue;
        if ((type == "Shape" || type == "Size") && k == 0) continue;
        return false;
    }
    auto in = [&](int k) -> const Constant& { return constantInput(k, std::to_string(k).c_str()); };
    auto normAxis = [&](int64_t axis, size_t rank) {
        if (axis < 0) axis += static_cast<int64_t>(rank);
        if (axis < 0 || axis >= static_cast<int64_t>(rank)) fail("axis out of range");
        return static_cast<size_t>(axis);
    };
    auto axesOf = [&](int inputIndex) {
        if (opset_ >= 13 && hasInput(inputIndex)) return in(inputIndex).i;
        return intsAttr("axes");
    };
    Constant out;
    if (type == "Constant") {
        if (const auto* a = attribute("value"))
            out = readTensor(a->t(), file_, failer());
        else if (const auto* a = attribute("value_float"))
            out = Constant::floats({}, {a->f()});
        else if (const auto* a = attribute("value_floats"))
            out = Constant::floats({a->floats_size()}, {a->floats().begin(), a->floats().end()});
        else if (const auto* a = attribute("value_int"))
            out = Constant::ints({}, {a->i()});
        else if (const auto* a = attribute("value_ints"))
            out = Constant::ints({a->ints_size()}, {a->ints().begin(), a->ints().end()});
        else
            fail("holds no supported value (sparse or string constants are not supported)");
    } else if (type == "Shape" || type == "Size") {
        Constant s;
        if (constants_.count(node_->input(0))) {
            const Constant& c = in(0);
            s = Constant::ints({static_cast<int64_t>(c.dims.size())}, c.dims);
        } else {
            s = shapeOfInput();
        }
        if (type == "Size") {
            int64_t n = 1;
            for (int64_t d : s.i) n *= d;
            out = Constant::ints({}, {n});
        } else {
            int64_t start = intAttr("start", 0), end = intAttr("end", s.size());
            const int64_t rank = static_cast<int64_t>(s.size());
            if (start < 0) start += rank;
            if (end < 0) end += rank;
            start = std::clamp<int64_t>(start, 0, rank);
            end = std::clamp<int64_t>(end, start, rank);
            out = Constant::ints({end - start}, {s.i.begin() + start, s.i.begin() + end});
        }
    } else if (type == "Identity") {
        out = in(0);
    } else if (type == "Cast") {
        const Constant& c = in(0);
        const int to = static_cast<int>(intAttr("to", onnx::TensorProto::FLOAT));
        if (isFloatType(to)) {
            out = Constant::floats(c.dims, {});
            for (size_t k = 0; k < c.size(); ++k) out.f.push_back(static_cast<float>(c.at(k)));
        } else {
            out = Constant::ints(c.dims, {});
            for (size_t k = 0; k < c.size(); ++k)
                out.i.push_back(static_cast<int64_t>(std::trunc(c.at(k))));
        }
    } else if (type == "Unsqueeze" || type == "Squeeze") {
        out = in(0);
        std::vector<int64_t> axes = axesOf(1);
        if (type == "Unsqueeze") {
            const size_t rank = out.dims.size() + axes.size();
            std::vector<size_t> sorted;
            for (int64_t a : axes) sorted.push_back(normAxis(a, rank));
            std::sort(sorted.begin(), sorted.end());
            for (size_t a : sorted) out.dims.insert(out.dims.begin() + static_cast<int64_t>(a), 1);
        } else {
            std::vector<int64_t> dims;
            std::set<size_t> drop;
            for (int64_t a : axes) drop.insert(normAxis(a, out.dims.size()));
            for (size_t k = 0; k < out.dims.size(); ++k)
                if (!(axes.empty() ? out.dims[k] == 1 : drop.count(k) > 0))
                    dims.push_back(out.dims[k]);
            out.dims = dims;
        }
    } else if (type == "Reshape") {
        out = in(0);
        std::vector<int64_t> dims = in(1).i;
        int64_t known = 1, unknown = -1;
        for (size_t k = 0; k < dims.size(); ++k) {
            if (dims[k] == 0 && k < out.dims.size()) dims[k] = out.dims[k];
            if (dims[k] == -1)
                unknown = static_cast<int64_t>(k);
            else
                known *= dims[k];
        }
        if (unknown >= 0 && known > 0) dims[unknown] = static_cast<int64_t>(out.size()) / known;
        if (elementCount(dims) != out.size()) fail("reshape changes the number of values");
        out.dims = dims;
    } else if (type == "Concat") {
        const Constant& first = in(0);
        const size_t rank = first.dims.size();
        const size_t axis = normAxis(intAttr("axis", 0), std::max<size_t>(rank, 1));
        if (rank == 0) fail("cannot concatenate scalars");
        out.dims = first.dims;
        out.dims[axis] = 0;
        std::vector<const Constant*> parts;
        bool integer = true;
        for (int k = 0; k < node_->input_size(); ++k) {
            if (node_->input(k).empty()) continue;
            parts.push_back(&in(k));
            if (parts.back()->dims.size() != rank) fail("inputs differ in rank");
            out.dims[axis] += parts.back()->dims[axis];
            integer = integer && parts.back()->integer;
        }
        out.integer = integer;
        // Outer blocks before the axis, then each part's slab in turn.
        size_t outer = 1;
        for (size_t d = 0; d < axis; ++d) outer *= static_cast<size_t>(first.dims[d]);
        for (size_t o = 0; o < outer; ++o)
            for (const Constant* p : parts) {
                const size_t slab = outer ? p->size() / outer : 0;
                for (size_t k = o * slab; k < (o + 1) * slab; ++k)
                    integer ? out.i.push_back(p->i[k])
                            : out.f.push_back(static_cast<float>(p->at(k)));
            }
    } else if (type == "Gather") {
        const Constant& data = in(0);
        const Constant& indices = in(1);
        if (data.dims.empty()) fail("cannot gather from a scalar");
        const size_t axis = normAxis(intAttr("axis", 0), data.dims.size());
        std::vector<int64_t> dims(data.dims.begin(), data.dims.begin() + axis);
        dims.insert(dims.end(), indices.dims.begin(), indices.dims.end());
        dims.insert(dims.end(), data.dims.begin() + axis + 1, data.dims.end());
        const auto strides = stridesOf(data.dims);
        const size_t idxRank = indices.dims.size();
        const auto idxStrides = stridesOf(indices.dims);
        out = gatherConstant(data, dims, [&](const std::vector<int64_t>& pos) {
            size_t idx = 0;
            for (size_t k = 0; k < idxRank; ++k) idx += pos[axis + k] * idxStrides[k];
            int64_t at = static_cast<int64_t>(indices.at(idx));
            if (at < 0) at += data.dims[axis];
            if (at < 0 || at >= data.dims[axis]) fail("index out of range");
            size_t from = static_cast<size_t>(at) * strides[axis];
            for (size_t k = 0; k < axis; ++k) from += pos[k] * strides[k];
            for (size_t k = axis + 1; k < data.dims.size(); ++k)
                from += pos[k + idxRank - 1] * strides[k];
            return from;
        });
    } else if (type == "Slice") {
        const Constant& data = in(0);
        std::vector<int64_t> starts, ends, axes, steps;
        if (opset_ < 10) {
            starts = intsAttr("starts"), ends = intsAttr("ends"), axes = intsAttr("axes");
        } else {
            starts = in(1).i, ends = in(2).i;
            if (hasInput(3)) axes = in(3).i;
            if (hasInput(4)) steps = in(4).i;
        }
        if (axes.empty())
            for (size_t k = 0; k < starts.size(); ++k) axes.push_back(static_cast<int64_t>(k));
        if (steps.empty()) steps.assign(starts.size(), 1);
        const size_t rank = data.dims.size();
        std::vector<int64_t> begin(rank, 0), step(rank, 1), dims = data.dims;
        for (size_t k = 0; k < axes.size(); ++k) {
            const size_t a = normAxis(axes[k], rank);
            const int64_t n = data.dims[a], s = steps[k];
            if (s == 0) fail("slice step 0");
            int64_t b = starts[k], e = ends[k];
            if (b < 0) b += n;
            if (e < 0) e += n;
            if (s > 0) {
                b = std::clamp<int64_t>(b, 0, n);
                e = std::clamp<int64_t>(e, 0, n);
                dims[a] = e > b ? (e - b + s - 1) / s : 0;
            } else {
                b = std::clamp<int64_t>(b, -1, n - 1);
                e = std::clamp<int64_t>(e, -1, n - 1);
                dims[a] = b > e ? (b - e - s - 1) / -s : 0;
            }
            begin[a] = b;
            step[a] = s;
        }
        const auto strides = stridesOf(data.dims);
        out = gatherConstant(data, dims, [&](const std::vector<int64_t>& pos) {
            size_t from = 0;
            for (size_t k = 0; k < rank; ++k)
                from += static_cast<size_t>(begin[k] + pos[k] * step[k]) * strides[k];
            return from;
        });
    } else if (type == "Transpose") {
        const Constant& data = in(0);
        const size_t rank = data.dims.size();
        std::vector<int64_t> perm = intsAttr("perm");
        if (perm.empty())
            for (size_t k = rank; k-- > 0;) perm.push_back(static_cast<int64_t>(k));
        if (perm.size() != rank) fail("perm does not match the rank");
        std::vector<int64_t> dims;
        for (int64_t p : perm) dims.push_back(data.dims[normAxis(p, rank)]);
        const auto strides = stridesOf(data.dims);
        out = gatherConstant(data, dims, [&](const std::vector<int64_t>& pos) {
            size_t from = 0;
            for (size_t k = 0; k < rank; ++k) from += pos[k] * strides[perm[k]];
            return from;
        });
    } else if (type == "ConstantOfShape") {
        const Constant& shape = in(0);
        Constant value = Constant::floats({}, {0.f});
        if (const auto* a = attribute("value")) value = readTensor(a->t(), file_, failer());
        const size_t count = elementCount(shape.i);
        out = value.integer ? Constant::ints(shape.i, std::vector<int64_t>(count, value.i.at(0)))
                            : Constant::floats(shape.i, std::vector<float>(count, value.f.at(0)));
    } else if (type == "Range") {
        const double start = in(0).at(0), limit = in(1).at(0), delta = in(2).at(0);
        if (delta == 0) fail("range step 0");
        const int64_t n =
            std::max<int64_t>(static_cast<int64_t>(std::ceil((limit - start) / delta)), 0);
        out = in(0).integer ? Constant::ints({n}, {}) : Constant::floats({n}, {});
        for (int64_t k = 0; k < n; ++k)
            out.integer ? out.i.push_back(static_cast<int64_t>(start + k * delta))
                        : out.f.push_back(static_cast<float>(start + k * delta));
    } else {
        // Elementwise: Add, Sub, Mul, Div, Equal, Where, Floor, Ceil, Neg, with broadcasting
        // of the trailing axes.
        std::vector<const Constant*> ops;
        for (int k = 0; k < node_->input_size(); ++k) ops.push_back(&in(k));
        std::vector<int64_t> dims;
        for (const Constant* c : ops)
            if (c->dims.size() > dims.size()) dims.resize(c->dims.size(), 1);
        for (const Constant* c : ops)
            for (size_t k = 0; k < c->dims.size(); ++k) {
                int64_t& d = dims[dims.size() - c->dims.size() + k];
                if (c->dims[k] != 1) {
                    if (d != 1 && d != c->dims[k]) fail("shapes do not broadcast");
                    d = c->dims[k];
                }
            }
        auto value = [&](const Constant& c, const std::vector<int64_t>& pos) {
            size_t from = 0, stride = 1;
            for (size_t k = c.dims.size(); k-- > 0;) {
                const int64_t p = pos[pos.size() - c.dims.size() + k];
                from += (c.dims[k] == 1 ? 0 : static_cast<size_t>(p)) * stride;
                stride *= static_cast<size_t>(c.dims[k]);
            }
            return c.at(from);
        };
        const bool integer =
            type == "Equal" || std::all_of(ops.begin() + (type == "Where" ? 1 : 0), ops.end(),
                                           [](const Constant* c) { return c->integer; });
        out = integer ? Constant::ints(dims, {}) : Constant::floats(dims, {});
        const size_t count = elementCount(dims);
        std::vector<int64_t> pos(dims.size(), 0);
        for (size_t k = 0; k < count; ++k) {
            const double a = value(*ops[0], pos);
            const double b = ops.size() > 1 ? value(*ops[1], pos) : 0;
            double r = 0;
            if (type == "Add") r = a + b;
            if (type == "Sub") r = a - b;
            if (type == "Mul") r = a * b;
            if (type == "Div") {
                if (integer && b == 0) fail("division by zero");
                r = integer ? std::trunc(a / b) : a / b;
            }
            if (type == "Equal") r = a == b;
            if (type == "Where") r = a != 0 ? b : value(*ops[2], pos);
            if (type == "Floor") r = std::floor(a);
            if (type == "Ceil") r = std::ceil(a);
            if (type == "Neg") r = -a;
            integer ? out.i.push_back(static_cast<int64_t>(r))
                    : out.f.push_back(static_cast<float>(r));
            for (size_t d = dims.size(); d-- > 0;) {
                if (++pos[d] < dims[d]) break;
                pos[d] = 0;
            }
        }
    }
    constants_[node_->output(0)] = std::move(out);
    return true;
}

ModelGraph Converter::run() {
    const onnx::GraphProto& g = model_.graph();
    for (const auto& o : model_.opset_import())
        if (!o.domain().empty() && o.domain() != "ai.onnx" && o.domain() != "ai.onnx.ml")
            fail("operators of the domain '" + o.domain() + "' are not supported");
    for (const auto& t : g.initializer()) {
        if (cancel_ && cancel_->cancelled())
            throw Error(ErrorKind::Cancelled, "loading the model was cancelled");
        constants_[t.name()] = readTensor(
            t, file_, [&](const std::string& what) { fail("weight '" + t.name() + "': " + what); });
    }
    const onnx::ValueInfoProto& input = imageInput(model_, file_);
    const std::vector<int64_t> dims = declaredDims(input);
    if (dims.size() != 4)
        fail("the input '" + input.name() + "' must be a 4-D image tensor (N, C, H, W)");
    if (dims[1] <= 0) fail("the input '" + input.name() + "' does not fix its channel count");
    declaredH_ = dims[2];
    declaredW_ = dims[3];
    NodeProvenance inputProvenance;
    inputProvenance.sourceLayer = input.name();
    values_[input.name()] =
        graph_.addInput(input.name(), static_cast<int>(dims[1]), inputProvenance);
    ranks_[input.name()] = 4;

    static const std::map<std::string, Handler> handlers = {
        {"Conv", &Converter::conv},
        {"Relu", &Converter::relu},
        {"LeakyRelu", &Converter::leakyRelu},
        {"Clip", &Converter::clip},
        {"Sigmoid", &Converter::activation},
        {"Tanh", &Converter::activation},
        {"Softmax", &Converter::activation},
        {"MaxPool", &Converter::maxPool},
        {"AveragePool", &Converter::averagePool},
        {"GlobalAveragePool", &Converter::globalAveragePool},
        {"LRN", &Converter::lrn},
        {"BatchNormalization", &Converter::batchNorm},
        {"Concat", &Converter::concat},
        {"Add", &Converter::binary},
        {"Sub", &Converter::binary},
        {"Mul", &Converter::binary},
        {"Div", &Converter::binary},
        {"Gemm", &Converter::gemm},
        {"MatMul", &Converter::matMul},
        {"Flatten", &Converter::flatten},
        {"Reshape", &Converter::reshape},
        {"Pad", &Converter::pad},
        {"Dropout", &Converter::passThrough},
        {"Identity", &Converter::passThrough},
    };
    for (const auto& node : g.node()) {
        if (cancel_ && cancel_->cancelled())
            throw Error(ErrorKind::Cancelled, "loading the model was cancelled");
        node_ = &node;
        if (!node.domain().empty() && node.domain() != "ai.onnx")
            fail("the operator domain '" + node.domain() + "' is not supported");
        if (node.output_size() == 0 || node.output(0).empty()) fail("has no output");
        if (values_.count(node.output(0)) || constants_.count(node.output(0)))
            fail("its output '" + node.output(0) + "' is produced twice");
        if (fold()) continue;
        const auto it = handlers.find(node.op_type());
        if (it == handlers.end()) fail("the operator is not supported");
        (this->*(it->second))();
    }
    node_ = nullptr;
    addCaffeBlobAliases(graph_);
    return std::move(graph_);
}

}  // namespace

ModelGraph importOnnx(const fs::path& file, const CancelToken* cancel) {
    const onnx::ModelProto model = readModelProto(file);
    return Converter(model, file, cancel).run();
}

void checkOnnxModelFiles(const fs::path& file) {
    const onnx::ModelProto model = readModelProto(file);
    imageInput(model, file);
    auto fail = [&](const onnx::TensorProto& t) {
        return [&](const std::string& what) {
            throw Error(ErrorKind::Model, file.string() + ": weight '" + t.name() + "': " + what);
        };
    };
    for (const auto& t : model.graph().initializer()) {
        if (t.data_location() != onnx::TensorProto::EXTERNAL) continue;
        const ExternalData e = externalData(t, file, fail(t));
        std::error_code ec;
        const auto size = fs::file_size(e.file, ec);
        const size_t bytes =
            elementCount({t.dims().begin(), t.dims().end()}) * elementBytes(t.data_type());
        if (ec) fail(t)("external data file " + e.file.string() + " is missing");
        if (e.offset + bytes > size)
            fail(t)("external data file " + e.file.string() + " is too short");
    }
}

OnnxFileFacts onnxFileFacts(const fs::path& file) {
    const onnx::ModelProto model = readModelProto(file);
    OnnxFileFacts facts;
    facts.producer = model.producer_name();
    const auto dims = declaredDims(imageInput(model, file));
    if (dims.size() == 4) {
        facts.inputHeight = static_cast<int>(dims[2]);
        facts.inputWidth = static_cast<int>(dims[3]);
    }
    std::set<fs::path> seen;
    for (const auto& t : model.graph().initializer()) {
        if (t.data_location() != onnx::TensorProto::EXTERNAL) continue;
        const ExternalData e = externalData(t, file, [&](const std::string& what) {
            throw Error(ErrorKind::Model, file.string() + ": weight '" + t.name() + "': " + what);
        });
        const fs::path relative = e.file.lexically_relative(file.parent_path());
        if (seen.insert(relative).second) facts.externalData.push_back(relative);
    }
    return facts;
}

void addCaffeBlobAliases(ModelGraph& graph) {
    const auto& nodes = graph.nodes();
    const bool caffe2 = std::any_of(nodes.begin(), nodes.end(), [](const LayerNode& n) {
        return n.name.rfind("inception_", 0) == 0 && n.name.find("/output_") != std::string::npos;
    });
    if (!caffe2) return;
    // The last writer of each blob: the highest counter.
    std::map<std::string, std::pair<long, int>> last;
    for (size_t i = 0; i < nodes.size(); ++i) {
        const std::string& name = nodes[i].name;
        const size_t cut = name.rfind('_');
        if (cut == std::string::npos || cut + 1 == name.size() ||
            name.find_first_not_of("0123456789", cut + 1) != std::string::npos)
            continue;
        const long counter = std::stol(name.substr(cut + 1));
        auto& best = last[name.substr(0, cut)];
        if (counter >= best.first) best = {counter, static_cast<int>(i)};
    }
    for (const auto& [blob, writer] : last) graph.addAlias(blob, writer.second);
}

}  // namespace inceptionist
