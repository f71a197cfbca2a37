// The engine's activations match TensorFlow.js's own CPU backend (fixtures made by
// tests/conformance/make-fixtures.sh) within 1e-4 relative: the largest difference is at most
// 1e-4 of the largest reference magnitude, layer by layer.

#include <QtTest>

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/engine/network.h"
#include "core/render/dreamer.h"
#include "tests/test_support.h"

using namespace inceptionist;

namespace {

constexpr double kRelativeTolerance = 1e-4;

std::vector<float> readFloats(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
    std::vector<float> values(bytes.size() / sizeof(float));
    std::memcpy(values.data(), bytes.data(), values.size() * sizeof(float));
    return values;
}

struct Fixture {
    std::string dir;
    cv::Mat input;
    std::vector<std::string> layers;
    std::vector<std::vector<int64_t>> shapes;
    std::vector<std::vector<float>> expected;
};

Fixture loadFixture(const std::string& name) {
    Fixture f;
    f.dir = test::dataPath("conformance/" + name);
    std::ifstream in(f.dir + "/fixture.json");
    const auto doc = nlohmann::json::parse(in);
    const auto shape = doc["input"]["shape"].get<std::vector<int>>();  // 1, H, W, 3
    auto input = readFloats(f.dir + "/" + doc["input"]["file"].get<std::string>());
    f.input = cv::Mat(shape[1], shape[2], CV_32FC3, input.data()).clone();
    for (const auto& o : doc["outputs"]) {
        f.layers.push_back(o["layer"]);
        f.shapes.push_back(o["shape"].get<std::vector<int64_t>>());
        f.expected.push_back(readFloats(f.dir + "/" + o["file"].get<std::string>()));
    }
    return f;
}

// Largest |a - b| relative to the largest |b|.
double relativeError(const std::vector<float>& actual, const std::vector<float>& expected) {
    double maxDiff = 0, maxRef = 0;
    for (size_t i = 0; i < expected.size(); ++i) {
        maxDiff = std::max(maxDiff, std::abs(double(actual[i]) - expected[i]));
        maxRef = std::max(maxRef, std::abs(double(expected[i])));
    }
    return maxRef > 0 ? maxDiff / maxRef : maxDiff;
}

void compareLayers(const Network& net, const Fixture& f, const std::vector<size_t>& which) {
    std::vector<std::string> layers;
    for (size_t i : which) layers.push_back(f.layers[i]);
    const auto actual = net.activations(f.input, layers);
    for (size_t k = 0; k < which.size(); ++k) {
        const size_t i = which[k];
        QCOMPARE(actual[k].shape, f.shapes[i]);
        const double err = relativeError(actual[k].values, f.expected[i]);
        const QByteArray what =
            QByteArray::fromStdString(f.layers[i] + " relative error " + std::to_string(err));
        QVERIFY2(err <= kRelativeTolerance, what.constData());
        qInfo("%s", what.constData());
    }
}

}  // namespace

class ConformanceTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void inceptionV3() {
        const Fixture f = loadFixture("inception_v3");
        QCOMPARE(f.layers, (std::vector<std::string>{"mixed2", "mixed4", "mixed5"}));
        auto net = test::defaultModel("inception_v3");
        compareLayers(*net, f, {0, 1, 2});  // all at once
        compareLayers(*net, f, {1});        // alone: only the layers mixed4 needs run
    }

    void mobileNetV2() {
        const Fixture f = loadFixture("mobilenet_v2");
        auto net = test::defaultModel("mobilenet_v2");
        compareLayers(*net, f, {0, 1});
        compareLayers(*net, f, {1});
    }

    // The engine's own gradient kernels (gradient as a forward convolution, fused ReLUs, merged
    // 1×1 branches) agree with libtorch's reference autograd.
    void gradientsMatchReferenceKernels_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("layer");
        QTest::newRow("inception mixed4") << "inception_v3"
                                          << "mixed4";
        QTest::newRow("inception mixed2") << "inception_v3"
                                          << "mixed2";
        QTest::newRow("mobilenet block_9_add") << "mobilenet_v2"
                                               << "block_9_add";
    }

    void gradientsMatchReferenceKernels() {
        QFETCH(QString, model);
        QFETCH(QString, layer);
        const Fixture f = loadFixture(model.toStdString());
        auto fast = Network::load(test::modelsDir() + "/" + model.toStdString());
        auto reference = Network::load(test::modelsDir() + "/" + model.toStdString());
        reference->setReferenceKernels(true);
        // The dream's own objective and tiler, as a dream uses them.
        DreamParams p;
        p.model = model.toStdString();
        p.layers = {{layer.toStdString(), 1.0, {}}};
        const cv::Mat a = PreparedDream(*fast, p).gradient(f.input);
        const cv::Mat b = PreparedDream(*reference, p).gradient(f.input);
        double maxRef = 0;
        cv::minMaxLoc(cv::abs(b), nullptr, &maxRef);
        const double err = cv::norm(a, b, cv::NORM_INF) / maxRef;
        qInfo("%s %s gradient: relative error %.2e", qPrintable(model), qPrintable(layer), err);
        QVERIFY2(err <= kRelativeTolerance, qPrintable(QString::number(err)));
        QVERIFY(maxRef > 0);
    }

    void everyLayerType_data() {
        QTest::addColumn<QString>("storage");
        for (const char* s : {"float32", "uint8", "uint16", "float16"}) QTest::newRow(s) << s;
    }

    // Every implemented layer type, with weights stored each way the converter stores them.
    void everyLayerType() {
        QFETCH(QString, storage);
        const Fixture f = loadFixture("tiny_" + storage.toStdString());
        auto net = Network::load(f.dir);
        std::vector<size_t> all(f.layers.size());
        for (size_t i = 0; i < all.size(); ++i) all[i] = i;
        compareLayers(*net, f, all);  // every output kept: nothing folded
        // One at a time: batch norms folded into their convolutions and ReLUs fused, as in a dream.
        for (size_t i = 0; i < all.size(); ++i) compareLayers(*net, f, {i});
    }
};

QTEST_GUILESS_MAIN(ConformanceTest)
#include "test_conformance.moc"
