#pragma once
// The TensorFlow.js layers-format importer: the Keras topology and weights read by
// tfjs_reader.h, turned into the neutral ModelGraph by the shared Keras translation
// (keras_topology.h, which states the conventions).

#include "core/model/model_graph.h"
#include "core/model/tfjs_reader.h"

namespace inceptionist {

// Parses the layers, converts the weights and checks that their shapes agree with the
// settings. Throws Error(ErrorKind::Model) naming the file and layer.
ModelGraph importTfjs(TfjsModel model);

}  // namespace inceptionist
