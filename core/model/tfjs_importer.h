#pragma once
// The TensorFlow.js layers-format importer: a Keras topology (read by tfjs_reader.h) turned into
// the neutral ModelGraph. The Keras conventions stop here: kernels go from Keras' [kh, kw, in,
// out] layouts to canonical OIHW, "same" padding becomes an auto-padding attribute, activations
// fused into a layer become nodes of their own (the layer's name stays on the activation, the
// linear part is "<layer>/linear"), Flatten keeps Keras' H, W, C order as an attribute, and
// "trainable": false is recorded as a fact of the file (NodeProvenance::frozenInSource).

#include "core/model/model_graph.h"
#include "core/model/tfjs_reader.h"

namespace inceptionist {

// Parses the layers, converts the weights and checks that their shapes agree with the
// settings. Throws Error(ErrorKind::Model) naming the file and layer.
ModelGraph importTfjs(TfjsModel model);

}  // namespace inceptionist
