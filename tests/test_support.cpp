#include "tests/test_support.h"

#include <filesystem>
#include <map>

#include "core/engine/compiler.h"
#include "core/engine/onednn_conv.h"
#include "core/io/image_io.h"
#include "core/model/model_store.h"

namespace inceptionist::test {

bool oneDnnInBuild() {
    ConvGeometry g;
    g.in = g.out = 1;
    const float weight = 1.f;
    return OneDnnConv::create(g, &weight, nullptr) != nullptr;
}

std::string dataPath(const std::string& relative) {
    return std::string(INCEPTIONIST_TEST_DATA) + "/" + relative;
}
std::string sampleImage() { return INCEPTIONIST_SAMPLE_IMAGE; }
std::string modelsDir() { return modelsDirectory(INCEPTIONIST_TEST_MODELS).string(); }
std::string cliPath() { return INCEPTIONIST_CLI; }

std::shared_ptr<Network> defaultModel(const std::string& id) {
    static std::map<std::string, std::shared_ptr<Network>> cache;
    auto& net = cache[id];
    if (!net) {
        const auto dir = std::filesystem::path(modelsDir()) / id;
        if (!std::filesystem::exists(dir / "model.json"))
            throw std::runtime_error("default model " + id + " is missing from " + modelsDir() +
                                     "; run models/fetch-models.sh");
        net = Network::load(dir);
    }
    return net;
}

double meanAbsDifference(const cv::Mat& a, const cv::Mat& b) {
    CV_Assert(a.size() == b.size() && a.type() == b.type());
    const cv::Scalar m = cv::mean(cv::abs(a - b));
    return (m[0] + m[1] + m[2]) / 3.0;
}

cv::Mat smallPhoto(int longSide) {
    return resizeLongSide(readImage(dataPath("horses.jpg")), longSide);
}

std::shared_ptr<Network> pointwiseNetwork() {
    cv::RNG rng(11);
    ModelGraph g;
    LayerNode conv;
    conv.name = "conv";
    conv.op = OpType::Conv2D;
    conv.inputs = {g.addInput("image", 3)};
    conv.filters = 8;
    conv.useBias = true;
    FloatTensor w{{8, 3, 1, 1}, std::vector<float>(24)}, b{{8}, std::vector<float>(8)};
    for (float& v : w.values) v = static_cast<float>(rng.uniform(-1.0, 1.0));
    for (float& v : b.values) v = static_cast<float>(rng.uniform(-0.2, 0.2));
    conv.weights["weight"] = w;
    conv.weights["bias"] = b;
    LayerNode relu;
    relu.name = "relu";
    relu.op = OpType::Activation;
    relu.activation = ActivationKind::Relu;
    relu.inputs = {g.addNode(conv)};
    g.addNode(relu);
    ModelManifest manifest;
    manifest.id = "pointwise";
    manifest.preprocessing = Preprocessing::Unit;
    return compile(std::move(g), manifest);
}

DreamParams quickParams(int octaves, int steps, int workingSize) {
    DreamParams p;
    p.layers = {{"mixed3", 1.0, {}}};
    p.octaves = octaves;
    p.steps = steps;
    p.workingSize = workingSize;
    return p;
}

DreamParams styleParams(int size, int iterations) {
    DreamParams p;
    p.mode = "style";
    p.workingSize = size;
    p.style.images = {{dataPath("scream.jpg"), 1.0}};
    p.style.iterations = iterations;
    return p;
}

}  // namespace inceptionist::test
