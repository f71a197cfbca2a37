#include "core/model/keras_h5_importer.h"

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "core/model/hdf5_file.h"
#include "core/model/keras_topology.h"
#include "core/model/model_store.h"
#include "core/model/tfjs_reader.h"
#include "core/params/errors.h"

namespace inceptionist {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

[[noreturn]] void fail(const fs::path& file, const std::string& what) {
    throw Error(ErrorKind::Model, file.string() + ": " + what);
}

void checkCancel(const CancelToken* cancel) {
    if (cancel && cancel->cancelled()) throw Error(ErrorKind::Cancelled, "model load cancelled");
}

// "conv2d_1/kernel:0" -> "kernel": the parameter, without the scope before it or the output
// index after it.
std::string parameterName(const std::string& weightName) {
    const auto slash = weightName.rfind('/');
    std::string param = slash == std::string::npos ? weightName : weightName.substr(slash + 1);
    if (const auto colon = param.find(':'); colon != std::string::npos) param.resize(colon);
    return param;
}

// One layer's weights as the file lists them.
struct StoredLayer {
    std::string name;                      // the layer's group
    std::vector<std::string> weightNames;  // datasets inside the group, in Keras' order
};

// The layers of the weights group `group` ("model_weights" or the root) that hold weights, in
// the order its `layer_names` attribute gives.
std::vector<StoredLayer> storedLayers(const Hdf5File& h5, const std::string& group) {
    const auto names = h5.stringListAttribute(group, "layer_names");
    if (!names) fail(h5.path(), "'" + group + "' has no 'layer_names' attribute");
    std::vector<StoredLayer> layers;
    for (const auto& name : *names) {
        const std::string path = group == "/" ? name : group + "/" + name;
        if (!h5.hasGroup(path))
            fail(h5.path(), "layer '" + name + "': its weights group is missing");
        auto weights = h5.stringListAttribute(path, "weight_names");
        if (!weights) fail(h5.path(), "layer '" + name + "': no 'weight_names' attribute");
        if (!weights->empty()) layers.push_back({name, std::move(*weights)});
    }
    return layers;
}

// Reads `stored`'s weights from `group` into `model` as "<asLayer>/<param>".
void readLayerWeights(const Hdf5File& h5, const std::string& group, const StoredLayer& stored,
                      const std::string& asLayer, KerasModel& model, const CancelToken* cancel) {
    const std::string prefix = (group == "/" ? "" : group + "/") + stored.name + "/";
    for (const auto& weightName : stored.weightNames) {
        checkCancel(cancel);
        model.weights[asLayer + "/" + parameterName(weightName)] =
            h5.readFloats(prefix + weightName);
    }
}

json parseModelConfig(const fs::path& file, const std::string& text) {
    try {
        return json::parse(text);
    } catch (const json::exception& e) {
        fail(file, std::string("the model_config attribute is malformed JSON: ") + e.what());
    }
}

// Whole model: topology from `model_config`, weights (where `withWeights`) from `model_weights`.
KerasModel readWholeModel(const Hdf5File& h5, const std::string& config, bool withWeights,
                          const CancelToken* cancel) {
    KerasModel model;
    model.source = h5.path();
    model.kerasVersion = h5.stringAttribute("/", "keras_version").value_or("");
    parseKerasModelConfig(parseModelConfig(h5.path(), config), model);
    if (!withWeights) return model;
    if (!h5.hasGroup("model_weights")) fail(h5.path(), "the group 'model_weights' is missing");
    std::set<std::string> known;
    for (const auto& l : model.layers) known.insert(l.name);
    for (const auto& stored : storedLayers(h5, "model_weights")) {
        if (!known.count(stored.name))
            fail(h5.path(), "layer '" + stored.name +
                                "' has weights in 'model_weights' but is not in the topology");
        readLayerWeights(h5, "model_weights", stored, stored.name, model, cancel);
    }
    return model;
}

// An architecture whose weights-only files we can read: the topology comes from one of the
// default models' model.json, cut after `featureEnd`.
struct KnownArchitecture {
    const char* displayName;
    const char* modelFolder;  // under the models directory
    const char* featureEnd;   // the last layer shared by every variant of the architecture
    int headInputs;           // the input width of Keras Applications' classifier head
};

const KnownArchitecture kKnownArchitectures[] = {
    {"InceptionV3", "inception_v3", "mixed10", 2048},
};

// `model`'s layers that `end` depends on (and `end`), in their order.
std::vector<KerasLayer> layersUpTo(const KerasModel& model, const std::string& end) {
    std::map<std::string, const KerasLayer*> byName;
    for (const auto& l : model.layers) byName[l.name] = &l;
    std::set<std::string> needed;
    std::vector<std::string> stack{end};
    while (!stack.empty()) {
        const std::string name = stack.back();
        stack.pop_back();
        if (!needed.insert(name).second) continue;
        const auto it = byName.find(name);
        if (it == byName.end()) fail(model.source, "has no layer '" + name + "'");
        for (const auto& in : it->second->inputs) stack.push_back(in);
    }
    std::vector<KerasLayer> kept;
    for (const auto& l : model.layers)
        if (needed.count(l.name)) kept.push_back(l);
    return kept;
}

// The weight every layer of type `className` has ("" for a layer without weights): how a
// stored layer shows which kind of layer it was made for.
std::string signatureWeight(const std::string& className) {
    static const std::map<std::string, std::string> signatures = {
        {"Conv2D", "kernel"},
        {"Dense", "kernel"},
        {"DepthwiseConv2D", "depthwise_kernel"},
        {"SeparableConv2D", "pointwise_kernel"},
        {"BatchNormalization", "moving_mean"},
    };
    const auto it = signatures.find(className);
    return it == signatures.end() ? std::string() : it->second;
}

std::string describe(const std::vector<std::string>& names) {
    std::string s;
    for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
    return s;
}

// Weights-only: the layers of `known`'s topology, matched in order to the file's layers.
KerasModel readWeightsOnly(const Hdf5File& h5, const KnownArchitecture& known,
                           const CancelToken* cancel) {
    const fs::path topologyFile = modelsDirectory() / known.modelFolder / "model.json";
    std::error_code ec;
    if (!fs::is_regular_file(topologyFile, ec))
        fail(h5.path(), std::string("a weights-only file needs the topology of ") +
                            known.displayName + " from " + topologyFile.string() +
                            ", which is not there (run models/fetch-models.sh)");
    const KerasModel full = readTfjsTopology(topologyFile);
    KerasModel model;
    model.source = h5.path();
    model.kerasVersion = h5.stringAttribute("/", "keras_version").value_or("");
    model.layers = layersUpTo(full, known.featureEnd);
    for (auto& l : model.layers) l.config.erase("trainable");  // a fact of the other file
    model.inputLayers = full.inputLayers;
    model.outputLayers = {known.featureEnd};

    const auto stored = storedLayers(h5, "/");
    std::vector<size_t> targets;  // indices into model.layers, which grows below
    for (size_t i = 0; i < model.layers.size(); ++i)
        if (!signatureWeight(model.layers[i].className).empty()) targets.push_back(i);
    const size_t features = targets.size();
    const std::string fits = std::string(" does not fit ") + known.displayName + ": ";
    if (stored.size() == features + 1) {
        // Keras Applications' ImageNet head: global average pooling, then the classifier.
        const StoredLayer& head = stored.back();
        const auto kernel = h5.datasetShape(head.name + "/" + head.weightNames.front());
        if (kernel.size() != 2 || kernel[0] != known.headInputs)
            fail(h5.path(), std::string("layer '") + head.name + "'" + fits + "after " +
                                known.featureEnd + " it expects a Dense layer on " +
                                std::to_string(known.headInputs) + " inputs");
        KerasLayer pool{"avg_pool", "GlobalAveragePooling2D", json::object(), {known.featureEnd}};
        KerasLayer dense{head.name, "Dense", json::object(), {"avg_pool"}};
        dense.config["units"] = kernel[1];
        dense.config["activation"] = "softmax";
        dense.config["use_bias"] = head.weightNames.size() > 1;
        model.layers.push_back(std::move(pool));
        model.layers.push_back(std::move(dense));
        targets.push_back(model.layers.size() - 1);
        model.outputLayers = {head.name};
    } else if (stored.size() != features) {
        fail(h5.path(), "the file" + fits + "it holds " + std::to_string(stored.size()) +
                            " layers with weights; " + known.displayName + " has " +
                            std::to_string(features) + " up to " + known.featureEnd + ", or " +
                            std::to_string(features + 1) + " with its ImageNet classifier");
    }
    for (size_t i = 0; i < stored.size(); ++i) {
        const KerasLayer& target = model.layers[targets[i]];
        std::vector<std::string> params;
        for (const auto& w : stored[i].weightNames) params.push_back(parameterName(w));
        if (std::find(params.begin(), params.end(), signatureWeight(target.className)) ==
            params.end())
            fail(h5.path(), "layer '" + stored[i].name + "' (weights " + describe(params) + ")" +
                                fits + "it comes where " + known.displayName + " has " +
                                target.className + " '" + target.name + "'");
        readLayerWeights(h5, "/", stored[i], target.name, model, cancel);
    }
    return model;
}

// The Keras model in `file`, with its weights where `withWeights` is set; without them only the
// topology (or the layer list of a weights-only file) is checked.
KerasModel readKerasH5(const fs::path& file, bool withWeights, const CancelToken* cancel) {
    const Hdf5File h5(file);
    if (const auto config = h5.stringAttribute("/", "model_config"))
        return readWholeModel(h5, *config, withWeights, cancel);
    if (!h5.hasAttribute("/", "layer_names") && !h5.hasAttribute("/", "layer_names0"))
        fail(file,
             "not a Keras model: no 'model_config' attribute (a whole model) and no "
             "'layer_names' attribute (a weights-only file)");
    if (!withWeights) {
        storedLayers(h5, "/");
        return {};
    }
    return readWeightsOnly(h5, kKnownArchitectures[0], cancel);
}

}  // namespace

ModelGraph importKerasH5(const fs::path& file, const CancelToken* cancel) {
    return buildKerasGraph(readKerasH5(file, true, cancel));
}

void checkKerasH5File(const fs::path& file) { readKerasH5(file, false, nullptr); }

}  // namespace inceptionist
