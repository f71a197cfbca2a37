// The objective and step-rule seams: an objective written outside the engine drives a dream with
// nothing else changed; a global objective (a Gram matrix over the whole image) tiled gives the
// untiled gradient; libtorch's optimisers descend a style loss.

#include <QtTest>

#include "core/engine/compiler.h"
#include "core/params/errors.h"
#include "core/render/dreamer.h"
#include "core/render/objective.h"
#include "core/render/step_rule.h"
#include "tests/test_support.h"

using namespace inceptionist;

namespace {

// A toy term from outside the engine: the mean of the network's input, so climbing it brightens
// the picture.
class Brightness : public AdditiveTerm {
public:
    explicit Brightness(int inputNode) : input_(inputNode) {}
    std::vector<int> nodes() const override { return {input_}; }
    torch::Tensor tileLoss(const std::vector<torch::Tensor>& acts, const TileInfo&) const override {
        return acts[0].mean();
    }
    std::string describe() const override { return "brightness"; }

private:
    int input_;
};

double meanOf(const cv::Mat& img) {
    const cv::Scalar m = cv::mean(img);
    return (m[0] + m[1] + m[2]) / 3;
}

// A picture unlike the photo, for a style to match: stripes of saturated colour.
cv::Mat stripes(int w, int h) {
    cv::Mat img(h, w, CV_32FC3);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            img.at<cv::Vec3f>(y, x) =
                ((x / 8) % 2) ? cv::Vec3f(0.9f, 0.1f, 0.2f) : cv::Vec3f(0.1f, 0.3f, 0.9f);
    return img;
}

}  // namespace

class ObjectivesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { useAllCores(); }

    void toyObjectiveThroughTheSeamAlone() {
        auto net = test::defaultModel("inception_v3");
        Objective brighter;
        brighter.add(std::make_shared<Brightness>(net->graph().inputNode()));
        DreamParams p;
        p.octaves = 1;
        p.steps = 5;
        p.workingSize = 128;
        const cv::Mat photo = test::smallPhoto(128);
        PreparedDream dream(*net, p, std::make_shared<Objective>(brighter));
        std::vector<double> losses;
        DreamCallbacks callbacks;
        callbacks.progress = [&](const DreamProgress& r) { losses.push_back(r.loss); };
        const cv::Mat result = dream.run(photo, callbacks);
        QCOMPARE(result.size(), photo.size());
        // Five steps of 0.01 in the normalised gradient's direction: about 0.05 brighter.
        QVERIFY2(meanOf(result) > meanOf(photo) + 0.03,
                 qPrintable(QString("%1 -> %2").arg(meanOf(photo)).arg(meanOf(result))));
        QCOMPARE(losses.size(), size_t(5));
        QVERIFY(losses.back() > losses.front());
    }

    // The Gram matrix of the network's input: tiles cut nothing out of a receptive field, so the
    // only difference tiling can make is in how the statistic is combined.
    void tiledGlobalObjectiveEqualsUntiled() {
        auto net = test::defaultModel("inception_v3");
        const std::string input = net->graph().nodes()[net->graph().inputNode()].name;
        Objective style(
            std::vector<WeightedTerm>{{gramMatchTerm(*net, input, stripes(96, 96)), 2.0}},
            Objective::Direction::Minimise);
        style.prepare(*net, {});
        cv::Mat photo = test::smallPhoto(200);
        auto image = imageToTensor(photo, torch::kCPU);
        GradientRequest untiled, tiled;
        untiled.tileSize = 1000;
        tiled.tileSize = 64;
        untiled.rollY = tiled.rollY = 17;
        untiled.rollX = tiled.rollX = -23;
        int tilesSeen = 0;
        tiled.tileDone = [&](int done, int total) { tilesSeen = total; };
        auto a = torch::empty_like(image), b = torch::empty_like(image);
        const double lossA = objectiveGradient(*net, style, image, a, untiled);
        const double lossB = objectiveGradient(*net, style, image, b, tiled);
        QVERIFY(tilesSeen > 4);
        const double scale = a.abs().max().item<double>();
        QVERIFY(scale > 0);
        const double err = (a - b).abs().max().item<double>() / scale;
        qInfo("tiled Gram gradient: relative error %.2e over %d tiles", err, tilesSeen);
        QVERIFY2(err <= 1e-5, qPrintable(QString::number(err)));
        QVERIFY(std::abs(lossA - lossB) <= 1e-5 * std::abs(lossA));
    }

    // The same through a layer: the gradient flows back through a convolution and a ReLU.
    void tiledGlobalObjectiveEqualsUntiledThroughALayer() {
        auto net = test::pointwiseNetwork();
        Objective style(
            std::vector<WeightedTerm>{{gramMatchTerm(*net, "relu", stripes(64, 64)), 1.0}},
            Objective::Direction::Minimise);
        style.prepare(*net, {});
        const cv::Mat photo = test::smallPhoto(150);
        auto image = imageToTensor(photo, torch::kCPU);
        GradientRequest untiled, tiled;
        untiled.tileSize = 1000;
        tiled.tileSize = 40;
        untiled.rollY = tiled.rollY = -9;
        untiled.rollX = tiled.rollX = 31;
        auto a = torch::empty_like(image), b = torch::empty_like(image);
        objectiveGradient(*net, style, image, a, untiled);
        objectiveGradient(*net, style, image, b, tiled);
        const double scale = a.abs().max().item<double>();
        QVERIFY(scale > 0);
        const double err = (a - b).abs().max().item<double>() / scale;
        qInfo("tiled Gram gradient through a layer: relative error %.2e", err);
        QVERIFY2(err <= 1e-5, qPrintable(QString::number(err)));
    }

    void optimisersDescendAStyleLoss_data() {
        QTest::addColumn<QString>("rule");
        QTest::newRow("adam") << "adam";
        QTest::newRow("lbfgs") << "lbfgs";
    }

    void optimisersDescendAStyleLoss() {
        QFETCH(QString, rule);
        auto net = test::defaultModel("inception_v3");
        Objective style(
            std::vector<WeightedTerm>{{gramMatchTerm(*net, "mixed0", stripes(128, 128)), 1.0}},
            Objective::Direction::Minimise);
        DreamParams p;
        p.octaves = 1;
        p.steps = 6;
        p.jitter = 0;
        p.workingSize = 128;
        PreparedDream dream(*net, p, std::make_shared<Objective>(style));
        if (rule == "adam")
            dream.setStepRule([] { return adamStep(0.02); });
        else
            dream.setStepRule([] { return lbfgsStep(1.0, 5); });
        std::vector<double> losses;
        DreamCallbacks callbacks;
        callbacks.progress = [&](const DreamProgress& r) { losses.push_back(r.loss); };
        const cv::Mat result = dream.run(test::smallPhoto(128), callbacks);
        QCOMPARE(losses.size(), size_t(6));
        qInfo("%s: style loss %.4g -> %.4g", qPrintable(rule), losses.front(), losses.back());
        QVERIFY2(losses.back() < 0.5 * losses.front(),
                 qPrintable(QString("%1 -> %2").arg(losses.front()).arg(losses.back())));
        double lo = 0, hi = 0;
        cv::minMaxLoc(result.reshape(1), &lo, &hi);
        QVERIFY(lo >= 0 && hi <= 1);  // the pixels stay in range
    }

    void preparedDreamIsReusedAndCancellable() {
        auto net = test::defaultModel("inception_v3");
        DreamParams p;
        p.layers = {{"mixed3", 1.0, {}}};
        p.octaves = 1;
        p.steps = 2;
        p.workingSize = 128;
        PreparedDream prepared(*net, p);
        const cv::Mat photo = test::smallPhoto(128);
        // Two runs of one preparation give what two separate dreams give.
        const cv::Mat a = prepared.run(photo);
        const cv::Mat b = prepared.run(photo);
        QCOMPARE(test::meanAbsDifference(a, dream(*net, photo, p)), 0.0);
        QCOMPARE(test::meanAbsDifference(a, b), 0.0);
        QVERIFY(test::meanAbsDifference(a, photo) > 1e-3);
        CancelToken cancel;
        cancel.cancel();
        try {
            prepared.run(photo, {}, cancel);
            QFAIL("a cancelled dream ran");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Cancelled);
        }
    }
};

QTEST_GUILESS_MAIN(ObjectivesTest)
#include "test_objectives.moc"
