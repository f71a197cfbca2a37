#include "core/model/classifier_probe.h"

#include <onnx/onnx_pb.h>

#include <fstream>
#include <map>

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

int kerasH5HeadClasses(const fs::path& file) {
    const Hdf5File h5(file);
    const auto config = h5.stringAttribute("/", "model_config");
    if (!config) return 0;  // weights only
    KerasModel model;
    model.source = file;
    parseKerasModelConfig(nlohmann::json::parse(*config), model);
    return kerasHeadClasses(model);
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

int onnxHeadClasses(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    onnx::ModelProto model;
    if (!in || !model.ParseFromIstream(&in)) return 0;
    const onnx::GraphProto& graph = model.graph();
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

}  // namespace

int classifierHeadClasses(const fs::path& path) {
    try {
        const fs::path file = findModelFile(path);
        if (file.extension() == ".json") return kerasHeadClasses(readTfjsTopology(file));
        if (file.extension() == ".h5") return kerasH5HeadClasses(file);
        if (file.extension() == ".onnx") return onnxHeadClasses(file);
    } catch (const std::exception&) {
        // A model that cannot be read offers no classes; loading it says why.
    }
    return 0;
}

void findClassifierHeads(std::vector<ModelManifest>& models, const fs::path& dir) {
    for (auto& m : models) {
        try {
            m.headClasses = classifierHeadClasses(modelPath(dir, m.id));
        } catch (const std::exception&) {
            m.headClasses = 0;
        }
    }
}

}  // namespace inceptionist
