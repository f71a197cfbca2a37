// Style transfer: the Gram and content losses and their gradients against plain libtorch
// autograd, tiled against untiled, seeds, blends and colour preservation by measured figures,
// the schema's style section, and a bad painting.

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgproc.hpp>

#include "core/engine/compiler.h"
#include "core/io/image_io.h"
#include "core/params/errors.h"
#include "core/render/style_colour.h"
#include "core/render/style_terms.h"
#include "core/render/style_transfer.h"
#include "tests/test_support.h"

using namespace inceptionist;

namespace {

cv::Mat painting(int longSide) {
    return resizeLongSide(readImage(test::dataPath("scream.jpg")), longSide);
}

// Saturated stripes: a second "painting" far from The Scream.
cv::Mat stripes(int w, int h) {
    cv::Mat img(h, w, CV_32FC3);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            img.at<cv::Vec3f>(y, x) =
                ((x / 6) % 2) ? cv::Vec3f(0.9f, 0.1f, 0.2f) : cv::Vec3f(0.1f, 0.3f, 0.9f);
    return img;
}

double relativeMaxError(const torch::Tensor& a, const torch::Tensor& b) {
    return ((a - b).abs().max() / b.abs().max()).item<double>();
}

// The reference: the loss written out with plain libtorch operations (matmul Gram) on the
// whole image, differentiated by autograd.
double referenceLoss(const Network& net, const torch::Tensor& image,
                     const std::vector<int>& styleNodes, const std::vector<torch::Tensor>& targets,
                     double styleWeight, int contentNode, const torch::Tensor& contentTarget,
                     double contentWeight, torch::Tensor& grad) {
    auto x = image.detach().clone().requires_grad_(true);
    auto nodes = styleNodes;
    nodes.push_back(contentNode);
    const auto& impl = net.impl();
    const auto acts = impl.forward(impl.preprocess(x), nodes);
    torch::Tensor loss = torch::zeros({}, torch::kDouble);
    for (size_t i = 0; i < styleNodes.size(); ++i) {
        auto f = acts[i].reshape({acts[i].size(1), -1});
        auto g = torch::matmul(f, f.t()) / static_cast<double>(f.size(1));
        loss = loss + styleWeight * (g - targets[i]).pow(2).sum() / targets[i].pow(2).sum();
    }
    loss = loss +
           contentWeight * (acts.back() - contentTarget).pow(2).sum() / contentTarget.pow(2).sum();
    loss.backward();
    grad = x.grad();
    return loss.item<double>();
}

DreamParams styleParams(const std::vector<StyleImage>& images, int size, int iterations) {
    DreamParams p = test::styleParams(size, iterations);
    p.style.images = images;
    return p;
}

// Mean absolute difference of the I and Q channels of YIQ (the chroma).
double chromaDifference(const cv::Mat& a, const cv::Mat& b) {
    const cv::Matx33f yiq(0.299f, 0.587f, 0.114f, 0.596f, -0.274f, -0.322f, 0.211f, -0.523f,
                          0.312f);
    cv::Mat ya, yb;
    cv::transform(a, ya, yiq);
    cv::transform(b, yb, yiq);
    const cv::Scalar d = cv::mean(cv::abs(ya - yb));
    return (d[1] + d[2]) / 2;
}

// Runs inceptionist-cli; returns its exit code (-1 when it did not finish).
int runCli(const QStringList& args, QString* err = nullptr) {
    QProcess cli;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("INCEPTIONIST_MODELS", QString::fromStdString(test::modelsDir()));
    cli.setProcessEnvironment(env);
    cli.start(QString::fromStdString(test::cliPath()), args);
    if (!cli.waitForFinished(300000)) {
        cli.kill();
        return -1;
    }
    if (err) *err = QString::fromUtf8(cli.readAllStandardError());
    return cli.exitStatus() == QProcess::NormalExit ? cli.exitCode() : -1;
}

double lumaDifference(const cv::Mat& a, const cv::Mat& b) {
    return cv::mean(cv::abs(luminanceOf(a) - luminanceOf(b)))[0];
}

}  // namespace

class StyleTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { useAllCores(); }

    // The style transfer's Gram (a oneDNN convolution) and its relative losses, evaluated by
    // the tiler's objective, give the loss and gradient libtorch's autograd gives for the same
    // loss written with matmul.
    void gramAndLossGradientsMatchAutograd() {
        auto net = test::defaultModel("inception_v3");
        const auto& g = net->graph();
        const std::vector<int> styleNodes = {g.require("activation_2"), g.require("mixed0")};
        const int contentNode = g.require("mixed0");
        const cv::Mat photo = test::smallPhoto(112);
        const auto image = imageToTensor(photo, torch::kCPU).contiguous();
        const auto paintingTensor = imageToTensor(painting(120), torch::kCPU).contiguous();
        const auto stats = gramStatistics(*net, styleNodes, paintingTensor, 4096);
        std::vector<torch::Tensor> targets;
        for (const auto& s : stats) targets.push_back(gramOf(s));
        // The Gram through oneDNN against matmul on the painting itself.
        {
            torch::NoGradGuard noGrad;
            const auto& impl = net->impl();
            const auto a = impl.forward(impl.preprocess(paintingTensor), styleNodes);
            for (size_t i = 0; i < a.size(); ++i) {
                auto f = a[i].reshape({a[i].size(1), -1});
                const double err =
                    relativeMaxError(targets[i], torch::matmul(f, f.t()) / f.size(1));
                qInfo("Gram of node %d: relative error %.2e", styleNodes[i], err);
                QVERIFY2(err <= 1e-5, qPrintable(QString::number(err)));
            }
        }
        const auto photoFeatures = [&] {
            torch::NoGradGuard noGrad;
            const auto& impl = net->impl();
            return impl.forward(impl.preprocess(image), {contentNode})[0];
        }();

        GradientRequest whole;
        whole.tileSize = 4096;
        Objective objective({}, Objective::Direction::Minimise);
        for (size_t i = 0; i < styleNodes.size(); ++i)
            objective.add(relativeGramTerm(styleNodes[i], "style", targets[i]), 10.0);
        objective.add(contentTerm(*net, contentNode, "content", image, whole), 1.0);
        auto grad = torch::empty_like(image);
        const double loss = objectiveGradient(*net, objective, image, grad, whole);

        torch::Tensor reference;
        const double referenceValue = referenceLoss(*net, image, styleNodes, targets, 10.0,
                                                    contentNode, photoFeatures, 1.0, reference);
        // The photo itself: content loss 0, style loss well above it.
        QVERIFY(referenceValue > 1.0);
        const double lossErr = std::abs(loss - referenceValue) / referenceValue;
        const double gradErr = relativeMaxError(grad, reference);
        qInfo("loss %.6g vs autograd %.6g (%.2e), gradient relative error %.2e", loss,
              referenceValue, lossErr, gradErr);
        QVERIFY2(lossErr <= 1e-5, qPrintable(QString::number(lossErr)));
        QVERIFY2(gradErr <= 1e-5, qPrintable(QString::number(gradErr)));

        // Away from the photo the content term's gradient is not zero: checked as well.
        auto moved = (image + 0.05 * torch::randn_like(image)).clamp(0, 1).contiguous();
        const double loss2 = objectiveGradient(*net, objective, moved, grad, whole);
        const double ref2 = referenceLoss(*net, moved, styleNodes, targets, 10.0, contentNode,
                                          photoFeatures, 1.0, reference);
        QVERIFY2(std::abs(loss2 - ref2) <= 1e-5 * ref2, qPrintable(QString::number(loss2)));
        const double err2 = relativeMaxError(grad, reference);
        qInfo("moved picture: gradient relative error %.2e", err2);
        QVERIFY2(err2 <= 1e-5, qPrintable(QString::number(err2)));
    }

    // Gram statistics summed over tiles and the content term compared tile by tile give the
    // untiled loss and gradient (on a network whose receptive field is one pixel).
    void tiledGramAndContentEqualUntiled() {
        auto net = test::pointwiseNetwork();
        const int node = net->graph().require("relu");
        const cv::Mat photo = test::smallPhoto(150);
        const auto image = imageToTensor(photo, torch::kCPU).contiguous();
        const auto target = gramOf(gramStatistics(
            *net, {node}, imageToTensor(stripes(64, 64), torch::kCPU).contiguous(), 4096)[0]);
        // The tiled statistic of the photo equals the untiled one.
        const auto sWhole = gramStatistics(*net, {node}, image, 4096)[0];
        const auto sTiles = gramStatistics(*net, {node}, image, 40)[0];
        QVERIFY(relativeMaxError(sTiles, sWhole) <= 1e-5);

        int tiles = 0;
        auto gradient = [&](int64_t tileSize, double& loss) {
            GradientRequest r;
            r.tileSize = tileSize;
            Objective objective({}, Objective::Direction::Minimise);
            objective.add(relativeGramTerm(node, "relu", target), 5.0);
            // The content of a shifted photo, so the content gradient is not zero.
            const auto shifted = image.roll({7, 11}, {2, 3}).contiguous();
            objective.add(contentTerm(*net, node, "relu", shifted, r), 1.0);
            auto grad = torch::empty_like(image);
            r.tileDone = [&](int, int n) { tiles = n; };
            loss = objectiveGradient(*net, objective, image, grad, r);
            return grad;
        };
        double lossWhole = 0, lossTiled = 0;
        const auto a = gradient(4096, lossWhole);
        const auto b = gradient(40, lossTiled);
        QCOMPARE(tiles, 12);  // 150×112 px in tiles of 40: 4 × 3
        const double err = relativeMaxError(b, a);
        qInfo("tiled style gradient: relative error %.2e, loss %.6g vs %.6g", err, lossTiled,
              lossWhole);
        QVERIFY2(err <= 1e-5, qPrintable(QString::number(err)));
        QVERIFY(std::abs(lossTiled - lossWhole) <= 1e-5 * lossWhole);
    }

    // The same seed gives the same pixels; another seed (from noise) another picture.
    void seedDeterminesThePicture() {
        auto net = test::defaultModel("inception_v3");
        auto p = styleParams({{test::dataPath("scream.jpg"), 1.0}}, 128, 3);
        p.style.init = "noise";
        p.seed = 5;
        const cv::Mat photo = test::smallPhoto(128);
        const cv::Mat a = styleTransfer(*net, photo, p);
        const cv::Mat b = styleTransfer(*net, photo, p);
        QCOMPARE(a.size(), photo.size());
        QCOMPARE(test::meanAbsDifference(a, b), 0.0);
        p.seed = 6;
        const cv::Mat c = styleTransfer(*net, photo, p);
        const double d = test::meanAbsDifference(a, c);
        qInfo("seed 5 vs 6: mean difference %.4f", d);
        QVERIFY2(d > 0.01, qPrintable(QString::number(d)));
    }

    // The transfer brings the picture's Gram matrices towards the painting's (the style figure
    // falls to a fraction of the photo's own) and streams progress and previews.
    void transferMovesTowardsThePainting() {
        auto net = test::defaultModel("inception_v3");
        const auto p = styleParams({{test::dataPath("scream.jpg"), 1.0}}, 160, 12);
        const PreparedStyle style(*net, p);
        const cv::Mat photo = test::smallPhoto(160);
        int progressCalls = 0, previews = 0;
        StyleCallbacks callbacks;
        callbacks.progress = [&](const StyleProgress& r) {
            ++progressCalls;
            QCOMPARE(r.iterationsTotal, 12);
        };
        callbacks.preview = [&](const cv::Mat& image, const StyleProgress&) {
            ++previews;
            QCOMPARE(std::max(image.cols, image.rows), 160);
        };
        const cv::Mat result = style.run(photo, callbacks);
        QCOMPARE(progressCalls, 12);
        QCOMPARE(previews, 12);
        const StyleFigures before = style.figures(photo, photo);
        const StyleFigures after = style.figures(result, photo);
        qInfo("style figure %.4f -> %.4f, content figure %.4f -> %.4f", before.style, after.style,
              before.content, after.content);
        QVERIFY2(after.style < 0.3 * before.style, qPrintable(QString::number(after.style)));
        QVERIFY(after.content < 0.5);
    }

    // A blend of two paintings lies between them: its distance to one painting's Gram matrices
    // is between the distances of the two single-painting results.
    void blendLiesBetweenItsStyles() {
        auto net = test::defaultModel("inception_v3");
        QTemporaryDir dir;
        const std::string striped = dir.filePath("stripes.png").toStdString();
        writeImage(striped, stripes(128, 128));
        const std::string scream = test::dataPath("scream.jpg");
        const cv::Mat photo = test::smallPhoto(128);
        auto run = [&](const std::vector<StyleImage>& images) {
            return styleTransfer(*net, photo, styleParams(images, 128, 8));
        };
        const PreparedStyle measure(*net, styleParams({{scream, 1.0}}, 128, 8));
        const double a = measure.figures(run({{scream, 1.0}}), photo).style;
        const double b = measure.figures(run({{striped, 1.0}}), photo).style;
        const double blend = measure.figures(run({{scream, 1.0}, {striped, 1.0}}), photo).style;
        qInfo("distance to The Scream's Grams: Scream %.4f, blend %.4f, stripes %.4f", a, blend, b);
        QVERIFY2(a < blend && blend < b, qPrintable(QString("%1 %2 %3").arg(a).arg(blend).arg(b)));
        // Not at either end: at least a tenth of the way from each.
        QVERIFY(blend - a > 0.1 * (b - a) && b - blend > 0.1 * (b - a));
    }

    // Luminance-only transfer keeps the photo's chroma; the plain transfer does not.
    void luminanceTransferKeepsThePhotosColours() {
        auto net = test::defaultModel("inception_v3");
        const cv::Mat photo = test::smallPhoto(128);
        auto p = styleParams({{test::dataPath("scream.jpg"), 1.0}}, 128, 8);
        const cv::Mat plain = styleTransfer(*net, photo, p);
        p.style.preserveColors = "luminance";
        const cv::Mat kept = styleTransfer(*net, photo, p);
        const double chromaPlain = chromaDifference(plain, photo);
        const double chromaKept = chromaDifference(kept, photo);
        const double luma = lumaDifference(kept, photo);
        qInfo("chroma change: plain %.4f, luminance-only %.4f; luminance change %.4f", chromaPlain,
              chromaKept, luma);
        QVERIFY2(chromaKept <= 0.005, qPrintable(QString::number(chromaKept)));
        QVERIFY(chromaPlain > 4 * chromaKept);
        QVERIFY2(luma > 0.03, qPrintable(QString::number(luma)));  // the strokes are there
    }

    // Histogram matching gives the painting the photo's mean and covariance of colours.
    void histogramMatchGivesThePhotosColourStatistics() {
        const cv::Mat photo = test::smallPhoto(160);
        const cv::Mat scream = painting(160);
        const cv::Mat matched = matchColours(scream, photo);
        cv::Mat covP, meanP, covM, meanM;
        cv::calcCovarMatrix(photo.reshape(1, static_cast<int>(photo.total())), covP, meanP,
                            cv::COVAR_NORMAL | cv::COVAR_ROWS | cv::COVAR_SCALE, CV_64F);
        cv::calcCovarMatrix(matched.reshape(1, static_cast<int>(matched.total())), covM, meanM,
                            cv::COVAR_NORMAL | cv::COVAR_ROWS | cv::COVAR_SCALE, CV_64F);
        const double meanErr = cv::norm(meanP - meanM, cv::NORM_INF);
        const double covErr = cv::norm(covP - covM, cv::NORM_INF) / cv::norm(covP, cv::NORM_INF);
        qInfo("matched colours: mean off by %.4f, covariance by %.3f of its size", meanErr, covErr);
        QVERIFY2(meanErr <= 0.02, qPrintable(QString::number(meanErr)));
        QVERIFY2(covErr <= 0.1, qPrintable(QString::number(covErr)));
    }

    void cancelStopsTheTransfer() {
        auto net = test::defaultModel("inception_v3");
        const auto p = styleParams({{test::dataPath("scream.jpg"), 1.0}}, 128, 50);
        CancelToken cancel;
        int iterations = 0;
        StyleCallbacks callbacks;
        callbacks.progress = [&](const StyleProgress&) {
            if (++iterations == 2) cancel.cancel();
        };
        try {
            styleTransfer(*net, test::smallPhoto(128), p, callbacks, cancel);
            QFAIL("not cancelled");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Cancelled);
        }
        QCOMPARE(iterations, 2);
    }

    void styleSectionRoundTripsThroughJson() {
        DreamParams p = styleParams({{"a.jpg", 1.0}, {"b.png", 0.25}}, 384, 40);
        p.style.preserveColors = "histogram";
        p.style.styleScale = 1.5;
        p.style.tvWeight = 0.1;
        const auto j = p.toJson();
        QCOMPARE(QString::fromStdString(j.at("mode").get<std::string>()), QString("style"));
        QCOMPARE(j.at("style").at("images").size(), size_t(2));
        const DreamParams back = DreamParams::fromJson(j);
        QVERIFY(back == p);
        QCOMPARE(back.style.images[1].weight, 0.25);
        // A dream's file has no style section.
        QVERIFY(!DreamParams().toJson().contains("style"));
        // Read alone, the section refuses a typing mistake, naming it.
        auto typo = j.at("style");
        typo["style_wieght"] = 3;
        try {
            StyleParams::fromJson(typo);
            QFAIL("accepted an unknown key");
        } catch (const Error& e) {
            QVERIFY(QString(e.what()).contains("style.style_wieght"));
        }
        // In a file of version 2 a style section with keys this version does not know comes
        // from a newer version: left out whole, with a warning naming it.
        auto newer = j;
        newer["style"]["brush"] = "round";
        std::vector<std::string> warnings;
        const DreamParams lenient = DreamParams::fromJson(newer, &warnings);
        QVERIFY(lenient.style.images.empty());
        QCOMPARE(warnings.size(), size_t(1));
        QVERIFY2(QString::fromStdString(warnings[0]).contains("'style' (it holds brush)"),
                 warnings[0].c_str());
        auto bad = j;
        bad["style"]["preserve_colors"] = "sepia";
        QVERIFY_THROWS_EXCEPTION(Error, DreamParams::fromJson(bad));
        QCOMPARE(parseStyleImage("x/scream.jpg:0.5").weight, 0.5);
        QCOMPARE(QString::fromStdString(parseStyleImage("x/scream.jpg").path),
                 QString("x/scream.jpg"));
    }

    // The parameters embedded in a styled image paint it again, pixel for pixel.
    void presetFromReproducesAStyledImage() {
        QTemporaryDir dir;
        const QString first = dir.filePath("first.png"), again = dir.filePath("again.png");
        const QString photo = QString::fromStdString(test::dataPath("horses.jpg"));
        const QString scream = QString::fromStdString(test::dataPath("scream.jpg"));
        QCOMPARE(runCli({"style", photo, first, "--style", scream + ":0.7", "--size", "112",
                         "--iterations", "2", "--init", "noise", "--seed", "3", "--preserve-colors",
                         "histogram"}),
                 0);
        const auto embedded = nlohmann::json::parse(readImageMetadata(first.toStdString()));
        QCOMPARE(QString::fromStdString(embedded.at("mode").get<std::string>()), QString("style"));
        QCOMPARE(embedded.at("style").at("images").at(0).at("weight").get<double>(), 0.7);
        QCOMPARE(runCli({"style", photo, again, "--preset-from", first}), 0);
        QCOMPARE(
            test::meanAbsDifference(readImage(first.toStdString()), readImage(again.toStdString())),
            0.0);
        // `dream` refuses a style transfer's parameters rather than dreaming with them.
        QCOMPARE(runCli({"dream", photo, dir.filePath("dream.png"), "--preset-from", first}), 4);
    }

    // A print's lean stages (pixels and Adam, the photo's features in half precision) give the
    // same picture in tiles as whole where tiling is exact (a network that sees one pixel).
    void leanStagesTiledEqualUntiled() {
        auto net = test::pointwiseNetwork();
        QTemporaryDir dir;
        const std::string striped = dir.filePath("stripes.png").toStdString();
        writeImage(striped, stripes(96, 96));
        auto p = styleParams({{striped, 1.0}}, 80, 6);
        p.model = "pointwise";
        p.style.styleLayers = {"relu"};
        p.style.contentLayer = "relu";
        const cv::Mat photo = test::smallPhoto(160);
        StyleMemoryPlan plan;
        plan.leanAbovePixels = 80 * 60;  // the 160 px stage runs lean
        auto paint = [&](int tileSize) {
            p.tileSize = tileSize;
            return PreparedStyle(*net, p).run(photo, {}, {}, 160, plan);
        };
        const cv::Mat whole = paint(4096), tiled = paint(64);
        // What the lean stage itself changed: against the first stage's picture enlarged.
        cv::Mat start;
        cv::resize(PreparedStyle(*net, p).run(photo), start, whole.size(), 0, 0, cv::INTER_CUBIC);
        const double difference = test::meanAbsDifference(whole, tiled);
        const double change = test::meanAbsDifference(whole, start);
        qInfo(
            "lean stage on a pointwise network, tiles of 64 px vs whole: mean difference %.2e;"
            " the stage changed the picture by %.4f",
            difference, change);
        QVERIFY2(difference <= 1e-4, qPrintable(QString::number(difference)));
        QVERIFY2(change >= 0.01, qPrintable(QString::number(change)));
    }

    // The lean stages' total variation, a band of rows at a time, gives autograd's gradient of
    // the whole picture's.
    void bandedTotalVariationMatchesAutograd() {
        torch::manual_seed(3);
        const auto image = torch::rand({1, 3, 300, 70});
        auto x = image.clone().requires_grad_(true);
        const auto value = totalVariation(x) * 0.5;
        value.backward();
        auto grad = torch::zeros_like(image);
        const double banded = addTotalVariationGradient(image, grad, 0.5);
        const double err = relativeMaxError(grad, x.grad());
        qInfo("banded total variation: value %.6g vs %.6g, gradient relative error %.2e", banded,
              value.item<double>(), err);
        QVERIFY(std::abs(banded - value.item<double>()) <= 1e-5 * value.item<double>());
        QVERIFY2(err <= 1e-5, qPrintable(QString::number(err)));
    }

    // A painting that cannot be read: an input error naming the file, from the engine and from
    // the command line, which writes nothing.
    void badStyleImageIsAClearError() {
        auto net = test::defaultModel("inception_v3");
        const std::string truncated = test::dataPath("kite-truncated.jpg");
        try {
            PreparedStyle(*net, styleParams({{truncated, 1.0}}, 128, 2));
            QFAIL("accepted a truncated painting");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Input);
            QVERIFY2(QString(e.what()).contains("kite-truncated.jpg"), e.what());
        }
        QVERIFY_THROWS_EXCEPTION(Error, PreparedStyle(*net, styleParams({}, 128, 2)));

        QTemporaryDir dir;
        const QString out = dir.filePath("out.png");
        QString err;
        QCOMPARE(runCli({"style", QString::fromStdString(test::dataPath("horses.jpg")), out,
                         "--style", QString::fromStdString(test::dataPath("shopping-list.jpg")),
                         "--size", "128", "--iterations", "2"},
                        &err),
                 2);
        QVERIFY2(err.contains("shopping-list.jpg"), qPrintable(err));
        QVERIFY(!QFile::exists(out));
    }
};

QTEST_GUILESS_MAIN(StyleTest)
#include "test_style.moc"
