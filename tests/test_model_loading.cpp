// Bad models give an Error(Model) that names the file, the layer and the problem; never a crash.

#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/engine/network.h"
#include "core/model/importer.h"
#include "core/model/model_read_ahead.h"
#include "core/model/tfjs_reader.h"
#include "core/params/errors.h"
#include "tests/test_support.h"

using namespace inceptionist;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A copy of the tiny float32 model in a temporary folder, for the test to damage.
struct ModelCopy {
    QTemporaryDir tmp;
    fs::path dir;
    ModelCopy() {
        dir = fs::path(tmp.path().toStdString()) / "tiny";
        fs::copy(test::dataPath("conformance/tiny_float32"), dir, fs::copy_options::recursive);
    }
    json topology() const {
        std::ifstream in(dir / "model.json");
        return json::parse(in);
    }
    void write(const json& doc) const { std::ofstream(dir / "model.json") << doc.dump(); }
    json& layer(json& doc, const std::string& name) const {
        for (auto& l : doc["modelTopology"]["config"]["layers"])
            if (l["name"] == name) return l;
        throw std::runtime_error("no layer " + name);
    }
};

// Loads and returns the error message; fails the test if loading succeeds or throws otherwise.
QString loadError(const fs::path& dir) {
    try {
        Network::load(dir);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::Model) return QString("wrong kind: ") + e.what();
        return QString::fromUtf8(e.what());
    }
    return "no error";
}

}  // namespace

class ModelLoadingTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void validCopyLoads() {
        ModelCopy m;
        auto net = Network::load(m.dir);
        QCOMPARE(net->graph().sourceLayerCount(), size_t(26));  // 25 layers and the input
    }

    void fusedActivationsBecomeNodes() {
        // conv_1x5 has a sigmoid fused in Keras: its name means the sigmoid's output, as in
        // Keras, and "conv_1x5/linear" the convolution before it.
        auto net = Network::load(test::dataPath("conformance/tiny_float32"));
        const ModelGraph& g = net->graph();
        const int activation = g.require("conv_1x5"), linear = g.require("conv_1x5/linear");
        QVERIFY(g.nodes()[activation].op == OpType::Activation);
        QCOMPARE(g.nodes()[activation].inputs, std::vector<int>{linear});
        cv::Mat image(13, 17, CV_32FC3);
        cv::randu(image, 0.f, 1.f);
        const auto a = net->activations(image, {"conv_1x5/linear", "conv_1x5"});
        QCOMPARE(a[0].shape, a[1].shape);
        double worst = 0;
        for (size_t i = 0; i < a[0].values.size(); ++i)
            worst =
                std::max(worst, std::abs(1.0 / (1.0 + std::exp(-a[0].values[i])) - a[1].values[i]));
        QVERIFY2(worst < 1e-6, qPrintable(QString::number(worst)));
    }

    void malformedJson() {
        ModelCopy m;
        std::ofstream(m.dir / "model.json") << "{\"modelTopology\": {\"config\": [1, 2,";
        const QString e = loadError(m.dir);
        QVERIFY2(e.contains("model.json") && e.contains("malformed JSON"), qPrintable(e));
    }

    void notAModel() {
        ModelCopy m;
        std::ofstream(m.dir / "model.json") << "[1, 2, 3]";
        const QString e = loadError(m.dir);
        QVERIFY2(e.contains("model.json") && e.contains("not a TensorFlow.js layers model"),
                 qPrintable(e));
    }

    void missingShard() {
        ModelCopy m;
        fs::remove(m.dir / "group1-shard2of2.bin");
        const QString e = loadError(m.dir);
        QVERIFY2(e.contains("group1-shard2of2.bin") && e.contains("missing"), qPrintable(e));
    }

    void truncatedShard() {
        ModelCopy m;
        const auto shard = m.dir / "group1-shard2of2.bin";
        fs::resize_file(shard, fs::file_size(shard) - 100);
        const QString e = loadError(m.dir);
        QVERIFY2(e.contains("group1-shard2of2.bin") && e.contains("weight shards end"),
                 qPrintable(e));
    }

    void oversizedShard() {
        ModelCopy m;
        std::ofstream(m.dir / "group1-shard2of2.bin", std::ios::app) << "extra";
        const QString e = loadError(m.dir);
        QVERIFY2(e.contains("group1-shard2of2.bin") && e.contains("manifest describes"),
                 qPrintable(e));
    }

    void unknownLayerType() {
        ModelCopy m;
        auto doc = m.topology();
        m.layer(doc, "gap")["class_name"] = "GlobalMaxPooling2D";
        m.write(doc);
        const QString e = loadError(m.dir);
        QVERIFY2(e.contains("model.json") && e.contains("'gap'") &&
                     e.contains("GlobalMaxPooling2D") && e.contains("not implemented"),
                 qPrintable(e));
    }

    void kernelShapeMismatch() {
        ModelCopy m;
        auto doc = m.topology();
        m.layer(doc, "conv_1x5")["config"]["kernel_size"] = {5, 1};
        m.write(doc);
        const QString e = loadError(m.dir);
        QVERIFY2(e.contains("'conv_1x5'") && e.contains("kernel") && e.contains("[1,5,16,16]") &&
                     e.contains("[5,1,?,16]"),
                 qPrintable(e));
    }

    void channelMismatchAtRunTime() {
        // conv_1x5's kernel wants 16 input channels; fed from relu6 it gets 8. Found when run.
        ModelCopy m;
        auto doc = m.topology();
        m.layer(doc, "conv_1x5")["inbound_nodes"][0][0][0] = "relu6";
        m.write(doc);
        auto net = Network::load(m.dir);
        cv::Mat image(13, 17, CV_32FC3, cv::Scalar::all(0.5));
        try {
            net->activations(image, {"conv_1x5"});
            QFAIL("ran a convolution on the wrong number of channels");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Model);
            QVERIFY2(QString(e.what()).contains("'conv_1x5'") &&
                         QString(e.what()).contains("model.json") &&
                         QString(e.what()).contains("reads 16 channels but the input has 8"),
                     e.what());
        }
    }

    void missingWeight() {
        ModelCopy m;
        auto doc = m.topology();
        for (auto& w : doc["weightsManifest"][0]["weights"])
            if (w["name"] == "dense/bias") w["name"] = "dense/bias_renamed";
        m.write(doc);
        const QString e = loadError(m.dir);
        QVERIFY2(e.contains("'dense'") && e.contains("'bias' is missing"), qPrintable(e));
    }

    void inputFromUnknownLayer() {
        ModelCopy m;
        auto doc = m.topology();
        m.layer(doc, "add")["inbound_nodes"][0][0][0] = "nowhere";
        m.write(doc);
        const QString e = loadError(m.dir);
        QVERIFY2(e.contains("'add'") && e.contains("unknown layer 'nowhere'"), qPrintable(e));
    }

    void missingModelFile() {
        QTemporaryDir tmp;
        const QString e = loadError(tmp.path().toStdString());
        QVERIFY2(e.contains("model.json") && e.contains("not found"), qPrintable(e));
    }

    void unknownDevice() {
        try {
            Network::load(test::dataPath("conformance/tiny_float32"), "tpu");
            QFAIL("loaded on an unknown device");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Device);
        }
    }

    void imageTooSmallNamesTheLayer() {
        auto net = Network::load(test::dataPath("conformance/tiny_float32"));
        cv::Mat tiny(2, 2, CV_32FC3, cv::Scalar::all(0.5));
        try {
            net->activations(tiny, {"separable"});
            QFAIL("a 2x2 image ran through a valid 3x2 convolution");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Parameter);
            QVERIFY2(QString(e.what()).contains("'separable'"), e.what());
        }
    }

    // The read-ahead the command line starts while libtorch loads (model_read_ahead.h) hands
    // over exactly what importing the file gives, once, and only for its own file.
    void readAheadGivesTheModelOnce() {
        const std::string dir = test::dataPath("conformance/tiny_uint8");
        const fs::path quantized = fs::path(dir) / "model.json";
        startModelReadAhead(quantized);
        modelReadAheadMayUseLibraries();
        QVERIFY(!takeModelReadAhead(test::dataPath("conformance/tiny_float32") + "/model.json"));
        const auto ahead = takeModelReadAhead(quantized);
        QVERIFY(ahead.has_value());
        QVERIFY(!takeModelReadAhead(quantized));
        const ModelGraph imported = importModel(dir);
        QCOMPARE(ahead->nodes().size(), imported.nodes().size());
        int weights = 0;
        for (size_t i = 0; i < imported.nodes().size(); ++i) {
            QCOMPARE(ahead->nodes()[i].name, imported.nodes()[i].name);
            for (const auto& [name, w] : imported.nodes()[i].weights) {
                const FloatTensor& a = ahead->nodes()[i].weights.at(name);
                QCOMPARE(a.shape, w.shape);
                QVERIFY(a.values == w.values);  // to the bit
                ++weights;
            }
        }
        QVERIFY(weights > 5);
    }

    // float16 weights are decoded by OpenCV, which a read-ahead may run before: it leaves them
    // to the importer, which reads the model as always.
    void readAheadLeavesFloat16ToTheImporter() {
        const std::string dir = test::dataPath("conformance/tiny_float16");
        startModelReadAhead(fs::path(dir) / "model.json");
        QVERIFY(!takeModelReadAhead(fs::path(dir) / "model.json"));  // the thread refused it
        QVERIFY(importModel(dir).nodes().size() > 5);
    }

    // uint8 weights go through a table of their 256 values: the same floats as `q * scale + min`.
    void quantizedWeightsDecodeAsBefore() {
        const std::string dir = test::dataPath("conformance/tiny_uint8");
        std::ifstream in(dir + "/model.json");
        const json doc = json::parse(in);
        const TfjsModel model = readTfjsModel(fs::path(dir) / "model.json");
        const json& group = doc["weightsManifest"][0];
        std::vector<unsigned char> bytes;  // the group's shards one after the other
        for (const auto& path : group["paths"]) {
            std::ifstream shard(dir + "/" + path.get<std::string>(), std::ios::binary);
            bytes.insert(bytes.end(), std::istreambuf_iterator<char>(shard), {});
        }
        size_t offset = 0, checked = 0, mismatches = 0;
        for (const auto& entry : group["weights"]) {
            size_t count = 1;
            for (auto d : entry["shape"]) count *= d.get<size_t>();
            const auto& q = entry["quantization"];
            QCOMPARE(q["dtype"].get<std::string>(), std::string("uint8"));
            const double scale = q["scale"], minimum = q["min"];
            const auto& values = model.weights.at(entry["name"].get<std::string>()).values;
            QCOMPARE(values.size(), count);
            QVERIFY(offset + count <= bytes.size());
            for (size_t i = 0; i < count; ++i, ++checked)
                mismatches += values[i] != static_cast<float>(bytes[offset + i] * scale + minimum);
            offset += count;
        }
        QCOMPARE(mismatches, size_t(0));  // to the bit
        QCOMPARE(offset, bytes.size());
        QVERIFY(checked > 100);
    }
};

QTEST_GUILESS_MAIN(ModelLoadingTest)
#include "test_model_loading.moc"
