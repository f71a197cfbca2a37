#include "core/render/vgg_style_layers.h"

namespace inceptionist {
namespace {

bool isRelu(const LayerNode& n) {
    return n.op == OpType::ReLU ||
           (n.op == OpType::Activation && n.activation == ActivationKind::Relu);
}

}  // namespace

std::optional<VggStyleLayers> vgg19StyleLayers(const ModelGraph& graph) {
    const auto& nodes = graph.nodes();
    // Which node reads each node: a VGG is a chain, so one reader each at most.
    std::vector<int> reader(nodes.size(), -1);
    for (size_t i = 0; i < nodes.size(); ++i) {
        const LayerNode& n = nodes[i];
        if (n.op == OpType::Concatenate || n.op == OpType::Add || n.op == OpType::Multiply)
            return std::nullopt;
        for (int in : n.inputs) {
            if (reader[in] >= 0) return std::nullopt;  // a branch
            reader[in] = static_cast<int>(i);
        }
    }
    // The ReLU after each convolution, block by block (a block ends at a pooling).
    std::vector<std::vector<int>> blocks(1);
    for (size_t i = 0; i < nodes.size(); ++i) {
        const LayerNode& n = nodes[i];
        if (n.op == OpType::MaxPool2D || n.op == OpType::AvgPool2D) {
            if (!blocks.back().empty()) blocks.emplace_back();
            continue;
        }
        if (n.op == OpType::DepthwiseConv2D || n.op == OpType::SeparableConv2D) return std::nullopt;
        if (n.op != OpType::Conv2D) continue;
        int next = reader[i];
        while (next >= 0 && nodes[next].op == OpType::BatchNorm) next = reader[next];
        if (next < 0 || !isRelu(nodes[next])) return std::nullopt;
        blocks.back().push_back(next);
    }
    if (blocks.back().empty()) blocks.pop_back();
    const std::vector<size_t> vgg19 = {2, 2, 4, 4, 4};
    if (blocks.size() != vgg19.size()) return std::nullopt;
    for (size_t b = 0; b < blocks.size(); ++b)
        if (blocks[b].size() != vgg19[b]) return std::nullopt;
    VggStyleLayers layers;
    for (const auto& block : blocks) layers.style.push_back(nodes[block[0]].name);
    layers.content = nodes[blocks[3][1]].name;
    return layers;
}

}  // namespace inceptionist
