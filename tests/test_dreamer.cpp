// The dream algorithm: it excites the chosen layer, follows the octave pyramid, is exactly
// reproducible, stops within one step when cancelled, and honours channels, guides and noise.

#include <QtTest>

#include <cmath>
#include <future>
#include <thread>

#include <opencv2/imgproc.hpp>

#include "core/io/image_io.h"
#include "core/params/errors.h"
#include "core/render/dreamer.h"
#include "tests/test_support.h"

using namespace inceptionist;

class DreamerTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Fault 9: a photo bright at the top and dark at the bottom, dreamt with a low layer at the
    // default strength. The jitter's roll used to wrap the dark bottom edge onto the bright top
    // one; the network answered that false edge with a band of neon blobs along the top: the
    // top 8 rows changed 2.2 times as much as the rows below them. Rolled with mirrored edges,
    // the top is no busier than the rows under it.
    void noBandAlongTheTopEdge() {
        auto net = test::defaultModel("inception_v3");
        const int w = 256, h = 192;
        cv::Mat sky(h, w, CV_32FC3);
        cv::RNG rng(1);
        cv::Mat noise(h, w, CV_32FC3);
        rng.fill(noise, cv::RNG::NORMAL, cv::Scalar::all(0), cv::Scalar::all(0.02));
        for (int y = 0; y < h; ++y) {
            const float t = float(y) / (h - 1);
            const cv::Vec3f top(0.6f, 0.85f, 0.95f), bottom(0.12f, 0.15f, 0.1f);  // RGB
            sky.row(y).setTo(cv::Scalar(top * (1 - t) + bottom * t));
        }
        sky += noise;
        cv::GaussianBlur(sky, sky, {0, 0}, 1.0);
        cv::min(cv::max(sky, 0.0), 1.0, sky);
        DreamParams p;  // the default strength: 4 octaves × 10 steps at 0.01, jitter 32
        p.layers = {{"activation_5", 1.0, {}}};
        p.workingSize = w;
        p.octaves = 2;
        const cv::Mat result = dream(*net, sky, p);
        cv::Mat change, rows;
        cv::absdiff(result, sky, change);
        cv::reduce(change.reshape(1, h), rows, 1, cv::REDUCE_AVG);  // per row, all channels
        const double edge = cv::mean(rows.rowRange(0, 8))[0];
        const double below = cv::mean(rows.rowRange(16, 64))[0];
        qInfo("change of the top 8 rows %.4f, of rows 16-64 %.4f: %.2f times", edge, below,
              edge / below);
        QVERIFY2(edge < 1.3 * below, "a band along the top edge");
    }

    void dreamExcitesTheLayer() {
        auto net = test::defaultModel("inception_v3");
        const cv::Mat photo = test::smallPhoto(160);
        std::vector<DreamProgress> seen;
        DreamCallbacks cb;
        cb.progress = [&](const DreamProgress& p) { seen.push_back(p); };
        const cv::Mat result = dream(*net, photo, test::quickParams(), cb);
        QCOMPARE(result.size(), photo.size());
        QVERIFY2(test::meanAbsDifference(result, photo) > 0.01,
                 "the dream left the photo almost unchanged");
        // Within an octave the objective rises step by step.
        QCOMPARE(seen.size(), size_t(8));
        QVERIFY(seen[7].loss > seen[4].loss);
        QVERIFY(seen[3].loss > seen[0].loss);
    }

    void progressFollowsThePyramid() {
        auto net = test::defaultModel("inception_v3");
        DreamParams p = test::quickParams();
        p.octaves = 3;
        p.steps = 1;
        std::vector<DreamProgress> seen;
        std::vector<cv::Size> previews;
        DreamCallbacks cb;
        cb.progress = [&](const DreamProgress& d) { seen.push_back(d); };
        cb.preview = [&](const cv::Mat& img, const DreamProgress&) {
            previews.push_back(img.size());
        };
        dream(*net, test::smallPhoto(160), p, cb);
        QCOMPARE(seen.size(), size_t(3));
        QCOMPARE(previews.size(), size_t(3));
        for (size_t i = 0; i < seen.size(); ++i) {
            QCOMPARE(seen[i].octave, int(i));
            QCOMPARE(seen[i].octaves, 3);
            QCOMPARE(seen[i].stepsDone, int(i + 1));
            QCOMPARE(seen[i].stepsTotal, 3);
            QCOMPARE(previews[i], cv::Size(160, 120));  // every octave's at the full size
        }
        QVERIFY(seen[0].width < seen[1].width && seen[1].width < seen[2].width);
        QCOMPARE(seen[2].width, 160);
        QCOMPARE(std::lround(seen[1].width * 1.4), long(seen[2].width));
    }

    void sameSeedSamePixels() {
        auto net = test::defaultModel("inception_v3");
        const cv::Mat photo = test::smallPhoto(160);
        const cv::Mat a = dream(*net, photo, test::quickParams());
        const cv::Mat b = dream(*net, photo, test::quickParams());
        QCOMPARE(cv::norm(a, b, cv::NORM_INF), 0.0);
        DreamParams other = test::quickParams();
        other.seed = 99;
        QVERIFY(cv::norm(a, dream(*net, photo, other), cv::NORM_INF) > 0.0);
    }

    void cancelStopsWithinOneStep() {
        auto net = test::defaultModel("inception_v3");
        CancelToken token;
        int steps = 0;
        DreamCallbacks cb;
        cb.progress = [&](const DreamProgress& p) {
            steps = p.stepsDone;
            if (p.stepsDone == 2) token.cancel();
        };
        try {
            dream(*net, test::smallPhoto(160), test::quickParams(), cb, token);
            QFAIL("the dream ran to the end");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Cancelled);
        }
        QCOMPARE(steps, 2);
    }

    // A dream of one channel excites that channel: its mean activation rises more than in a
    // dream of another channel, and the other way round.
    void channelsChangeTheDream() {
        auto net = test::defaultModel("inception_v3");
        const cv::Mat photo = test::smallPhoto(160);
        DreamParams a = test::quickParams(), b = test::quickParams();
        a.layers[0].channels = {5};
        b.layers[0].channels = {300};
        const cv::Mat dreamA = dream(*net, photo, a), dreamB = dream(*net, photo, b);
        const auto before = net->channelMeans(dreamStart(photo, a), "mixed3");
        const auto afterA = net->channelMeans(dreamA, "mixed3");
        const auto afterB = net->channelMeans(dreamB, "mixed3");
        const double gain5InA = afterA[5] - before[5], gain5InB = afterB[5] - before[5];
        const double gain300InA = afterA[300] - before[300], gain300InB = afterB[300] - before[300];
        qInfo(
            "channel 5 rises %.3f in its own dream, %.3f in channel 300's; channel 300 rises "
            "%.3f in its own, %.3f in channel 5's",
            gain5InA, gain5InB, gain300InB, gain300InA);
        QVERIFY(gain5InA > 0 && gain300InB > 0);
        QVERIFY(gain5InA > 2 * std::max(gain5InB, 0.0));
        QVERIFY(gain300InB > 2 * std::max(gain300InA, 0.0));

        DreamParams bad = test::quickParams();
        bad.layers[0].channels = {768};  // mixed3 has 768: indices 0..767
        try {
            dream(*net, photo, bad);
            QFAIL("a channel past the end was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Parameter);
            QVERIFY2(QString(e.what()).contains("mixed3") && QString(e.what()).contains("768"),
                     e.what());
        }
    }

    void guideImageSteersTheDream() {
        auto net = test::defaultModel("inception_v3");
        QTemporaryDir tmp;
        const std::string guide = tmp.filePath("guide.png").toStdString();
        cv::Mat stripes(120, 120, CV_32FC3);
        for (int y = 0; y < stripes.rows; ++y)
            stripes.row(y).setTo((y / 6) % 2 ? cv::Scalar(0.9, 0.2, 0.1)
                                             : cv::Scalar(0.1, 0.3, 0.9));
        writeImage(guide, stripes);
        const cv::Mat photo = test::smallPhoto(160);
        DreamParams guided = test::quickParams();
        guided.guideImage = guide;
        // A guided dream makes each place of the photo look like some place of the guide: the
        // mean, over the dream's positions at mixed3, of the best cosine match among the
        // guide's positions is higher than for an unguided dream of the same strength.
        cv::Mat guideAtNetworkSize;
        cv::resize(stripes, guideAtNetworkSize, cv::Size(299, 299), 0, 0, cv::INTER_AREA);
        const FloatTensor g = net->activations(guideAtNetworkSize, {"mixed3"})[0];
        auto matchScore = [&](const cv::Mat& img) {
            const FloatTensor f = net->activations(img, {"mixed3"})[0];
            const int64_t c = f.shape.back();
            const size_t n = f.values.size() / size_t(c), m = g.values.size() / size_t(c);
            auto norm = [c](const float* v) {
                double s = 0;
                for (int64_t k = 0; k < c; ++k) s += double(v[k]) * v[k];
                return std::sqrt(s) + 1e-12;
            };
            double total = 0;
            for (size_t i = 0; i < n; ++i) {
                const float* fi = &f.values[i * size_t(c)];
                const double ni = norm(fi);
                double best = -1;
                for (size_t j = 0; j < m; ++j) {
                    const float* gj = &g.values[j * size_t(c)];
                    double dot = 0;
                    for (int64_t k = 0; k < c; ++k) dot += double(fi[k]) * gj[k];
                    best = std::max(best, dot / (ni * norm(gj)));
                }
                total += best;
            }
            return total / double(n);
        };
        const double start = matchScore(dreamStart(photo, guided));
        const double plain = matchScore(dream(*net, photo, test::quickParams()));
        const double steered = matchScore(dream(*net, photo, guided));
        qInfo(
            "best cosine match with the guide at mixed3: photo %.3f, unguided dream %.3f, "
            "guided %.3f",
            start, plain, steered);
        // Dreaming pulls every place towards the layer's own patterns (the unguided dream loses
        // 0.05 of match); the guide holds most of it (measured: 0.60, 0.56, 0.59).
        QVERIFY(steered > plain + 0.015);
        guided.guideImage = tmp.filePath("missing.png").toStdString();
        QVERIFY_THROWS_EXCEPTION(Error, dream(*net, photo, guided));
    }

    void noiseStartKeepsTheShape() {
        auto net = test::defaultModel("inception_v3");
        DreamParams p = test::quickParams();
        p.startFromNoise = true;
        const cv::Mat photo = test::smallPhoto(160);  // 160 x 120
        const cv::Mat a = dream(*net, photo, p);
        QCOMPARE(a.size(), photo.size());
        QVERIFY(test::meanAbsDifference(a, dreamStart(photo, p)) > 0.01);
        const cv::Mat square = dream(*net, cv::Mat(), p);
        QCOMPARE(square.size(), cv::Size(160, 160));
    }

    void smallOctavesAreSkipped() {
        auto net = test::defaultModel("inception_v3");
        DreamParams p = test::quickParams();
        p.layers = {{"mixed5", 1.0, {}}};
        p.octaves = 6;
        p.steps = 1;
        p.workingSize = 120;  // mixed5 needs about 75 px: the smaller octaves cannot run
        int octaves = 0;
        DreamCallbacks cb;
        cb.progress = [&](const DreamProgress& d) { octaves = d.octaves; };
        const cv::Mat photo = test::smallPhoto(160);
        dream(*net, photo, p, cb);
        // Exactly the octaves whose short side reaches the layers' minimum run.
        const int minimum = PreparedDream(*net, p).minimumSize();
        const cv::Mat start = dreamStart(photo, p);
        int expected = 0;
        for (int o = 0; o < p.octaves; ++o) {
            const double f = std::pow(p.octaveScale, -o);
            if (std::lround(std::min(start.cols, start.rows) * f) >= minimum) ++expected;
        }
        QVERIFY2(expected >= 1 && expected < p.octaves, "the test's sizes no longer skip octaves");
        QCOMPARE(octaves, expected);

        p.workingSize = 40;
        try {
            dream(*net, photo, p);
            QFAIL("a 40 px dream ran to mixed5");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Parameter);
            QVERIFY2(QString(e.what()).contains("at least"), e.what());
        }
    }

    void unknownLayerIsAParameterError() {
        auto net = test::defaultModel("inception_v3");
        DreamParams p = test::quickParams();
        p.layers = {{"mixed42", 1.0, {}}};
        try {
            dream(*net, test::smallPhoto(160), p);
            QFAIL("unknown layer accepted");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Parameter);
            QVERIFY2(QString(e.what()).contains("mixed42"), e.what());
        }
    }

    // A network runs on one thread at a time: a second thread that tries while a dream runs is
    // refused at once (the dream goes on and finishes), and may use it once the dream is done.
    void networkRefusesASecondThread() {
        auto net = test::defaultModel("inception_v3");
        DreamParams p;
        p.layers = {{"mixed2", 1.0, {}}};
        p.octaves = 1;
        p.steps = 2;
        p.workingSize = 128;
        const cv::Mat photo = test::smallPhoto(128);
        std::string refusal;
        DreamCallbacks callbacks;
        callbacks.progress = [&](const DreamProgress& r) {
            if (r.stepsDone != 1) return;
            // Mid-dream, another thread asks for activations.
            std::async(std::launch::async, [&] {
                try {
                    net->activations(photo, {"mixed2"});
                } catch (const std::logic_error& e) {
                    refusal = e.what();
                }
            }).wait();
        };
        const cv::Mat result = dream(*net, photo, p, callbacks);
        QVERIFY2(refusal.find("another thread") != std::string::npos, refusal.c_str());
        QCOMPARE(result.size(), photo.size());
        // Free again: another thread may use it now.
        auto later =
            std::async(std::launch::async, [&] { return net->activations(photo, {"mixed2"}); });
        QCOMPARE(later.get().size(), size_t(1));
    }
};

QTEST_GUILESS_MAIN(DreamerTest)
#include "test_dreamer.moc"
