// Class visualisation: the class objective raises the chosen class's pre-softmax logit, and more
// than the other classes'; classes are found by name or index; a model without a classifier
// head is a clear error; the regularisers (random zoom and rotation, blur) do what they say.
// The model is tests/data/keras/classifier.h5 (made by tests/conformance/make-keras-fixtures.py
// --classifier --seed 1): two convolutions, global pooling and a 5-class Dense head ("red",
// "green", "blue", "dark", "stripes", named by its manifest).

#include <QtTest>

#include <opencv2/imgproc.hpp>

#include "core/engine/network.h"
#include "core/io/image_io.h"
#include "core/model/class_names.h"
#include "core/model/classifier_head.h"
#include "core/params/errors.h"
#include "core/render/dreamer.h"
#include "tests/test_support.h"

using namespace inceptionist;

namespace {

const char* kLogits = "predictions/linear";

std::shared_ptr<Network> classifier() {
    static auto net = Network::load(test::dataPath("keras/classifier.h5"));
    return net;
}

std::vector<float> logitsOf(const cv::Mat& rgb) {
    return classifier()->activations(rgb, {kLogits})[0].values;
}

DreamParams classParams(const std::string& cls) {
    DreamParams p;
    p.mode = "class";
    p.classes = {{cls, 1.0}};
    p.model = "classifier";
    p.workingSize = 64;
    p.octaves = 1;
    p.steps = 30;
    p.stepSize = 0.02;
    p.jitter = 4;
    p.startFromNoise = true;
    return p;
}

// Mean absolute Laplacian: how much fine detail a picture has.
double fineDetail(const cv::Mat& rgb) {
    cv::Mat grey, lap;
    cv::cvtColor(rgb, grey, cv::COLOR_RGB2GRAY);
    cv::Laplacian(grey, lap, CV_32F);
    return cv::mean(cv::abs(lap))[0];
}

QString errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return QString(e.kind() == ErrorKind::Parameter ? "" : "wrong kind: ") + e.what();
    }
    return "no error";
}

}  // namespace

class ClassObjectiveTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void findsTheHead() {
        const ClassifierHead head = findClassifierHead(classifier()->graph());
        QCOMPARE(head.classes, 5);
        QCOMPARE(classifier()->graph().nodes()[head.logits].name, std::string(kLogits));
    }

    // The chosen class's logit rises, and by more than any other class's.
    void chosenLogitRises_data() {
        QTest::addColumn<QString>("cls");
        QTest::addColumn<int>("index");
        QTest::addColumn<bool>("others");
        QTest::newRow("stripes") << "stripes" << 4 << false;
        QTest::newRow("index 3 (dark)") << "3" << 3 << false;
        QTest::newRow("Green, minus the others") << "Green" << 1 << true;
    }
    void chosenLogitRises() {
        QFETCH(QString, cls);
        QFETCH(int, index);
        QFETCH(bool, others);
        DreamParams p = classParams(cls.toStdString());
        p.classOthers = others;
        const cv::Mat start = dreamStart(cv::Mat(), p);
        const auto before = logitsOf(start);
        const cv::Mat drawn = dream(*classifier(), start, p);
        const auto after = logitsOf(drawn);
        const double rise = after[index] - before[index];
        double otherRise = -1e9;
        for (int k = 0; k < 5; ++k)
            if (k != index) otherRise = std::max(otherRise, double(after[k] - before[k]));
        qInfo("%s: logit %.3f -> %.3f (+%.3f); largest rise of another class %+.3f",
              qPrintable(cls), before[index], after[index], rise, otherRise);
        QVERIFY2(rise > 0.5, qPrintable(QString::number(rise)));
        QVERIFY2(rise > otherRise + 0.25, qPrintable(QString::number(otherRise)));
        // The class now wins.
        QCOMPARE(int(std::max_element(after.begin(), after.end()) - after.begin()), index);
    }

    void classesByNameOrIndex() {
        const std::vector<std::string> own = {"red", "green", "blue", "dark", "stripes"};
        QCOMPARE(classIndex(own, 5, "Stripes"), 4);
        QCOMPARE(classIndex(own, 5, "4"), 4);
        const auto& imagenet = imagenetClassNames();
        QCOMPARE(imagenet.size(), size_t(1000));
        QCOMPARE(classIndex(imagenet, 1000, "Barbell"), 422);
        QCOMPARE(imagenet[543], std::string("dumbbell"));
        QCOMPARE(classIndex(imagenet, 1000, "great_white_shark"), 2);
        ModelManifest m;
        QCOMPARE(classNamesFor(m, 1000).size(), size_t(1000));  // ImageNet heads need no names
        QVERIFY(classNamesFor(m, 5).empty());
        m.classes = own;
        QCOMPARE(classNamesFor(m, 5), own);

        QString e = errorOf([&] { classIndex(imagenet, 1000, "shark"); });
        QVERIFY2(
            e.contains("'shark'") && e.contains("great white shark") && e.contains("tiger shark"),
            qPrintable(e));
        e = errorOf([&] { classIndex(own, 5, "5"); });
        QVERIFY2(e.contains("class 5") && e.contains("0 to 4"), qPrintable(e));
        e = errorOf([&] { classIndex({}, 5, "barbell"); });
        QVERIFY2(e.contains("'barbell'") && e.contains("no names"), qPrintable(e));
    }

    void modelWithoutHeadIsAClearError() {
        auto tiny = Network::load(test::dataPath("keras/tiny.h5"));
        const QString e = errorOf([&] { PreparedDream(*tiny, classParams("1")); });
        QVERIFY2(e.startsWith("tiny.h5") && e.contains("no classifier head"), qPrintable(e));
    }

    void classModeNeedsClasses() {
        DreamParams p;
        p.mode = "class";
        QVERIFY(errorOf([&] { p.validate(); }).contains("at least one class"));
        p = DreamParams();
        p.classes = {{"barbell", 1.0}};
        QVERIFY(errorOf([&] { p.validate(); }).contains("mode 'class'"));
        p.mode = "class";
        const DreamParams back = DreamParams::fromJson(p.toJson());
        QVERIFY(back == p);
        QCOMPARE(back.classes.front().name, std::string("barbell"));
    }

    // Blur after each step leaves less fine detail; zoom and rotation change the result but keep
    // it a picture of the class.
    void regularisers() {
        DreamParams p = classParams("stripes");
        p.stepSize = 0.03;
        const cv::Mat start = dreamStart(cv::Mat(), p);
        const cv::Mat plain = dream(*classifier(), start, p);
        p.blur = 1.0;
        const cv::Mat blurred = dream(*classifier(), start, p);
        const double sharp = fineDetail(plain), soft = fineDetail(blurred);
        qInfo("fine detail: %.4f without blur, %.4f with blur 1 px", sharp, soft);
        QVERIFY2(soft < 0.5 * sharp, qPrintable(QString::number(soft / sharp)));

        p.blur = 0;
        p.randomScale = 0.1;
        p.randomRotation = 10;
        const cv::Mat moved = dream(*classifier(), start, p);
        QVERIFY(test::meanAbsDifference(moved, plain) > 1e-3);
        const auto logits = logitsOf(moved);
        QCOMPARE(int(std::max_element(logits.begin(), logits.end()) - logits.begin()), 4);
        // Same seed, same picture.
        QCOMPARE(test::meanAbsDifference(dream(*classifier(), start, p), moved), 0.0);
    }

    void commandLine() {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString dir = tmp.filePath("classifier");
        QVERIFY(QDir().mkpath(dir));
        QVERIFY(QFile::copy(QString::fromStdString(test::dataPath("keras/classifier.h5")),
                            dir + "/model.h5"));
        QVERIFY(QFile::copy(QString::fromStdString(test::dataPath("keras/manifest.json")),
                            dir + "/manifest.json"));
        auto run = [&](const QStringList& extra) {
            QProcess cli;
            cli.start(QString::fromStdString(test::cliPath()),
                      QStringList{"dream", QString::fromStdString(test::dataPath("kite.jpg")),
                                  tmp.filePath("out.png"), "--model", dir, "--size", "48",
                                  "--octaves", "1", "--steps", "3"} +
                          extra);
            cli.waitForFinished(60000);
            return std::make_pair(cli.exitCode(), QString(cli.readAllStandardError()));
        };
        auto [code, err] =
            run({"--class", "stripes:2", "--class", "0", "--class-others", "--random-scale", "0.05",
                 "--random-rotation", "5", "--blur", "0.3"});
        QVERIFY2(code == 0, qPrintable(err));
        QVERIFY(QFile::exists(tmp.filePath("out.png")));
        std::tie(code, err) = run({"--class", "stripy"});
        QCOMPARE(code, 4);  // a parameter error
        QVERIFY2(err.contains("no class 'stripy'"), qPrintable(err));
        std::tie(code, err) = run({"--class", "stripes:x"});
        QCOMPARE(code, 4);
        QVERIFY2(err.contains("weight"), qPrintable(err));
    }

    // `sheet --classes`: one cell per class, each checked against the head before any dreaming.
    void sheetOfClasses() {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        auto run = [&](const std::string& model, const QString& classes) {
            QProcess cli;
            cli.start(QString::fromStdString(test::cliPath()),
                      {"sheet", QString::fromStdString(test::dataPath("kite.jpg")),
                       tmp.filePath("sheet.png"), "--model-file",
                       QString::fromStdString(test::dataPath(model)), "--classes", classes,
                       "--thumb", "48", "--octaves", "1", "--steps", "3", "--columns", "4"});
            cli.waitForFinished(60000);
            return std::make_pair(cli.exitCode(), QString(cli.readAllStandardError()));
        };
        auto [code, err] = run("keras/imagenet-classifier.h5", "barbell, 1,tree frog");
        QVERIFY2(code == 0, qPrintable(err));
        const cv::Mat sheet = readImage(tmp.filePath("sheet.png").toStdString());
        // Three 48-px cells in a row, 12 px apart and around.
        QCOMPARE(sheet.cols, 12 + 3 * (48 + 12));
        QVERIFY(QFile::remove(tmp.filePath("sheet.png")));
        std::tie(code, err) = run("keras/imagenet-classifier.h5", "barbell,stripy");
        QCOMPARE(code, 4);
        QVERIFY2(err.contains("no class 'stripy'"), qPrintable(err));
        std::tie(code, err) = run("keras/tiny.h5", "1");
        QCOMPARE(code, 4);
        QVERIFY2(err.contains("no classifier head"), qPrintable(err));
        QVERIFY(!QFile::exists(tmp.filePath("sheet.png")));
    }
};

QTEST_GUILESS_MAIN(ClassObjectiveTest)
#include "test_class_objective.moc"
