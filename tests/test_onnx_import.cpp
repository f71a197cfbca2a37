// ONNX models run as PyTorch runs them: the activations of named nodes, and the input gradients
// of the dream objective through LRN, ceil-mode pooling and asymmetric pads, within 1e-4 of the
// largest reference value per layer (fixtures made by tests/conformance/make-onnx-fixtures.py).
// Broken files are refused with the file, the node and its operator named.

#include <QtTest>

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/engine/compiler.h"
#include "core/engine/network.h"
#include "core/model/importer.h"
#include "core/params/errors.h"
#include "core/render/dreamer.h"
#include "tests/test_support.h"

using namespace inceptionist;
namespace fs = std::filesystem;

namespace {

constexpr double kRelativeTolerance = 1e-4;

std::vector<float> readFloats(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
    std::vector<float> values(bytes.size() / sizeof(float));
    std::memcpy(values.data(), bytes.data(), values.size() * sizeof(float));
    return values;
}

struct Reference {
    std::string layer;
    std::vector<int64_t> shape;
    std::vector<float> values;
};

struct Fixture {
    std::string dir;
    cv::Mat input;
    std::vector<Reference> outputs, gradients;
};

Fixture loadFixture(const std::string& name) {
    Fixture f;
    f.dir = test::dataPath("conformance/" + name);
    std::ifstream in(f.dir + "/fixture.json");
    const auto doc = nlohmann::json::parse(in);
    const auto shape = doc["input"]["shape"].get<std::vector<int>>();  // 1, H, W, 3
    auto input = readFloats(f.dir + "/" + doc["input"]["file"].get<std::string>());
    f.input = cv::Mat(shape[1], shape[2], CV_32FC3, input.data()).clone();
    for (const char* kind : {"outputs", "gradients"})
        for (const auto& o : doc[kind])
            (kind == std::string("outputs") ? f.outputs : f.gradients)
                .push_back({o["layer"], o["shape"].get<std::vector<int64_t>>(),
                            readFloats(f.dir + "/" + o["file"].get<std::string>())});
    return f;
}

// Largest |a - b| relative to the largest |b|.
double relativeError(const float* actual, const std::vector<float>& expected) {
    double maxDiff = 0, maxRef = 0;
    for (size_t i = 0; i < expected.size(); ++i) {
        maxDiff = std::max(maxDiff, std::abs(double(actual[i]) - expected[i]));
        maxRef = std::max(maxRef, std::abs(double(expected[i])));
    }
    return maxRef > 0 ? maxDiff / maxRef : maxDiff;
}

// Every reference layer at once, then each alone (only what it needs runs). Returns the
// largest error.
double compareActivations(const Network& net, const Fixture& f) {
    std::vector<std::string> layers;
    for (const auto& r : f.outputs) layers.push_back(r.layer);
    const auto all = net.activations(f.input, layers);
    double worst = 0;
    for (size_t k = 0; k < f.outputs.size(); ++k) {
        const Reference& r = f.outputs[k];
        const auto alone = net.activations(f.input, {r.layer})[0];
        for (const FloatTensor* a : {&all[k], &alone}) {
            if (a->shape != r.shape)
                QTest::qFail(("shape of " + r.layer).c_str(), __FILE__, __LINE__);
            const double err = relativeError(a->values.data(), r.values);
            worst = std::max(worst, err);
            if (!(err <= kRelativeTolerance))
                QTest::qFail((r.layer + " relative error " + std::to_string(err)).c_str(), __FILE__,
                             __LINE__);
        }
    }
    return worst;
}

double gradientError(const cv::Mat& actual, const std::vector<float>& expected) {
    return relativeError(actual.ptr<float>(), expected);
}

std::string modelFile(const std::string& fixture) {
    return test::dataPath("conformance/" + fixture + "/model.onnx");
}

// The message of the Error(Model) that loading `path` throws; fails the test where none does.
QString loadError(const fs::path& path) {
    try {
        Network::load(path);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::Model) return "wrong kind: " + QString(e.what());
        return QString::fromStdString(e.what());
    }
    return "no error";
}

fs::path copyPrefix(const fs::path& from, const fs::path& to, double fraction) {
    std::ifstream in(from, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    fs::create_directories(to.parent_path());
    std::ofstream(to, std::ios::binary)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size() * fraction));
    return to;
}

}  // namespace

class OnnxImportTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void activationsMatchPyTorch_data() {
        QTest::addColumn<QString>("fixture");
        for (const char* f :
             {"onnx_ops", "googlenet_opset9", "googlenet_opset17", "resnet_opset13"})
            QTest::newRow(f) << f;
    }

    // Every operator the importer reads (onnx_ops) and torchvision's GoogLeNet and ResNet
    // blocks as torch.onnx writes them at opsets 9, 13 and 17.
    void activationsMatchPyTorch() {
        QFETCH(QString, fixture);
        const Fixture f = loadFixture(fixture.toStdString());
        QVERIFY(f.outputs.size() >= 3);
        auto net = Network::load(f.dir);
        const double worst = compareActivations(*net, f);
        qInfo("%s: %zu layers, largest relative error %.2e", qPrintable(fixture), f.outputs.size(),
              worst);
    }

    // The input gradient of the dream objective (mean squared activation) against PyTorch's
    // autograd, with the engine's own kernels (oneDNN convolutions with asymmetric pads,
    // ceil-mode pooling) and with libtorch's reference kernels.
    void gradientsMatchPyTorch_data() {
        QTest::addColumn<QString>("fixture");
        for (const char* f : {"onnx_ops", "googlenet_opset9", "resnet_opset13"})
            QTest::newRow(f) << f;
    }

    void gradientsMatchPyTorch() {
        QFETCH(QString, fixture);
        const Fixture f = loadFixture(fixture.toStdString());
        QVERIFY(!f.gradients.empty());
        auto fast = Network::load(f.dir);
        auto reference = Network::load(f.dir);
        reference->setReferenceKernels(true);
        for (const Reference& g : f.gradients) {
            DreamParams p;
            p.model = fixture.toStdString();
            p.layers = {{g.layer, 1.0, {}}};
            const double a = gradientError(PreparedDream(*fast, p).gradient(f.input), g.values);
            const double b =
                gradientError(PreparedDream(*reference, p).gradient(f.input), g.values);
            qInfo("%s %s gradient: relative error %.2e (engine kernels), %.2e (reference)",
                  qPrintable(fixture), g.layer.c_str(), a, b);
            QVERIFY2(a <= kRelativeTolerance, g.layer.c_str());
            QVERIFY2(b <= kRelativeTolerance, g.layer.c_str());
        }
    }

    // Ungrouped convolutions of an imported model run through the engine's oneDNN kernels, as
    // the default models' do; grouped or dilated ones through libtorch.
    void ungroupedConvolutionsTakeTheFastPath() {
        if (!test::oneDnnInBuild()) QSKIP("this build has no oneDNN kernels");
        for (const char* fixture : {"onnx_ops", "googlenet_opset9", "resnet_opset13"}) {
            auto net = Network::load(test::dataPath(std::string("conformance/") + fixture));
            const auto plan = compiledPlan(*net);
            const auto& nodes = net->graph().nodes();
            int fast = 0;
            for (size_t i = 0; i < nodes.size(); ++i) {
                const LayerNode& n = nodes[i];
                if (n.op != OpType::Conv2D) continue;
                const bool eligible =
                    n.groups == 1 && n.window.dh == 1 && n.window.dw == 1 && n.window.fixedPads();
                QVERIFY2(plan[i].oneDnnKernel == eligible, n.name.c_str());
                fast += plan[i].oneDnnKernel;
            }
            QVERIFY(fast >= 3);
        }
        auto ops = Network::load(test::dataPath("conformance/onnx_ops"));
        const int grouped = ops->graph().find("conv_group_dil");
        QCOMPARE(ops->graph().nodes()[grouped].groups, 2);
        QVERIFY(!compiledPlan(*ops)[grouped].oneDnnKernel);
    }

    // What the importer makes of the file: the layers named by node outputs, constant
    // subgraphs gone, and float16 and external weights read.
    void importedGraph() {
        const ModelGraph g = importModel(modelFile("onnx_ops"));
        QCOMPARE(g.inputChannels(), 3);
        for (const char* folded : {"pads", "image_shape", "pad_len", "per_channel"})
            QCOMPARE(g.find(folded), -1);
        const LayerNode& pad = g.nodes()[g.require("pad0")];
        QCOMPARE(pad.op, OpType::ZeroPadding2D);
        QCOMPARE((std::vector<int>{pad.padTop, pad.padBottom, pad.padLeft, pad.padRight}),
                 (std::vector<int>{0, 1, 1, 2}));
        const LayerNode& conv = g.nodes()[g.require("conv_asym")];
        QCOMPARE(conv.window.padH.before, 0);
        QCOMPARE(conv.window.padH.after, 1);
        QCOMPARE(conv.window.padW.before, 1);
        QCOMPARE(conv.window.padW.after, 0);
        QCOMPARE(g.nodes()[g.require("lrn")].op, OpType::LRN);
        QVERIFY(g.nodes()[g.require("maxpool_ceil")].window.ceilMode);
        QVERIFY(g.nodes()[g.require("avgpool_incl")].countIncludePad);
        QCOMPARE(g.nodes()[g.require("clip_range")].op, OpType::Clip);
        QCOMPARE(g.nodes()[g.require("clip6")].op, OpType::ReLU);  // fused like a ReLU6
        QCOMPARE(g.nodes()[g.require("mul_const")].op, OpType::BatchNorm);
        checkModelFiles(modelFile("onnx_ops"));
    }

    void unsupportedOperatorIsNamed() {
        const QString message = loadError(modelFile("onnx_unsupported"));
        QVERIFY2(message.contains("mystery_node") && message.contains("HardSwish") &&
                     message.contains("onnx_unsupported/model.onnx") &&
                     message.contains("not supported"),
                 qPrintable(message));
    }

    void truncatedOrTamperedFileIsRefused() {
        QTemporaryDir tmp;
        const fs::path dir = tmp.path().toStdString();
        for (double fraction : {0.5, 0.9, 0.02}) {
            const fs::path file =
                copyPrefix(modelFile("googlenet_opset9"),
                           dir / ("cut" + std::to_string(fraction)) / "model.onnx", fraction);
            const QString message = loadError(file.parent_path());
            QVERIFY2(message.contains(QString::fromStdString(file.string())), qPrintable(message));
            QVERIFY2(!message.startsWith("no error") && !message.startsWith("wrong kind"),
                     qPrintable(message));
        }
        // Bytes flipped all through the file: refused, never a crash.
        std::ifstream in(modelFile("onnx_ops"), std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), {});
        for (size_t i = 7; i < bytes.size(); i += 97) bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
        fs::create_directories(dir / "tampered");
        std::ofstream(dir / "tampered/model.onnx", std::ios::binary) << bytes;
        const QString message = loadError(dir / "tampered");
        QVERIFY2(message.contains("tampered/model.onnx") && !message.startsWith("no error") &&
                     !message.startsWith("wrong kind"),
                 qPrintable(message));
    }

    void externalDataMissingOrShort() {
        QTemporaryDir tmp;
        const fs::path dir = fs::path(tmp.path().toStdString()) / "ops";
        fs::create_directories(dir);
        fs::copy_file(modelFile("onnx_ops"), dir / "model.onnx");
        QString message = loadError(dir);
        QVERIFY2(message.contains("model.weights") && message.contains("missing") &&
                     message.contains("weight 'w2'"),
                 qPrintable(message));
        copyPrefix(test::dataPath("conformance/onnx_ops/model.weights"), dir / "model.weights",
                   0.5);
        message = loadError(dir);
        QVERIFY2(message.contains("too short"), qPrintable(message));
        try {
            checkModelFiles(dir);
            QFAIL("the short external data file passed the check");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("too short"), e.what());
        }
    }

    // ONNX's LRN window for an even size: floor((size - 1) / 2) channels before, the rest after
    // (PyTorch puts the extra channel before, so the PyTorch fixtures use odd sizes only).
    void lrnEvenSizeAgainstPlainLoops() {
        ModelGraph g("lrn-test");
        g.addInput("x", 3);
        LayerNode n;
        n.name = "lrn";
        n.op = OpType::LRN;
        n.inputs = {0};
        n.lrnSize = 4;
        n.lrnAlpha = 0.8f;
        n.lrnBeta = 0.6f;
        n.lrnBias = 1.5f;
        g.addNode(n);
        ModelManifest manifest;
        manifest.preprocessing = Preprocessing::Unit;
        auto net = compile(std::move(g), manifest);
        cv::Mat image(3, 4, CV_32FC3);
        cv::randu(image, 0.f, 1.f);
        const FloatTensor y = net->activations(image, {"lrn"})[0];  // [1, H, W, C]
        double worst = 0;
        for (int r = 0; r < image.rows; ++r)
            for (int c = 0; c < image.cols; ++c) {
                const auto px = image.at<cv::Vec3f>(r, c);
                for (int ch = 0; ch < 3; ++ch) {
                    double sum = 0;
                    for (int k = ch - 1; k <= ch + 2; ++k)  // size 4: one before, two after
                        if (k >= 0 && k < 3) sum += double(px[k]) * px[k];
                    const double expected = px[ch] / std::pow(1.5 + 0.8 / 4 * sum, 0.6);
                    const double actual = y.values[(size_t(r) * image.cols + c) * 3 + ch];
                    worst = std::max(worst, std::abs(actual - expected));
                }
            }
        QVERIFY2(worst < 1e-6, qPrintable(QString::number(worst)));
    }

    // A dream runs on an imported model and changes the picture.
    void dreamsWithAnImportedModel() {
        auto net = Network::load(test::dataPath("conformance/googlenet_opset17"));
        DreamParams p;
        p.model = "googlenet_opset17";
        p.layers = {{"inception_4a", 1.0, {}}};
        p.octaves = 2;
        p.steps = 3;
        p.workingSize = 96;
        const cv::Mat photo = test::smallPhoto(96);
        const cv::Mat dream = PreparedDream(*net, p).run(photo);
        QCOMPARE(dream.cols, 96);
        const double change = test::meanAbsDifference(dream, photo);
        qInfo("mean change %.4f", change);
        QVERIFY(change > 0.005);
    }
};

QTEST_GUILESS_MAIN(OnnxImportTest)
#include "test_onnx_import.moc"
