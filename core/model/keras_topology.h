#pragma once
// A Keras model as its topology describes it, and its translation into the neutral ModelGraph.
// Both Keras-based formats come through here: TensorFlow.js layers models (model.json's
// `modelTopology` is Keras's model_config, tfjs_reader.h) and Keras HDF5 files
// (keras_h5_importer.h); only where the weights come from differs.
//
// The Keras conventions stop here: kernels go from Keras' [kh, kw, in, out] layouts to canonical
// OIHW, "same" padding becomes an auto-padding attribute, activations fused into a layer become
// nodes of their own (the layer's name stays on the activation, the linear part is
// "<layer>/linear"), Flatten keeps Keras' H, W, C order as an attribute, and "trainable": false
// is recorded as a fact of the file (NodeProvenance::frozenInSource).

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model/model_graph.h"

namespace inceptionist {

// One Keras layer as the topology describes it.
struct KerasLayer {
    std::string name;
    std::string className;
    nlohmann::json config;
    std::vector<std::string> inputs;  // names of the layers whose outputs feed this one
};

struct KerasModel {
    std::filesystem::path source;  // the model file, for error messages
    std::string kerasVersion;
    std::vector<KerasLayer> layers;  // in the order the topology lists them (Keras' model.layers)
    std::vector<std::string> inputLayers;
    std::vector<std::string> outputLayers;
    // Weights in Keras layouts, by "<layer>/<param>" (e.g. "conv2d_1/kernel"); a model-name
    // prefix before the layer and a ":0" suffix after the parameter are ignored.
    std::map<std::string, FloatTensor> weights;
};

// The layers of a Keras `model_config` ({"class_name": "Model" | "Functional" | "Sequential",
// "config": ...}) into `model` (layers, input and output layers). Throws Error(Model) naming
// `model.source`.
void parseKerasModelConfig(const nlohmann::json& modelConfig, KerasModel& model);

// Parses the layers' settings, converts the weights and checks that their shapes agree with the
// settings. Throws Error(ErrorKind::Model) naming the file and layer.
ModelGraph buildKerasGraph(KerasModel model);

}  // namespace inceptionist
