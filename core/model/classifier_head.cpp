#include "core/model/classifier_head.h"

#include "core/params/errors.h"

namespace inceptionist {

ClassifierHead findClassifierHead(const ModelGraph& graph) {
    const auto& nodes = graph.nodes();
    for (int i = static_cast<int>(nodes.size()) - 1; i >= 0; --i) {
        const LayerNode& n = nodes[i];
        if (n.op != OpType::Activation || n.activation != ActivationKind::Softmax) continue;
        if (n.inputs.size() != 1) continue;
        const LayerNode& in = nodes[n.inputs[0]];
        if (in.op == OpType::Dense) return {n.inputs[0], in.filters};
    }
    if (!nodes.empty() && nodes.back().op == OpType::Dense)
        return {static_cast<int>(nodes.size()) - 1, nodes.back().filters};
    throw Error(ErrorKind::Parameter,
                graph.source().filename().string() +
                    " has no classifier head (a Dense layer before a softmax): class "
                    "visualisation needs one");
}

}  // namespace inceptionist
