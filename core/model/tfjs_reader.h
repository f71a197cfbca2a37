#pragma once
// Reads a TensorFlow.js layers-format model: `model.json` (a Keras topology plus a weights
// manifest) and its binary weight shards. Quantized weights (uint8, uint16, float16) are
// expanded to float32 here, so the rest of the engine sees plain float tensors.

#include <filesystem>

#include "core/model/keras_topology.h"
#include "core/params/cancel_token.h"

namespace inceptionist {

// A TensorFlow.js layers model is a Keras model whose weights come from the shards.
using TfjsModel = KerasModel;

// Throws Error(ErrorKind::Model) naming the file and, where it applies, the layer or weight.
// `cancel`, where given, is checked between shards and weights (Error(Cancelled)).
// `withoutOpenCv` refuses weights whose decoding needs OpenCV (float16): for a read that runs
// before OpenCV's initialisers have (core/model/model_read_ahead.h).
TfjsModel readTfjsModel(const std::filesystem::path& modelJson, const CancelToken* cancel = nullptr,
                        bool withoutOpenCv = false);

// Parses `modelJson` and checks that its weight shards are there with the sizes its manifest
// describes, without decoding any weight. Throws as readTfjsModel would.
void checkTfjsModelFiles(const std::filesystem::path& modelJson);

// The topology of `modelJson` alone, without reading any weight (`weights` stays empty): for
// files that bring their weights without a topology (Keras weights-only .h5).
TfjsModel readTfjsTopology(const std::filesystem::path& modelJson);

}  // namespace inceptionist
