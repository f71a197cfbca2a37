#pragma once
// Finding a model's classifier head: the Dense layer whose outputs go into the final softmax,
// i.e. the pre-softmax logits that class visualisation maximises.

#include "core/model/model_graph.h"

namespace inceptionist {

struct ClassifierHead {
    int logits = -1;  // the node of the Dense layer before the softmax
    int classes = 0;  // its units
};

// The head of `graph`: the last Softmax activation fed directly by a Dense layer (Keras' fused
// `Dense(activation="softmax")` becomes such a pair), or else a Dense layer that ends the graph.
// Throws Error(Parameter) naming the model file when there is none.
ClassifierHead findClassifierHead(const ModelGraph& graph);

}  // namespace inceptionist
