#pragma once
// The Keras HDF5 (.h5) importer, for two kinds of file:
// - Whole models saved by Keras 2 (`model.save`): the root attribute `model_config` holds the
//   topology as JSON, the group `model_weights/<layer>` holds each layer's weights, listed in
//   order by its `weight_names` attribute. The topology goes through the same Keras translation
//   as TensorFlow.js models (keras_topology.h).
// - Weights-only files (`model.save_weights`, the form Keras Applications downloads take): layer
//   groups at the root, no topology. They are matched, as Keras itself matches them, layer by
//   layer in order to the topology of an architecture we know: InceptionV3, from the default
//   model's model.json (the feature layers up to mixed10; where the file holds one more layer,
//   a Dense on 2048 inputs, Keras Applications' ImageNet head, global average pooling and that
//   layer with a softmax, are added). A file that does not fit is refused naming the layer.

#include <filesystem>

#include "core/model/model_graph.h"
#include "core/params/cancel_token.h"

namespace inceptionist {

// Throws Error(Model) naming the file, and the layer or weight where one is to blame;
// Error(Cancelled) where `cancel` is set while the weights are read.
ModelGraph importKerasH5(const std::filesystem::path& file, const CancelToken* cancel = nullptr);

// Opens the file and reads its topology (or, for a weights-only file, its layer list) without
// reading any weight. Throws as importKerasH5 would.
void checkKerasH5File(const std::filesystem::path& file);

}  // namespace inceptionist
