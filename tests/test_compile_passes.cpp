// Each compiler pass on its own (core/engine/compiler.h): it changes how a layer is computed,
// never what comes out. On the small fixture graph with every layer type, and on InceptionV3
// for the merged 1×1 branches (the fixture has none).

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/engine/compiler.h"
#include "core/model/importer.h"
#include "core/model/model_manifest.h"
#include "core/params/errors.h"
#include "tests/test_support.h"

using namespace inceptionist;

namespace {

const std::vector<std::string> kTinyLayers = {
    "pad",      "conv_same_s2", "bn1",           "relu6",         "depthwise",
    "bn2",      "act_relu",     "conv_1x5",      "separable",     "conv_valid",
    "add",      "multiply",     "maxpool_same",  "avgpool_same",  "concat",
    "flatten",  "dense",        "gap",           "dropout",       "gap_dense",
    "head_add", "softmax",      "avgpool_valid", "maxpool_valid", "conv_dilated"};

std::shared_ptr<Network> compileFolder(const std::string& dir, std::set<CompilePass> skip = {}) {
    CompileOptions options;
    options.skip = std::move(skip);
    return compile(importModel(dir), readModelManifest(dir), "cpu", options);
}

std::shared_ptr<Network> compileTiny(std::set<CompilePass> skip = {}) {
    return compileFolder(test::dataPath("conformance/tiny_float32"), std::move(skip));
}

std::set<CompilePass> allPasses() { return {compilePasses().begin(), compilePasses().end()}; }

// The size the fixture's dense layer was built for (fixture.json).
cv::Mat tinyInput() {
    cv::Mat image(13, 17, CV_32FC3);
    cv::randu(image, 0.f, 1.f);
    return image;
}

// Largest difference of the two networks' activations of `layers`, relative to the largest
// activation of `reference`, layer by layer; the worst layer.
double worstRelativeDifference(const Network& net, const Network& reference, const cv::Mat& image,
                               const std::vector<std::string>& layers) {
    const auto a = net.activations(image, layers);
    const auto b = reference.activations(image, layers);
    double worst = 0;
    for (size_t k = 0; k < layers.size(); ++k) {
        if (a[k].shape != b[k].shape) return INFINITY;
        double diff = 0, ref = 0;
        for (size_t i = 0; i < b[k].values.size(); ++i) {
            diff = std::max(diff, std::abs(double(a[k].values[i]) - b[k].values[i]));
            ref = std::max(ref, std::abs(double(b[k].values[i])));
        }
        worst = std::max(worst, ref > 0 ? diff / ref : diff);
    }
    return worst;
}

int node(const Network& net, const std::string& name) { return net.graph().require(name); }

FloatTensor randomTensor(std::vector<int64_t> shape, cv::RNG& rng) {
    FloatTensor t{shape, {}};
    size_t count = 1;
    for (auto d : shape) count *= static_cast<size_t>(d);
    for (size_t i = 0; i < count; ++i) t.values.push_back(rng.uniform(-1.f, 1.f));
    return t;
}

// input → 3×3 conv with asymmetric explicit pads → batch norm → relu → 2×2 max pool in ceil
// mode → flatten (NCHW) → dense "logits" → softmax: a graph made without any file.
ModelGraph builtGraph() {
    cv::RNG rng(7);
    ModelGraph g;
    const int input = g.addInput("image", 3);
    LayerNode conv;
    conv.name = "conv";
    conv.op = OpType::Conv2D;
    conv.inputs = {input};
    conv.window.kh = conv.window.kw = 3;
    conv.window.padH = {0, 2};
    conv.window.padW = {1, 1};
    conv.filters = 4;
    conv.useBias = true;
    conv.weights["weight"] = randomTensor({4, 3, 3, 3}, rng);
    conv.weights["bias"] = randomTensor({4}, rng);
    const int convNode = g.addNode(conv);
    LayerNode bn;
    bn.name = "bn";
    bn.op = OpType::BatchNorm;
    bn.inputs = {convNode};
    bn.weights["mean"] = randomTensor({4}, rng);
    bn.weights["variance"] = FloatTensor{{4}, {0.5f, 1.f, 2.f, 4.f}};
    bn.weights["gamma"] = randomTensor({4}, rng);
    bn.weights["beta"] = randomTensor({4}, rng);
    const int bnNode = g.addNode(bn);
    LayerNode relu;
    relu.name = "relu";
    relu.op = OpType::Activation;
    relu.activation = ActivationKind::Relu;
    relu.inputs = {bnNode};
    const int reluNode = g.addNode(relu);
    LayerNode pool;
    pool.name = "pool";
    pool.op = OpType::MaxPool2D;
    pool.inputs = {reluNode};
    pool.window.kh = pool.window.kw = pool.window.sh = pool.window.sw = 2;
    pool.window.ceilMode = true;
    const int poolNode = g.addNode(pool);
    LayerNode flatten;
    flatten.name = "flatten";
    flatten.op = OpType::Flatten;
    flatten.flattenOrder = LayerNode::FlattenOrder::NCHW;
    flatten.inputs = {poolNode};
    const int flattenNode = g.addNode(flatten);
    LayerNode dense;
    dense.name = "logits";
    dense.op = OpType::Dense;
    dense.filters = 2;
    dense.inputs = {flattenNode};
    dense.weights["weight"] = randomTensor({2, 36}, rng);
    const int denseNode = g.addNode(dense);
    LayerNode softmax;
    softmax.name = "probabilities";
    softmax.op = OpType::Activation;
    softmax.activation = ActivationKind::Softmax;
    softmax.inputs = {denseNode};
    g.addNode(softmax);
    return g;
}

}  // namespace

class CompilePassesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void passesHaveNames() {
        QCOMPARE(compilePasses().size(), size_t(5));
        QCOMPARE(QString(compilePassName(CompilePass::FoldBatchNorm)), QString("fold batch norm"));
    }

    void foldBatchNorm() {
        auto folded = compileTiny();
        auto unfolded = compileTiny({CompilePass::FoldBatchNorm});
        const auto plan = compiledPlan(*folded);
        // The batch norm runs the convolution with folded weights; the convolution's own run is
        // skipped. Both batch norms of the fixture follow a convolution read by nothing else.
        QCOMPARE(plan[node(*folded, "bn1")].foldedFrom, node(*folded, "conv_same_s2"));
        QCOMPARE(plan[node(*folded, "conv_same_s2")].foldedInto, node(*folded, "bn1"));
        QCOMPARE(plan[node(*folded, "bn2")].foldedFrom, node(*folded, "depthwise"));
        for (const auto& p : compiledPlan(*unfolded)) {
            QCOMPARE(p.foldedFrom, -1);
            QCOMPARE(p.foldedInto, -1);
        }
        const double err = worstRelativeDifference(*folded, *unfolded, tinyInput(), kTinyLayers);
        QVERIFY2(err <= 1e-5, qPrintable(QString::number(err)));
    }

    void fuseActivations() {
        auto fused = compileTiny();
        auto separate = compileTiny({CompilePass::FuseActivations});
        const auto plan = compiledPlan(*fused);
        // relu6 (a ReLU capped at 6) and act_relu run inside the folded convolutions in front.
        QCOMPARE(plan[node(*fused, "bn1")].reluReader, node(*fused, "relu6"));
        QCOMPARE(plan[node(*fused, "bn2")].reluReader, node(*fused, "act_relu"));
        for (const auto& p : compiledPlan(*separate)) QCOMPARE(p.reluReader, -1);
        const double err = worstRelativeDifference(*fused, *separate, tinyInput(), kTinyLayers);
        QVERIFY2(err <= 1e-5, qPrintable(QString::number(err)));
    }

    void createKernels() {
        if (!test::oneDnnInBuild()) QSKIP("this build has no oneDNN kernels");
        auto fast = compileTiny();
        auto plain = compileTiny({CompilePass::CreateKernels});
        // Stride-1 "same" and "valid" convolutions get a oneDNN kernel; the depthwise one (grouped)
        // and the stride-2 "same" one (padding depends on the input size) stay with libtorch.
        const auto plan = compiledPlan(*fast);
        QVERIFY(plan[node(*fast, "conv_1x5/linear")].oneDnnKernel);  // before its sigmoid
        QVERIFY(plan[node(*fast, "conv_valid")].oneDnnKernel);
        QVERIFY(!plan[node(*fast, "conv_same_s2")].oneDnnKernel);
        QVERIFY(!plan[node(*fast, "depthwise")].oneDnnKernel);
        for (const auto& p : compiledPlan(*plain)) QVERIFY(!p.oneDnnKernel);
        const double err = worstRelativeDifference(*fast, *plain, tinyInput(), kTinyLayers);
        QVERIFY2(err <= 1e-5, qPrintable(QString::number(err)));
    }

    void deviceLayout() {
        auto laidOut = compileTiny();
        auto plain = compileTiny({CompilePass::DeviceLayout});
        const double err = worstRelativeDifference(*laidOut, *plain, tinyInput(), kTinyLayers);
        QVERIFY2(err <= 1e-5, qPrintable(QString::number(err)));
    }

    void allPassesAgainstNone() {
        auto compiled = compileTiny();
        auto reference = compileTiny(allPasses());
        const double err = worstRelativeDifference(*compiled, *reference, tinyInput(), kTinyLayers);
        QVERIFY2(err <= 1e-5, qPrintable(QString::number(err)));
    }

    void mergeSiblingConvolutions() {
        const std::string dir = test::modelsDir() + "/inception_v3";
        if (findModelFile(dir).empty()) QSKIP("the default models are not installed");
        auto merged = compileFolder(dir);
        auto separate = compileFolder(dir, {CompilePass::MergeSiblingConvolutions});
        // mixed0's 1×1 branches read the same pooled input and run as one convolution.
        const auto plan = compiledPlan(*merged);
        std::map<int, int> groupSizes;
        for (const auto& p : plan)
            if (p.siblingGroup >= 0) ++groupSizes[p.siblingGroup];
        QVERIFY(!groupSizes.empty());
        for (const auto& [group, size] : groupSizes) QVERIFY(size >= 2);
        for (const auto& p : compiledPlan(*separate)) QCOMPARE(p.siblingGroup, -1);
        cv::Mat image(96, 112, CV_32FC3);
        cv::randu(image, 0.f, 1.f);
        const double err =
            worstRelativeDifference(*merged, *separate, image, {"mixed0", "mixed1", "mixed2"});
        QVERIFY2(err <= 1e-5, qPrintable(QString::number(err)));
    }

    // A layer's weights are prepared (folded, given a oneDNN kernel, laid out) when a run first
    // needs it: activations to mixed4 leave mixed5 to mixed10 untouched, and are the same, to
    // the bit, as those of a network prepared all at once.
    void layersArePreparedOnFirstUse() {
        const std::string dir = test::modelsDir() + "/inception_v3";
        if (findModelFile(dir).empty()) QSKIP("the default models are not installed");
        auto lazy = compileFolder(dir);
        auto eager = compileFolder(dir);
        compiledPlan(*eager);  // prepares every layer
        auto convolutions = [](const Network& net, const std::vector<bool>& prepared) {
            int count = 0;
            for (size_t i = 0; i < prepared.size(); ++i)
                count += prepared[i] && net.graph().nodes()[i].op == OpType::Conv2D;
            return count;
        };
        QCOMPARE(convolutions(*lazy, preparedLayers(*lazy)), 0);
        QCOMPARE(convolutions(*eager, preparedLayers(*eager)), 94);
        cv::Mat image(96, 112, CV_32FC3);
        cv::randu(image, 0.f, 1.f);
        const auto a = lazy->activations(image, {"mixed4"});
        const auto prepared = preparedLayers(*lazy);
        QVERIFY(prepared[node(*lazy, "mixed4")]);
        QVERIFY(!prepared[node(*lazy, "mixed5")]);
        QCOMPARE(convolutions(*lazy, prepared), 40);  // of 94
        const auto b = eager->activations(image, {"mixed4"});
        QCOMPARE(a[0].shape, b[0].shape);
        QVERIFY(a[0].values == b[0].values);
        // Later runs prepare what they add, and still agree.
        const auto c = lazy->activations(image, {"mixed6"});
        QVERIFY(preparedLayers(*lazy)[node(*lazy, "mixed6")]);
        QVERIFY(c[0].values == eager->activations(image, {"mixed6"})[0].values);
    }

    void graphFromTheBuilderRuns() {
        const ModelGraph g = builtGraph();
        const LayerNode convNode = g.nodes()[g.require("conv")];
        ModelManifest manifest;
        manifest.id = "built";
        manifest.preprocessing = Preprocessing::Unit;
        auto net = compile(builtGraph(), manifest);
        auto reference = compile(builtGraph(), manifest, "cpu", {allPasses()});
        cv::Mat image(5, 6, CV_32FC3);
        cv::randu(image, 0.f, 1.f);
        const auto out = net->activations(image, {"conv", "pool", "logits", "probabilities"});
        // Pads 0 above and 2 below, 1 left and right: 5×6 stays 5×6; ceil mode pools it to 3×3.
        QCOMPARE(out[0].shape, (std::vector<int64_t>{1, 5, 6, 4}));
        QCOMPARE(out[1].shape, (std::vector<int64_t>{1, 3, 3, 4}));
        QCOMPARE(out[2].shape, (std::vector<int64_t>{1, 2}));
        QCOMPARE(out[3].values[0] + out[3].values[1], 1.f);
        // The convolution against plain loops over the OIHW weights and explicit pads.
        const FloatTensor& w = convNode.weights.at("weight");
        const FloatTensor& b = convNode.weights.at("bias");
        double worst = 0;
        for (int y = 0; y < 5; ++y)
            for (int x = 0; x < 6; ++x)
                for (int o = 0; o < 4; ++o) {
                    double sum = b.values[o];
                    for (int i = 0; i < 3; ++i)
                        for (int ky = 0; ky < 3; ++ky)
                            for (int kx = 0; kx < 3; ++kx) {
                                const int iy = y + ky, ix = x + kx - 1;
                                if (iy >= 5 || ix < 0 || ix >= 6) continue;
                                sum += w.values[((o * 3 + i) * 3 + ky) * 3 + kx] *
                                       image.at<cv::Vec3f>(iy, ix)[i];
                            }
                    worst = std::max(worst, std::abs(sum - out[0].values[(y * 6 + x) * 4 + o]));
                }
        QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
        // Ceil-mode pooling and the C, H, W flatten order against plain loops: the 2×2 windows
        // of the last row and column hang over the edge and take the maximum of what is there;
        // the logits read the pooled values channel by channel.
        const auto relu = net->activations(image, {"relu"})[0];  // [1, 5, 6, 4]
        const FloatTensor& dw = g.nodes()[g.require("logits")].weights.at("weight");  // [2, 36]
        double worstPool = 0, worstLogit = 0;
        std::vector<double> logits(2, 0.0);
        for (int c = 0; c < 4; ++c)
            for (int py = 0; py < 3; ++py)
                for (int px = 0; px < 3; ++px) {
                    float m = -std::numeric_limits<float>::infinity();
                    for (int y = 2 * py; y < std::min(5, 2 * py + 2); ++y)
                        for (int x = 2 * px; x < std::min(6, 2 * px + 2); ++x)
                            m = std::max(m, relu.values[(y * 6 + x) * 4 + c]);
                    worstPool = std::max(
                        worstPool, double(std::abs(m - out[1].values[(py * 3 + px) * 4 + c])));
                    for (int k = 0; k < 2; ++k)
                        logits[k] += dw.values[k * 36 + (c * 3 + py) * 3 + px] * m;
                }
        for (int k = 0; k < 2; ++k)
            worstLogit = std::max(worstLogit, std::abs(logits[k] - out[2].values[k]));
        QVERIFY2(worstPool < 1e-6, qPrintable(QString::number(worstPool)));
        QVERIFY2(worstLogit < 1e-4, qPrintable(QString::number(worstLogit)));
        const double err = worstRelativeDifference(*net, *reference, image,
                                                   {"conv", "bn", "relu", "pool", "probabilities"});
        QVERIFY2(err <= 1e-5, qPrintable(QString::number(err)));
        // The compiler fused what it could: batch norm folded, ReLU applied inside.
        const auto plan = compiledPlan(*net);
        QCOMPARE(plan[node(*net, "bn")].foldedFrom, node(*net, "conv"));
        QCOMPARE(plan[node(*net, "bn")].reluReader, node(*net, "relu"));
    }

    void builderRefusesFusedActivation() {
        ModelGraph g;
        LayerNode conv;
        conv.name = "conv";
        conv.op = OpType::Conv2D;
        conv.inputs = {g.addInput("image", 3)};
        conv.filters = 1;
        conv.activation = ActivationKind::Relu;
        conv.weights["weight"] = FloatTensor{{1, 3, 1, 1}, {1, 1, 1}};
        try {
            g.addNode(conv);
            QFAIL("a convolution carried an activation");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Model);
            QVERIFY2(QString(e.what()).contains("activation"), e.what());
        }
    }

    void cancelledLoadStops() {
        CancelToken cancel;
        cancel.cancel();
        try {
            Network::load(test::dataPath("conformance/tiny_float32"), "cpu", &cancel);
            QFAIL("a cancelled load finished");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Cancelled);
        }
    }

    // Reading the weights, the longest part of a load, stops too: the importer itself checks.
    void cancelledImportStops() {
        CancelToken cancel;
        cancel.cancel();
        try {
            importModel(test::dataPath("conformance/tiny_float32"), &cancel);
            QFAIL("a cancelled import finished");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Cancelled);
        }
        QVERIFY(importModel(test::dataPath("conformance/tiny_float32")).nodes().size() > 1);
    }
};

QTEST_GUILESS_MAIN(CompilePassesTest)
#include "test_compile_passes.moc"
