// VGG-19 from ONNX for the classic look: a width-reduced VGG-19 exported by torch.onnx
// (tests/conformance/make-vgg19-fixture.py, random weights) is recognised by its structure and
// gets the classic layers (relu1_1 … relu5_1, content relu4_2) and its manifest's ImageNet
// preprocessing; a style transfer on it lowers the Gram distance to the painting by a measured
// factor; the command line paints with it through --model-file.

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "core/engine/compiler.h"
#include "core/io/image_io.h"
#include "core/model/importer.h"
#include "core/model/model_install.h"
#include "core/render/style_transfer.h"
#include "core/render/vgg_style_layers.h"
#include "tests/test_support.h"

using namespace inceptionist;

namespace {

std::string vgg19File() { return test::dataPath("conformance/vgg19_narrow/model.onnx"); }

std::shared_ptr<Network> narrowVgg19() {
    ModelGraph graph = importModel(vgg19File());
    ModelManifest manifest = describeModel(vgg19File(), graph);
    return compile(std::move(graph), std::move(manifest));
}

DreamParams styleParams(const std::string& model, int size, int iterations) {
    DreamParams p = test::styleParams(size, iterations);
    p.model = model;
    return p;
}

}  // namespace

class StyleVgg19Test : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { useAllCores(); }

    // torchvision's features: convolutions at 0, 2 | 5, 7 | 10 … 16 | 19 … 25 | 28 … 34, each
    // followed by its ReLU, pooling at 4, 9, 18, 27, 36.
    void classicLayersAreChosen() {
        auto net = narrowVgg19();
        QCOMPARE(net->manifest().preprocessing, Preprocessing::Torch);
        const PreparedStyle style(*net, styleParams(net->manifest().id, 128, 2));
        const std::vector<std::string> expected = {"/1/Relu_output_0", "/6/Relu_output_0",
                                                   "/11/Relu_output_0", "/20/Relu_output_0",
                                                   "/29/Relu_output_0"};
        QCOMPARE(style.styleLayers(), expected);
        QCOMPARE(style.contentLayer(), std::string("/22/Relu_output_0"));
        // Networks that are not a VGG-19 are not taken for one.
        QVERIFY(!vgg19StyleLayers(test::defaultModel("inception_v3")->graph()));
        QVERIFY(!vgg19StyleLayers(test::defaultModel("mobilenet_v2")->graph()));
    }

    // A transfer on it moves the picture's Gram matrices towards the painting's.
    void transferLowersTheGramDistance() {
        auto net = narrowVgg19();
        const PreparedStyle style(*net, styleParams(net->manifest().id, 128, 12));
        const cv::Mat photo = test::smallPhoto(128);
        const cv::Mat result = style.run(photo);
        const StyleFigures before = style.figures(photo, photo);
        const StyleFigures after = style.figures(result, photo);
        qInfo("narrow VGG-19: style figure %.4f -> %.4f (x %.3f), content figure %.4f -> %.4f",
              before.style, after.style, after.style / before.style, before.content, after.content);
        // Measured: 217 -> 0.14 (random weights make the photo's own distance large).
        QVERIFY2(after.style < 0.01 * before.style, qPrintable(QString::number(after.style)));
        QVERIFY2(after.content < 0.5, qPrintable(QString::number(after.content)));
    }

    // inceptionist-cli style --model-file paints with the file and records its id.
    void commandLinePaintsWithTheFile() {
        QTemporaryDir dir;
        const QString out = dir.filePath("out.png");
        QProcess cli;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("INCEPTIONIST_MODELS", QString::fromStdString(test::modelsDir()));
        cli.setProcessEnvironment(env);
        cli.start(QString::fromStdString(test::cliPath()),
                  {"style", QString::fromStdString(test::dataPath("horses.jpg")), out, "--style",
                   QString::fromStdString(test::dataPath("scream.jpg")), "--model-file",
                   QString::fromStdString(vgg19File()), "--size", "96", "--iterations", "2"});
        QVERIFY(cli.waitForFinished(120000));
        QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
        const cv::Mat image = readImage(out.toStdString());
        QCOMPARE(std::max(image.cols, image.rows), 96);
        const DreamParams written =
            DreamParams::fromJson(nlohmann::json::parse(readImageMetadata(out.toStdString())));
        QCOMPARE(written.model, narrowVgg19()->manifest().id);
    }
};

QTEST_GUILESS_MAIN(StyleVgg19Test)
#include "test_style_vgg19.moc"
