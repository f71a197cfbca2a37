#include "core/model/classifier_probe.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "core/model/hdf5_file.h"
#include "core/model/importer.h"
#include "core/model/keras_topology.h"
#include "core/model/model_store.h"
#include "core/model/tfjs_reader.h"

namespace inceptionist {
namespace fs = std::filesystem;

namespace {

int denseUnits(const KerasLayer& l) {
    return l.className == "Dense" ? l.config.value("units", 0) : 0;
}

bool isSoftmax(const KerasLayer& l) {
    if (l.className == "Softmax") return true;
    return (l.className == "Activation" || l.className == "Dense") &&
           l.config.value("activation", std::string()) == "softmax";
}

// As findClassifierHead: the last softmax fed by a Dense (Keras' fused Dense(softmax) is one
// layer here), else a Dense layer that ends the model.
int kerasHeadClasses(const KerasModel& model) {
    std::map<std::string, const KerasLayer*> byName;
    for (const auto& l : model.layers) byName[l.name] = &l;
    for (auto it = model.layers.rbegin(); it != model.layers.rend(); ++it) {
        if (!isSoftmax(*it)) continue;
        if (int units = denseUnits(*it)) return units;
        if (it->inputs.size() != 1) continue;
        const auto in = byName.find(it->inputs[0]);
        if (in != byName.end())
            if (int units = denseUnits(*in->second)) return units;
    }
    return model.layers.empty() ? 0 : denseUnits(model.layers.back());
}

// The larger side the input layer declares, where the model flattens a feature map.
int kerasMinimumSide(const KerasModel& model) {
    const bool flattens = std::any_of(model.layers.begin(), model.layers.end(),
                                      [](const KerasLayer& l) { return l.className == "Flatten"; });
    if (!flattens) return 0;
    int side = 0;
    for (const auto& l : model.layers) {
        const auto shape = l.config.value("batch_input_shape", nlohmann::json());
        if (!shape.is_array() || shape.size() != 4) continue;
        for (int axis : {1, 2})
            if (shape[axis].is_number_integer()) side = std::max(side, shape[axis].get<int>());
    }
    return side;
}

ClassifierHeadFacts kerasHead(const KerasModel& model) {
    const int classes = kerasHeadClasses(model);
    return {classes, classes > 0 ? kerasMinimumSide(model) : 0};
}

ClassifierHeadFacts kerasH5Head(const fs::path& file) {
    const Hdf5File h5(file);
    const auto config = h5.stringAttribute("/", "model_config");
    if (!config) return {};  // weights only
    KerasModel model;
    model.source = file;
    parseKerasModelConfig(nlohmann::json::parse(*config), model);
    return kerasHead(model);
}

// The classes of a Gemm's output: its weight B is [classes, inputs] with transB, else the other
// way round.
int gemmClasses(const onnx::NodeProto& gemm, const onnx::GraphProto& graph) {
    if (gemm.input_size() < 2) return 0;
    bool transB = false;
    for (const auto& a : gemm.attribute())
        if (a.name() == "transB") transB = a.i() != 0;
    for (const auto& t : graph.initializer())
        if (t.name() == gemm.input(1) && t.dims_size() == 2)
            return static_cast<int>(t.dims(transB ? 0 : 1));
    return 0;
}

int onnxHeadClasses(const onnx::GraphProto& graph) {
    std::map<std::string, const onnx::NodeProto*> producer;
    for (const auto& n : graph.node())
        for (const auto& out : n.output()) producer[out] = &n;
    auto gemmBehind = [&](const std::string& value) -> int {
        const auto p = producer.find(value);
        return p != producer.end() && p->second->op_type() == "Gemm"
                   ? gemmClasses(*p->second, graph)
                   : 0;
    };
    for (int i = graph.node_size() - 1; i >= 0; --i) {
        const onnx::NodeProto& n = graph.node(i);
        if (n.op_type() == "Softmax" && n.input_size() == 1)
            if (int classes = gemmBehind(n.input(0))) return classes;
    }
    return graph.output_size() > 0 ? gemmBehind(graph.output(0).name()) : 0;
}

// The larger spatial side of the declared image input (NCHW), where the graph flattens a map.
int onnxMinimumSide(const onnx::GraphProto& graph) {
    const bool flattens = std::any_of(graph.node().begin(), graph.node().end(), [](const auto& n) {
        return n.op_type() == "Flatten" || n.op_type() == "Reshape";
    });
    if (!flattens) return 0;
    std::set<std::string> initialisers;
    for (const auto& t : graph.initializer()) initialisers.insert(t.name());
    for (const auto& in : graph.input()) {
        if (initialisers.count(in.name())) continue;
        const auto& dims = in.type().tensor_type().shape().dim();
        if (dims.size() != 4) continue;
        return static_cast<int>(std::max(dims[2].dim_value(), dims[3].dim_value()));
    }
    return 0;
}

ClassifierHeadFacts onnxHead(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    onnx::ModelProto model;
    if (!in || !model.ParseFromIstream(&in)) return {};
    const int classes = onnxHeadClasses(model.graph());
    return {classes, classes > 0 ? onnxMinimumSide(model.graph()) : 0};
}

}  // namespace

ClassifierHeadFacts probeClassifierHead(const fs::path& path) {
    try {
        const fs::path file = findModelFile(path);
        if (file.extension() == ".json") return kerasHead(readTfjsTopology(file));
        if (file.extension() == ".h5") return kerasH5Head(file);
        if (file.extension() == ".onnx") return onnxHead(file);
    } catch (const std::exception&) {
        // A model that cannot be read offers no classes; loading it says why.
    }
    return {};
}

void findClassifierHeads(std::vector<ModelManifest>& models, const fs::path& dir) {
    for (auto& m : models) {
        ClassifierHeadFacts head;
        try {
            head = probeClassifierHead(modelPath(dir, m.id));
        } catch (const std::exception&) {
            // No such folder any more: no classes.
        }
        m.headClasses = head.classes;
        m.headMinimumSide = head.minimumSide;
    }
}

}  // namespace inceptionist
