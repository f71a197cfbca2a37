// Our manifests agree with the models they describe: every offered layer exists with the
// channel count we show, ImageNet layers are exactly the ones the topology froze, and the
// default layers are offered.

#include <QtTest>

#include <filesystem>
#include <fstream>

#include "core/engine/network.h"
#include "core/model/model_store.h"
#include "tests/test_support.h"

using namespace inceptionist;
namespace fs = std::filesystem;

namespace {

// A models folder with two good copies of the tiny fixture model and three broken ones.
struct ModelsWithBrokenOnes {
    QTemporaryDir tmp;
    fs::path dir{tmp.path().toStdString()};
    ModelsWithBrokenOnes() {
        for (const char* id : {"good_a", "good_b", "bad_manifest", "missing_shard", "bad_model"})
            fs::copy(test::dataPath("conformance/tiny_float32"), dir / id,
                     fs::copy_options::recursive);
        std::ofstream(dir / "bad_manifest" / "manifest.json") << "{\"display_name\": ";
        fs::remove(dir / "missing_shard" / "group1-shard2of2.bin");
        std::ofstream(dir / "bad_model" / "model.json") << "[1, 2, 3]";
        fs::create_directory(dir / "not_a_model");  // an unrelated folder is no problem
    }
};

}  // namespace

class ModelManifestsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void manifestsMatchModels_data() {
        QTest::addColumn<QString>("id");
        QTest::newRow("inception_v3") << "inception_v3";
        QTest::newRow("mobilenet_v2") << "mobilenet_v2";
    }

    void manifestsMatchModels() {
        QFETCH(QString, id);
        auto net = test::defaultModel(id.toStdString());
        const ModelManifest& m = net->manifest();
        QVERIFY(!m.layers.empty());
        QVERIFY(!m.licence.empty() && !m.source.empty());
        bool seenFineTuned = false;
        for (const auto& l : m.layers) {
            const int node = net->graph().require(l.name);
            const LayerShape s = net->graph().layerShape(node, 299, 299);
            QVERIFY2(s.c == l.channels,
                     qPrintable(QString::fromStdString(l.name) + " has " + QString::number(s.c)));
            QCOMPARE(l.imagenet, net->graph().nodes()[node].provenance.frozenInSource);
            QCOMPARE(QString::fromStdString(net->graph().nodes()[node].provenance.training),
                     QString(l.imagenet ? "pretrained on ImageNet"
                                        : "fine-tuned after ImageNet training"));
            // ImageNet feature layers are listed first.
            if (!l.imagenet) seenFineTuned = true;
            QVERIFY2(!(seenFineTuned && l.imagenet), qPrintable(QString::fromStdString(l.name)));
        }
        for (const auto& d : m.defaultLayers) {
            const bool offered =
                std::any_of(m.layers.begin(), m.layers.end(), [&](auto& l) { return l.name == d; });
            QVERIFY2(offered, d.c_str());
        }
    }

    void storeListsInstalledModels() {
        const auto models = installedModels(test::modelsDir());
        std::vector<std::string> ids;
        for (const auto& m : models) ids.push_back(m.id);
        QVERIFY(std::find(ids.begin(), ids.end(), "inception_v3") != ids.end());
        QVERIFY(std::find(ids.begin(), ids.end(), "mobilenet_v2") != ids.end());
    }

    void brokenModelFoldersAreSkippedAndReported() {
        ModelsWithBrokenOnes m;
        std::vector<ModelProblem> problems;
        const auto models = installedModels(m.dir, &problems);
        QCOMPARE(models.size(), size_t(2));
        QCOMPARE(QString::fromStdString(models[0].id), QString("good_a"));
        QCOMPARE(QString::fromStdString(models[1].id), QString("good_b"));
        QCOMPARE(problems.size(), size_t(3));
        auto problemOf = [&](const std::string& id) {
            for (const auto& p : problems)
                if (p.folder.filename() == id) return QString::fromStdString(p.problem);
            return QString("not reported");
        };
        QVERIFY2(problemOf("bad_manifest").contains("manifest.json") &&
                     problemOf("bad_manifest").contains("malformed"),
                 qPrintable(problemOf("bad_manifest")));
        QVERIFY2(problemOf("missing_shard").contains("group1-shard2of2.bin") &&
                     problemOf("missing_shard").contains("missing"),
                 qPrintable(problemOf("missing_shard")));
        QVERIFY2(problemOf("bad_model").contains("model.json") &&
                     problemOf("bad_model").contains("not a TensorFlow.js layers model"),
                 qPrintable(problemOf("bad_model")));
        // Without a list for the problems the good models still come back.
        QCOMPARE(installedModels(m.dir).size(), size_t(2));
    }

    void cliListsGoodModelsAndReportsBrokenOnes() {
        ModelsWithBrokenOnes m;
        QProcess p;
        p.start(QString::fromStdString(test::cliPath()),
                {"models", "--models-dir", QString::fromStdString(m.dir.string())});
        QVERIFY(p.waitForFinished(60000));
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QVERIFY2(p.exitCode() == 0, qPrintable(err));
        QVERIFY2(out.contains("good_a") && out.contains("good_b"), qPrintable(out));
        QVERIFY(!out.contains("bad_") && !out.contains("missing_shard"));
        for (const char* id : {"bad_manifest", "missing_shard", "bad_model"})
            QVERIFY2(err.contains(QString("skipped model folder")) && err.contains(id),
                     qPrintable(err));
    }

    void minimumSizes() {
        // Keras documents 75 px as InceptionV3's smallest input; our shape walk agrees.
        auto net = test::defaultModel("inception_v3");
        QCOMPARE(net->graph().minimumInputSize({net->graph().require("mixed10")}), 75);
        QVERIFY(net->graph().minimumInputSize({net->graph().require("mixed2")}) <
                net->graph().minimumInputSize({net->graph().require("mixed5")}));
    }
};

QTEST_GUILESS_MAIN(ModelManifestsTest)
#include "test_model_manifests.moc"
