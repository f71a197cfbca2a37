// The parameter schema: JSON round trips, and bad values are refused with the parameter's name.

#include <QtTest>

#include "core/params/dream_params.h"
#include "core/params/errors.h"

using namespace inceptionist;
using nlohmann::json;

namespace {

QString parameterError(const json& j) {
    try {
        DreamParams::fromJson(j);
    } catch (const Error& e) {
        return e.kind() == ErrorKind::Parameter ? QString::fromUtf8(e.what())
                                                : QString("wrong kind");
    }
    return "accepted";
}

}  // namespace

class DreamParamsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip() {
        DreamParams p;
        p.model = "mobilenet_v2";
        p.layers = {{"block_8_add", 0.5, {3, 9}}, {"block_5_add", 2.0, {}}};
        p.octaves = 6;
        p.octaveScale = 1.3;
        p.steps = 7;
        p.stepSize = 0.02;
        p.jitter = 8;
        p.seed = 123456789012345ull;
        p.workingSize = 800;
        p.startFromNoise = true;
        p.guideImage = "/tmp/guide.png";
        const DreamParams back = DreamParams::fromJson(json::parse(p.toJson().dump()));
        QVERIFY(back == p);
        QCOMPARE(back.layers[0].channels, (std::vector<int>{3, 9}));
        QCOMPARE(back.seed, p.seed);
    }

    void missingKeysKeepDefaults() {
        const DreamParams p = DreamParams::fromJson(json{{"steps", 3}});
        QCOMPARE(p.steps, 3);
        QCOMPARE(p.octaves, DreamParams().octaves);
        QCOMPARE(p.layers.size(), size_t(2));
    }

    void layersAsNames() {
        const DreamParams p = DreamParams::fromJson(json{{"layers", {"mixed5"}}});
        QCOMPARE(p.layers.size(), size_t(1));
        QCOMPARE(QString::fromStdString(p.layers[0].name), QString("mixed5"));
        QCOMPARE(p.layers[0].weight, 1.0);
    }

    void badValuesNameTheParameter_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("octaves 0") << R"({"octaves": 0})"
                                   << "octaves";
        QTest::newRow("scale 1") << R"({"octave_scale": 1.0})"
                                 << "octave_scale";
        QTest::newRow("negative steps") << R"({"steps": -1})"
                                        << "steps";
        QTest::newRow("step size 0") << R"({"step_size": 0})"
                                     << "step_size";
        QTest::newRow("huge size") << R"({"working_size": 1000000})"
                                   << "working_size";
        QTest::newRow("wrong type") << R"({"jitter": "lots"})"
                                    << "jitter";
        QTest::newRow("unknown key") << R"({"octavez": 3})"
                                     << "octavez";
        QTest::newRow("no layers") << R"({"layers": []})"
                                   << "layer";
        QTest::newRow("negative channel") << R"({"layers": [{"name": "mixed4", "channels": [-2]}]})"
                                          << "channel";
        QTest::newRow("other schema") << R"({"schema": "something/9"})"
                                      << "schema";
    }

    void badValuesNameTheParameter() {
        QFETCH(QString, json);
        QFETCH(QString, mentions);
        const QString e = parameterError(json::parse(json.toStdString()));
        QVERIFY2(e != "accepted" && e.contains(mentions), qPrintable(e));
    }

    void presetFile() {
        QTemporaryDir tmp;
        const QString file = tmp.filePath("preset.json");
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"layers": [{"name": "mixed3", "weight": 2}], "steps": 4})");
        f.close();
        const DreamParams p = DreamParams::fromFile(file.toStdString());
        QCOMPARE(p.steps, 4);
        QCOMPARE(p.layers[0].weight, 2.0);

        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("{ not json");
        f.close();
        try {
            DreamParams::fromFile(file.toStdString());
            QFAIL("malformed preset accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("preset.json"), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(DreamParamsTest)
#include "test_dream_params.moc"
