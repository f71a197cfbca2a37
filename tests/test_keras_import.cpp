// The Keras .h5 importer against the TF.js path on the same weights, and against TensorFlow.js's
// own reference activations: a committed small model with every layer type
// (tests/data/keras/tiny.h5, written from tests/data/conformance/tiny_float32 by
// tests/conformance/make-keras-fixtures.py), the default InceptionV3 written as a whole model
// and as a weights-only file at test time (about 90 MB each, so not committed), and broken files.

#include <QtTest>

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "core/engine/network.h"
#include "core/model/hdf5_file.h"
#include "core/model/importer.h"
#include "core/params/errors.h"
#include "tests/test_support.h"

using namespace inceptionist;
namespace fs = std::filesystem;

namespace {

constexpr double kRelativeTolerance = 1e-4;  // as for TF.js conformance

const char* kPython = "/usr/bin/python3";

std::string fixtureScript() {
    return std::string(INCEPTIONIST_TEST_DATA) + "/../conformance/make-keras-fixtures.py";
}

std::vector<float> readFloats(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
    std::vector<float> values(bytes.size() / sizeof(float));
    std::memcpy(values.data(), bytes.data(), values.size() * sizeof(float));
    return values;
}

double largestDifference(const std::vector<float>& a, const std::vector<float>& b) {
    double worst = 0;
    for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(double(a[i]) - b[i]));
    return worst;
}

double largestMagnitude(const std::vector<float>& a) {
    double m = 0;
    for (float v : a) m = std::max(m, std::abs(double(v)));
    return m;
}

// The message of the Error(Model) that importing `file` throws, or a failure when none is.
QString importError(const fs::path& file) {
    try {
        importModel(file);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::Model) return "wrong kind: " + QString(e.what());
        return e.what();
    }
    return "no error";
}

std::vector<char> readBytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::vector<char>(std::istreambuf_iterator<char>(in), {});
}

void writeBytes(const fs::path& file, const std::vector<char>& bytes) {
    std::ofstream(file, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}

// `bytes` with the first `from` replaced by `to` (of the same length); false where absent.
bool replaceBytes(std::vector<char>& bytes, const std::string& from, const std::string& to) {
    const auto it = std::search(bytes.begin(), bytes.end(), from.begin(), from.end());
    if (it == bytes.end()) return false;
    std::copy(to.begin(), to.end(), it);
    return true;
}

}  // namespace

class KerasImportTest : public QObject {
    Q_OBJECT

    QTemporaryDir temp_;
    bool havePython_ = false;

    fs::path tempPath(const std::string& name) const {
        return fs::path(temp_.path().toStdString()) / name;
    }

    // Runs the fixture script with `args`; fails the test where it fails.
    void makeFixture(const QStringList& args) {
        QProcess p;
        p.start(kPython, QStringList{QString::fromStdString(fixtureScript())} + args);
        QVERIFY(p.waitForFinished(120000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    }

    QString defaultInception() const {
        return QString::fromStdString(test::modelsDir() + "/inception_v3");
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(temp_.isValid());
        QProcess p;
        p.start(kPython, {"-c", "import h5py, numpy"});
        havePython_ = p.waitForFinished(60000) && p.exitCode() == 0;
    }

    // Every layer type of the TF.js conformance model, stored as Keras 2 stores a whole model:
    // within 1e-4 of TensorFlow.js's reference activations, and identical to the TF.js path.
    void tinyModelMatchesTfjs() {
        const std::string fixtureDir = test::dataPath("conformance/tiny_float32");
        std::ifstream in(fixtureDir + "/fixture.json");
        const auto doc = nlohmann::json::parse(in);
        const auto shape = doc["input"]["shape"].get<std::vector<int>>();
        auto input = readFloats(fixtureDir + "/" + doc["input"]["file"].get<std::string>());
        const cv::Mat rgb = cv::Mat(shape[1], shape[2], CV_32FC3, input.data()).clone();
        std::vector<std::string> layers;
        for (const auto& o : doc["outputs"]) layers.push_back(o["layer"]);

        auto keras = Network::load(test::dataPath("keras/tiny.h5"));
        auto tfjs = Network::load(fixtureDir);
        QCOMPARE(keras->graph().sourceLayerCount(), tfjs->graph().sourceLayerCount());
        const auto fromKeras = keras->activations(rgb, layers);
        const auto fromTfjs = tfjs->activations(rgb, layers);
        for (size_t i = 0; i < layers.size(); ++i) {
            const auto& o = doc["outputs"][i];
            const auto expected = readFloats(fixtureDir + "/" + o["file"].get<std::string>());
            QCOMPARE(fromKeras[i].shape, o["shape"].get<std::vector<int64_t>>());
            const double err =
                largestDifference(fromKeras[i].values, expected) / largestMagnitude(expected);
            QVERIFY2(err <= kRelativeTolerance,
                     qPrintable(QString::fromStdString(layers[i]) + " " + QString::number(err)));
            QCOMPARE(largestDifference(fromKeras[i].values, fromTfjs[i].values), 0.0);
        }
    }

    // The default InceptionV3 saved as a whole Keras model gives the TF.js path's activations,
    // bit for bit, up to its fine-tuned 5-class head.
    void inceptionV3WholeModelIsIdentical() {
        if (!havePython_) QSKIP("/usr/bin/python3 lacks h5py or numpy (Debian python3-h5py)");
        const fs::path file = tempPath("inception_v3.h5");
        makeFixture({defaultInception(), QString::fromStdString(file.string())});
        auto keras = Network::load(file);
        auto tfjs = test::defaultModel("inception_v3");
        const cv::Mat photo = test::smallPhoto(299)(cv::Rect(0, 0, 299, 299 * 3 / 4)).clone();
        cv::Mat square;
        cv::resize(photo, square, {299, 299});
        const std::vector<std::string> layers = {"activation_5", "mixed2",         "mixed5",
                                                 "mixed10",      "dense_3/linear", "dense_3"};
        const auto a = keras->activations(square, layers);
        const auto b = tfjs->activations(square, layers);
        for (size_t i = 0; i < layers.size(); ++i) {
            QCOMPARE(a[i].shape, b[i].shape);
            QVERIFY(largestMagnitude(b[i].values) > 0);
            QCOMPARE(largestDifference(a[i].values, b[i].values), 0.0);
        }
        QCOMPARE(a.back().shape, (std::vector<int64_t>{1, 5}));
    }

    // A weights-only file in Keras Applications' form (layer groups at the root, no topology),
    // with an ImageNet-style head: matched to InceptionV3's topology; the features are the TF.js
    // path's, the head is global average pooling and the file's Dense layer.
    void inceptionV3WeightsOnly() {
        if (!havePython_) QSKIP("/usr/bin/python3 lacks h5py or numpy (Debian python3-h5py)");
        const fs::path file = tempPath("inception_v3_weights.h5");
        makeFixture({defaultInception(), QString::fromStdString(file.string()), "--weights-only",
                     "--up-to", "mixed10", "--head", "7", "--seed", "3"});
        auto keras = Network::load(file);
        auto tfjs = test::defaultModel("inception_v3");
        const cv::Mat photo = test::smallPhoto(160);
        const auto a = keras->activations(photo, {"mixed5", "mixed10", "predictions/linear"});
        const auto b = tfjs->activations(photo, {"mixed5", "mixed10"});
        QCOMPARE(largestDifference(a[0].values, b[0].values), 0.0);
        QCOMPARE(largestDifference(a[1].values, b[1].values), 0.0);

        // The logits by hand: the mean of mixed10 over the image, times the file's kernel.
        const Hdf5File h5(file);
        const FloatTensor kernel = h5.readFloats("predictions/predictions/kernel:0");
        const FloatTensor bias = h5.readFloats("predictions/predictions/bias:0");
        QCOMPARE(kernel.shape, (std::vector<int64_t>{2048, 7}));
        const auto& mixed10 = b[1];  // [1, H, W, 2048]
        const int64_t pixels = mixed10.shape[1] * mixed10.shape[2];
        std::vector<float> logits(7);
        for (int k = 0; k < 7; ++k) {
            double sum = bias.values[k];
            for (int64_t c = 0; c < 2048; ++c) {
                double mean = 0;
                for (int64_t p = 0; p < pixels; ++p) mean += mixed10.values[p * 2048 + c];
                sum += mean / pixels * kernel.values[c * 7 + k];
            }
            logits[k] = float(sum);
        }
        QCOMPARE(a[2].shape, (std::vector<int64_t>{1, 7}));
        const double err = largestDifference(a[2].values, logits) / largestMagnitude(logits);
        QVERIFY2(err <= kRelativeTolerance, qPrintable(QString::number(err)));
    }

    // A weights-only file whose layer does not have the shape InceptionV3 needs is refused,
    // naming the file, the layer and the weight.
    void weightsOnlyShapeMismatchNamesTheLayer() {
        if (!havePython_) QSKIP("/usr/bin/python3 lacks h5py or numpy (Debian python3-h5py)");
        const fs::path file = tempPath("inception_v3_shrunk.h5");
        makeFixture({defaultInception(), QString::fromStdString(file.string()), "--weights-only",
                     "--up-to", "mixed10", "--shrink", "conv2d_5"});
        const QString e = importError(file);
        QVERIFY2(e.contains("inception_v3_shrunk.h5") && e.contains("'conv2d_5'") &&
                     e.contains("kernel") && e.contains("[3,3,80,96]"),
                 qPrintable(e));
    }

    // Weights of another architecture (the small model's, committed) are refused as not fitting
    // InceptionV3, saying how many layers each has.
    void weightsOnlyOfAnotherArchitecture() {
        const QString e = importError(test::dataPath("keras/tiny-weights-only.h5"));
        QVERIFY2(e.contains("tiny-weights-only.h5") && e.contains("does not fit InceptionV3") &&
                     e.contains("188 up to mixed10"),
                 qPrintable(e));
    }

    void truncatedFile() {
        auto bytes = readBytes(test::dataPath("keras/tiny.h5"));
        bytes.resize(bytes.size() / 2);
        const fs::path file = tempPath("truncated.h5");
        writeBytes(file, bytes);
        const QString e = importError(file);
        QVERIFY2(e.contains("truncated.h5") && e.contains("truncated or damaged"), qPrintable(e));
        try {
            checkModelFiles(file);  // the model list's quick look finds it too
            QFAIL("checkModelFiles accepted a truncated file");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Model);
        }
    }

    void damagedSignature() {
        auto bytes = readBytes(test::dataPath("keras/tiny.h5"));
        std::fill(bytes.begin(), bytes.begin() + 8, 'x');
        const fs::path file = tempPath("no-signature.h5");
        writeBytes(file, bytes);
        const QString e = importError(file);
        QVERIFY2(e.contains("no-signature.h5") && e.contains("not an HDF5 file"), qPrintable(e));
    }

    // The topology names a layer type nobody implements: refused with the layer and the type.
    void tamperedTopology() {
        auto bytes = readBytes(test::dataPath("keras/tiny.h5"));
        QVERIFY(replaceBytes(bytes, "\"class_name\": \"Conv2D\"", "\"class_name\": \"Conv9D\""));
        const fs::path file = tempPath("conv9d.h5");
        writeBytes(file, bytes);
        const QString e = importError(file);
        QVERIFY2(e.contains("conv9d.h5") && e.contains("'Conv9D'") && e.contains("layer '"),
                 qPrintable(e));
    }

    // A layer's weight list names a dataset that is not there.
    void tamperedWeightNames() {
        auto bytes = readBytes(test::dataPath("keras/tiny.h5"));
        QVERIFY(replaceBytes(bytes, "conv_valid/kernel:0", "conv_valid/kernex:0"));
        const fs::path file = tempPath("kernex.h5");
        writeBytes(file, bytes);
        const QString e = importError(file);
        QVERIFY2(
            e.contains("kernex.h5") && e.contains("conv_valid/kernex:0") && e.contains("missing"),
            qPrintable(e));
    }

    void malformedModelConfig() {
        auto bytes = readBytes(test::dataPath("keras/tiny.h5"));
        QVERIFY(replaceBytes(bytes, "{\"class_name\"", "[\"class_name\""));
        const fs::path file = tempPath("config.h5");
        writeBytes(file, bytes);
        const QString e = importError(file);
        QVERIFY2(e.contains("config.h5") && e.contains("model_config"), qPrintable(e));
    }

    // A model folder holding `model.h5` is a model like one holding `model.json`.
    void modelFolderWithH5() {
        const fs::path dir = tempPath("folder");
        fs::create_directories(dir);
        fs::copy_file(test::dataPath("keras/tiny.h5"), dir / "model.h5");
        QCOMPARE(findModelFile(dir), dir / "model.h5");
        checkModelFiles(dir);
        auto net = Network::load(dir);
        QCOMPARE(net->graph().sourceLayerCount(), size_t(26));
    }
};

QTEST_GUILESS_MAIN(KerasImportTest)
#include "test_keras_import.moc"
