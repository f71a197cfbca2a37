// Our manifests agree with the models they describe: every offered layer exists with the
// channel count we show, ImageNet layers are exactly the ones the topology froze, and the
// default layers are offered.

#include <QtTest>

#include "core/engine/network.h"
#include "core/model/model_store.h"
#include "tests/test_support.h"

using namespace inceptionist;

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
            QCOMPARE(l.imagenet, !net->graph().nodes()[node].trainable);
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
