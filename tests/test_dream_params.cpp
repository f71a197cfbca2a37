// The parameter schema: JSON round trips, and bad values are refused with the parameter's name.
// Version 1 files read unchanged, newer ones load with a warning naming what was left out, and
// the parameter table decides what is refused.

#include <QtTest>

#include <QTemporaryDir>

#include "core/params/dream_params.h"
#include "core/params/errors.h"
#include "core/params/param_table.h"
#include "tests/test_support.h"

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

// A file as version 1 wrote it: every key, no mode.
const char* kVersion1 = R"({"schema": "inceptionist.dream/1", "model": "mobilenet_v2",
    "layers": [{"name": "block_8_add", "weight": 0.5, "channels": [3, 9]},
               {"name": "block_5_add", "weight": 2.0}],
    "octaves": 12, "octave_scale": 1.3, "steps": 7, "step_size": 0.02, "jitter": 8,
    "seed": 123456789012345, "working_size": 800, "start_from_noise": true,
    "guide_image": "/tmp/guide.png", "device": "cpu", "tile_size": 256})";

// The folder of the built-in presets, beside the sample photo.
QString presetFolder() {
    return QFileInfo(QString::fromStdString(test::sampleImage())).absolutePath() + "/presets";
}

// A value just outside [min, max] on one side.
double outside(const ParamSpec& spec, bool below) {
    const ParamRange r = *spec.range;
    if (spec.isInteger()) return below ? r.min - 1 : r.max + 1;
    return below ? r.min - std::max(1e-9, r.min * 1e-3) : r.max * 1.001 + 1e-9;
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
        QTest::newRow("channel beyond int")  // once undefined behaviour (found by fuzz_params)
            << R"({"layers": [{"name": "mixed4", "channels": [1e80]}]})"
            << "channel";
        QTest::newRow("steps beyond int")  // once undefined behaviour (found by fuzz_params)
            << R"({"steps": 444444444444444444444444444444444444444448814})"
            << "steps";
        QTest::newRow("fractional steps") << R"({"steps": 2.5})"
                                          << "steps";
        QTest::newRow("steps wrapping to 5") << R"({"steps": 4294967301})"
                                             << "steps";
        QTest::newRow("negative seed") << R"({"seed": -1})"
                                       << "seed";
        QTest::newRow("other schema") << R"({"schema": "something/9"})"
                                      << "schema";
    }

    void badValuesNameTheParameter() {
        QFETCH(QString, json);
        QFETCH(QString, mentions);
        const QString e = parameterError(json::parse(json.toStdString()));
        QVERIFY2(e != "accepted" && e.contains(mentions), qPrintable(e));
    }

    void version1ReadsUnchangedAndWritesVersion2() {
        std::vector<std::string> warnings;
        const DreamParams p = DreamParams::fromJson(json::parse(kVersion1), &warnings);
        QVERIFY(warnings.empty());
        DreamParams expected;
        expected.model = "mobilenet_v2";
        expected.layers = {{"block_8_add", 0.5, {3, 9}}, {"block_5_add", 2.0, {}}};
        expected.octaves = 12;
        expected.octaveScale = 1.3;
        expected.steps = 7;
        expected.stepSize = 0.02;
        expected.jitter = 8;
        expected.seed = 123456789012345ull;
        expected.workingSize = 800;
        expected.startFromNoise = true;
        expected.guideImage = "/tmp/guide.png";
        expected.tileSize = 256;
        QVERIFY(p == expected);
        QCOMPARE(QString::fromStdString(p.mode), QString("dream"));

        const json written = p.toJson();
        QCOMPARE(written["schema"].get<std::string>(), std::string("inceptionist.dream/2"));
        QCOMPARE(written["mode"].get<std::string>(), std::string("dream"));
        // Every key of the old file is written as it was read.
        const json old = json::parse(kVersion1);
        for (const auto& [key, value] : old.items())
            if (key != "schema") QVERIFY2(written[key] == value, key.c_str());
        QVERIFY(DreamParams::fromJson(written, &warnings) == p);
        QVERIFY(warnings.empty());
    }

    void builtInPresetsReadAsBefore() {
        const QStringList files = QDir(presetFolder()).entryList({"*.json"}, QDir::Files);
        QVERIFY(files.size() >= 5);
        for (const QString& name : files) {
            QFile f(presetFolder() + "/" + name);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const json params = json::parse(f.readAll().toStdString())["params"];
            std::vector<std::string> warnings;
            const json back = DreamParams::fromJson(params, &warnings).toJson();
            QVERIFY2(warnings.empty(), qPrintable(name));
            for (const auto& [key, value] : params.items())
                QVERIFY2(back[key] == value, qPrintable(name + ": " + QString::fromStdString(key)));
        }
    }

    // The command line's --preset reads the presets the window saves and ships (name,
    // description and the parameters under "params"), the same as a bare parameter file.
    void presetFilesReadAsParameterFiles() {
        const QStringList files = QDir(presetFolder()).entryList({"*.json"}, QDir::Files);
        for (const QString& name : files) {
            const std::string file = (presetFolder() + "/" + name).toStdString();
            QFile f(QString::fromStdString(file));
            QVERIFY(f.open(QIODevice::ReadOnly));
            const json params = json::parse(f.readAll().toStdString())["params"];
            QVERIFY2(DreamParams::fromFile(file) == DreamParams::fromJson(params),
                     qPrintable(name));
        }
        QTemporaryDir tmp;
        QFile bad(tmp.filePath("typo.json"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write(R"({"name": "x", "parms": {}, "params": {"steps": 3}})");
        bad.close();
        try {
            DreamParams::fromFile(bad.fileName().toStdString());
            QFAIL("a preset with an unknown key was read");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("typo.json") && QString(e.what()).contains("parms"),
                     e.what());
        }
    }

    void newerVersionLoadsAndWarnsNamingUnknownKeys() {
        const json newer = json::parse(R"({"schema": "inceptionist.dream/3", "mode": "dream",
            "steps": 5, "palette": "warm", "style": {"image": "starry.jpg"}})");
        std::vector<std::string> warnings;
        const DreamParams p = DreamParams::fromJson(newer, &warnings);
        QCOMPARE(p.steps, 5);
        QCOMPARE(p.octaves, DreamParams().octaves);
        QString all;
        for (const auto& w : warnings) all += QString::fromStdString(w) + "\n";
        QVERIFY2(all.contains("'palette'") && all.contains("'style'"), qPrintable(all));
        QVERIFY2(all.contains("inceptionist.dream/3"), qPrintable(all));

        // The same program's version with a key it does not know: a newer build wrote it.
        warnings.clear();
        DreamParams::fromJson(json{{"schema", "inceptionist.dream/2"}, {"glow", 1}}, &warnings);
        QCOMPARE(warnings.size(), size_t(1));
        QVERIFY(QString::fromStdString(warnings[0]).contains("'glow'"));

        // From a file, the warning names the file.
        QTemporaryDir tmp;
        QFile f(tmp.filePath("newer.json"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(newer.dump().c_str());
        f.close();
        warnings.clear();
        QCOMPARE(DreamParams::fromFile(f.fileName().toStdString(), &warnings).steps, 5);
        QVERIFY(!warnings.empty());
        QVERIFY(QString::fromStdString(warnings.back()).contains("newer.json"));
    }

    void newerVersionStillRefusesBadValues_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("wrong type") << R"({"schema": "inceptionist.dream/3", "steps": "many"})"
                                    << "steps";
        QTest::newRow("out of range") << R"({"schema": "inceptionist.dream/3", "octaves": 99})"
                                      << "octaves";
        QTest::newRow("unknown mode") << R"({"schema": "inceptionist.dream/3", "mode": "sculpt"})"
                                      << "mode";
        QTest::newRow("other family") << R"({"schema": "inceptionist.print/2"})"
                                      << "schema";
        QTest::newRow("no number") << R"({"schema": "inceptionist.dream/two"})"
                                   << "schema";
    }

    void newerVersionStillRefusesBadValues() {
        QFETCH(QString, json);
        QFETCH(QString, mentions);
        const QString e = parameterError(json::parse(json.toStdString()));
        QVERIFY2(e != "accepted" && e.contains(mentions), qPrintable(e));
    }

    void tableDrivesValidation() {
        int ranged = 0;
        for (const ParamSpec& spec : paramTable()) {
            if (!spec.range) continue;
            ++ranged;
            for (const bool below : {true, false}) {
                DreamParams p;
                setNumericValue(p, spec, outside(spec, below));
                const QString e = parameterError(p.toJson());
                QVERIFY2(e != "accepted" && e.contains(spec.key),
                         qPrintable(QString(spec.key) + ": " + e));
            }
            for (const double edge : {spec.range->min, spec.range->max}) {
                DreamParams p;
                setNumericValue(p, spec, edge);
                QCOMPARE(parameterError(p.toJson()), QString("accepted"));
            }
        }
        QVERIFY(ranged >= 7);  // octaves, octave_scale, steps, step_size, jitter, sizes
        for (const ParamSpec& spec : paramTable()) {
            if (!spec.required) continue;
            json j = DreamParams().toJson();
            j[spec.key] = "";
            const QString e = parameterError(j);
            QVERIFY2(e != "accepted" && e.contains(spec.key), qPrintable(e));
        }
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
