#pragma once
// The classic style-transfer layers of a VGG-19 (Gatys, Ecker and Bethge 2015): style at the
// first ReLU of each of the five blocks (relu1_1, relu2_1, relu3_1, relu4_1, relu5_1), equally
// weighted, and content at the second ReLU of the fourth (relu4_2). A VGG-19 is recognised by
// its structure, whatever its file named its layers (torchvision's ONNX export calls them
// "/1/Relu_output_0", Keras "block1_conv1"): sixteen convolutions in five blocks of 2, 2, 4, 4
// and 4 separated by pooling, each followed by a ReLU (through a batch normalisation in
// vgg19_bn), and nothing that branches.

#include <optional>
#include <string>
#include <vector>

#include "core/model/model_graph.h"

namespace inceptionist {

struct VggStyleLayers {
    std::vector<std::string> style;  // relu1_1 … relu5_1, as the graph names them
    std::string content;             // relu4_2
};

// The classic layers when `graph` is a VGG-19, else nothing.
std::optional<VggStyleLayers> vgg19StyleLayers(const ModelGraph& graph);

}  // namespace inceptionist
