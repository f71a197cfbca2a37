// Each compiler pass on its own (core/engine/compiler.h): it changes how a layer is computed,
// never what comes out. On the small fixture graph with every layer type, and on InceptionV3
// for the merged 1×1 branches (the fixture has none).

#include <QtTest>

#include <cmath>

#include "core/engine/compiler.h"
#include "core/model/importer.h"
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
        auto fast = compileTiny();
        auto plain = compileTiny({CompilePass::CreateKernels});
        // Stride-1 "same" and "valid" convolutions get a oneDNN kernel; the depthwise one (grouped)
        // and the stride-2 "same" one (padding depends on the input size) stay with libtorch.
        const auto plan = compiledPlan(*fast);
        QVERIFY(plan[node(*fast, "conv_1x5")].oneDnnKernel);
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
};

QTEST_GUILESS_MAIN(CompilePassesTest)
#include "test_compile_passes.moc"
