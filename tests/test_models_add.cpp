// Adding a model file: `inceptionist-cli models add` checks it, copies it into the user's model
// folder (XDG data directory; a temporary one here) with a generated manifest, and the model is
// listed and dreams at once; `models remove` takes it away; `--model-file` uses a file directly.
// The model zoo's GoogLeNet is recognised by its node names and gets the classic layers.

#include <QtTest>

#include <nlohmann/json.hpp>

#include "core/io/image_io.h"
#include "core/model/importer.h"
#include "core/model/model_install.h"
#include "core/model/model_store.h"
#include "core/params/errors.h"
#include "tests/test_support.h"

using namespace inceptionist;
namespace fs = std::filesystem;

namespace {

struct Run {
    int code = -1;
    QString out, err;
};

QString fixtureModel(const char* fixture) {
    return QString::fromStdString(test::dataPath(std::string("conformance/") + fixture) +
                                  "/model.onnx");
}

}  // namespace

class ModelsAddTest : public QObject {
    Q_OBJECT

    QTemporaryDir data_;
    fs::path userModels() const {
        return fs::path(data_.path().toStdString()) / "inceptionist" / "models";
    }

    Run cli(const QStringList& args) const {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("INCEPTIONIST_MODELS", QString::fromStdString(test::modelsDir()));
        env.insert("XDG_DATA_HOME", data_.path());
        p.setProcessEnvironment(env);
        p.start(QString::fromStdString(test::cliPath()), args);
        if (!p.waitForFinished(120000)) {
            p.kill();
            return {};
        }
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(data_.isValid());
        qputenv("XDG_DATA_HOME", data_.path().toUtf8());  // for this process's own calls
    }

    void addListDreamRemove() {
        Run r = cli({"models", "add", fixtureModel("googlenet_opset17"), "--name", "mini"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(fs::is_regular_file(userModels() / "mini" / "model.onnx"));
        // Listed at once, with the layers offered and their channel counts.
        r = cli({"models", "--json"});
        QCOMPARE(r.code, 0);
        const auto list = nlohmann::json::parse(r.out.toStdString());
        nlohmann::json mini;
        for (const auto& m : list)
            if (m["id"] == "mini") mini = m;
        QVERIFY2(!mini.is_null(), qPrintable(r.out));
        QCOMPARE(mini["preprocessing"].get<std::string>(), std::string("imagenet"));  // PyTorch
        std::map<std::string, int> channels;
        for (const auto& l : mini["layers"]) channels[l["name"]] = l["channels"];
        QCOMPARE(channels["inception_3a"], 32);  // the block outputs
        QCOMPARE(channels["inception_4a"], 44);
        QVERIFY(channels.size() >= 4);  // and the stem's convolutions
        // The window's list reads the same folders.
        bool listed = false;
        for (const auto& m : availableModels(test::modelsDir())) listed |= m.id == "mini";
        QVERIFY(listed);

        const QString out = data_.filePath("mini.png");
        r = cli({"dream", QString::fromStdString(test::dataPath("horses.jpg")), out, "--model",
                 "mini", "--layer", "inception_4a", "--size", "96", "--octaves", "2", "--steps",
                 "2"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(QFileInfo(out).size() > 1000);

        r = cli({"models", "add", fixtureModel("googlenet_opset17"), "--name", "mini"});
        QCOMPARE(r.code, 4);  // the name is taken
        QVERIFY2(r.err.contains("already installed"), qPrintable(r.err));

        r = cli({"models", "remove", "mini"});
        QCOMPARE(r.code, 0);
        QVERIFY(!fs::exists(userModels() / "mini"));
        r = cli({"models", "remove", "inception_v3"});
        QCOMPARE(r.code, 4);  // a shipped model is not the user's to remove
        QVERIFY(fs::is_directory(fs::path(test::modelsDir()) / "inception_v3"));
    }

    // External data files travel with the model; the preprocessing can be chosen.
    void addCopiesExternalDataAndTakesOptions() {
        const Run r = cli({"models", "add", fixtureModel("onnx_ops"), "--name", "ops",
                           "--preprocess", "unit", "--input-size", "64"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(fs::is_regular_file(userModels() / "ops" / "model.weights"));
        const ModelManifest m = readModelManifest(userModels() / "ops");
        QCOMPARE(m.preprocessing, Preprocessing::Unit);
        QCOMPARE(m.inputSize, 64);
        checkModelFiles(userModels() / "ops");
        QCOMPARE(cli({"models", "remove", "ops"}).code, 0);
    }

    void brokenFilesAreRefusedAndLeaveNothing() {
        Run r = cli({"models", "add", fixtureModel("onnx_unsupported")});
        QCOMPARE(r.code, 3);
        QVERIFY2(r.err.contains("mystery_node") && r.err.contains("HardSwish"), qPrintable(r.err));
        r = cli({"models", "add", QString::fromStdString(test::dataPath("kite.jpg"))});
        QCOMPARE(r.code, 3);
        r = cli({"models", "add", fixtureModel("googlenet_opset9"), "--name", "../escape"});
        QCOMPARE(r.code, 4);
        r = cli({"models", "add", fixtureModel("googlenet_opset9"), "--preprocess", "bgr"});
        QCOMPARE(r.code, 4);
        QVERIFY2(r.err.contains("caffe, imagenet, tf or unit"), qPrintable(r.err));
        std::error_code ec;
        QVERIFY(!fs::exists(userModels(), ec) || fs::is_empty(userModels(), ec));
    }

    // The model zoo's GoogLeNet (by its node names, here on random weights): the classic layer
    // names work, inception_4c/output is the default, Caffe's preprocessing is chosen.
    void recognisesTheZooGoogLeNet() {
        const fs::path file = fixtureModel("zoo_googlenet").toStdString();
        const ModelGraph graph = importModel(file);
        QVERIFY(graph.find("inception_4c/output") >= 0);
        QCOMPARE(graph.find("inception_4c/output"), graph.find("inception_4c/output_1"));
        QCOMPARE(graph.find("conv2/3x3"), graph.find("conv2/3x3_2"));  // after its ReLU
        const ModelManifest m = describeModel(file, graph);
        QCOMPARE(m.defaultLayers, std::vector<std::string>{"inception_4c/output"});
        QCOMPARE(m.preprocessing, Preprocessing::Caffe);
        QCOMPARE(m.inputSize, 224);
        QVERIFY(m.layers.size() >= 9);
        QCOMPARE(m.layers.front().name, std::string("conv2/3x3"));

        // The command line dreams with its defaults: the manifest's layer, 4 octaves × 1.4, 10
        // steps (the classic recipe is the dream's own default).
        const QString out = data_.filePath("zoo.png");
        const Run r = cli({"dream", QString::fromStdString(test::dataPath("horses.jpg")), out,
                           "--model-file", fixtureModel("zoo_googlenet"), "--size", "96"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(readImage(out.toStdString()).cols, 96);
        const auto params = nlohmann::json::parse(readImageMetadata(out.toStdString()));
        QCOMPARE(params["layers"][0]["name"].get<std::string>(),
                 std::string("inception_4c/output"));
        QCOMPARE(params["octaves"].get<int>(), 4);
        QCOMPARE(params["octave_scale"].get<double>(), 1.4);
        QCOMPARE(params["steps"].get<int>(), 10);
    }

    void modelFileForInspect() {
        const Run r =
            cli({"inspect", QString::fromStdString(test::dataPath("horses.jpg")), "--model-file",
                 fixtureModel("resnet_opset13"), "--layer", "layer2", "--size", "96", "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j["shape"][2].get<int>(), 16);
    }
};

QTEST_GUILESS_MAIN(ModelsAddTest)
#include "test_models_add.moc"
