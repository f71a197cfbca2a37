#pragma once
// Reads a TensorFlow.js layers-format model: `model.json` (a Keras topology plus a weights
// manifest) and its binary weight shards. Quantized weights (uint8, uint16, float16) are
// expanded to float32 here, so the rest of the engine sees plain float tensors.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model/model_graph.h"
#include "core/params/cancel_token.h"

namespace inceptionist {

// One Keras layer as the topology describes it.
struct KerasLayer {
    std::string name;
    std::string className;
    nlohmann::json config;
    std::vector<std::string> inputs;  // names of the layers whose outputs feed this one
};

struct TfjsModel {
    std::filesystem::path modelJson;
    std::string kerasVersion;
    std::vector<KerasLayer> layers;  // in the order the topology lists them
    std::vector<std::string> inputLayers;
    std::vector<std::string> outputLayers;
    std::map<std::string, FloatTensor> weights;  // by manifest name, e.g. "conv2d_1/kernel"
};

// Throws Error(ErrorKind::Model) naming the file and, where it applies, the layer or weight.
// `cancel`, where given, is checked between shards and weights (Error(Cancelled)).
TfjsModel readTfjsModel(const std::filesystem::path& modelJson,
                        const CancelToken* cancel = nullptr);

// Parses `modelJson` and checks that its weight shards are there with the sizes its manifest
// describes, without decoding any weight. Throws as readTfjsModel would.
void checkTfjsModelFiles(const std::filesystem::path& modelJson);

}  // namespace inceptionist
