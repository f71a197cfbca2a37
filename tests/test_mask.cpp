// Blend and mask in the engine: the blend mixes the dream with the photo it started from, the
// mask weights each step's gradient (the dream grows where it is white, as strongly as without
// a mask, and leaves the photo where it is black), its feathered edge ramps, it travels in the
// parameters' JSON as an embedded PNG, and a print keeps it.

#include <QtTest>

#include <cmath>

#include <QProcess>
#include <QTemporaryDir>

#include <opencv2/imgcodecs.hpp>

#include <opencv2/imgproc.hpp>

#include "core/io/image_io.h"
#include "core/params/dream_mask.h"
#include "core/params/errors.h"
#include "core/render/dreamer.h"
#include "core/render/print_plan.h"
#include "tests/test_support.h"

using namespace inceptionist;

namespace {

// White over the left half of a w×h picture (the dream grows there), black over the right.
cv::Mat leftHalf(int w, int h) {
    cv::Mat m(h, w, CV_8UC1, cv::Scalar(0));
    m.colRange(0, w / 2).setTo(255);
    return m;
}

// Mean absolute change, per pixel and channel, over columns [x0, x1).
double changeIn(const cv::Mat& a, const cv::Mat& b, int x0, int x1) {
    return test::meanAbsDifference(a.colRange(x0, x1), b.colRange(x0, x1));
}

double maxChangeIn(const cv::Mat& a, const cv::Mat& b, int x0, int x1) {
    cv::Mat d;
    cv::absdiff(a.colRange(x0, x1), b.colRange(x0, x1), d);
    double most = 0;
    cv::minMaxLoc(d.reshape(1), nullptr, &most);
    return most;
}

}  // namespace

class MaskTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void blendMixesTheDreamWithThePhoto() {
        auto net = test::defaultModel("inception_v3");
        const cv::Mat photo = test::smallPhoto(160);
        DreamParams p = test::quickParams();
        const cv::Mat full = dream(*net, photo, p);
        p.blend = 0.4;
        const cv::Mat mixed = dream(*net, photo, p);
        cv::Mat expected;
        cv::addWeighted(full, 0.4, photo, 0.6, 0.0, expected);
        QVERIFY2(maxChangeIn(mixed, expected, 0, photo.cols) < 1e-5, "not 0.4 dream + 0.6 photo");
        const double ratio =
            test::meanAbsDifference(mixed, photo) / test::meanAbsDifference(full, photo);
        QVERIFY2(std::abs(ratio - 0.4) < 1e-3, qPrintable(QString::number(ratio)));
        p.blend = 0.0;
        QVERIFY(maxChangeIn(dream(*net, photo, p), photo, 0, photo.cols) < 1e-6);
    }

    void blendOutOfRangeIsRefused() {
        DreamParams p;
        p.blend = 1.5;
        try {
            p.validate();
            QFAIL("a blend of 1.5 was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Parameter);
            QVERIFY2(std::string(e.what()).find("blend is 1.5") != std::string::npos, e.what());
        }
    }

    void maskedDreamLeavesTheRightHalfAlone() {
        auto net = test::defaultModel("inception_v3");
        const cv::Mat photo = test::smallPhoto(160);
        const int w = photo.cols, h = photo.rows, mid = w / 2;
        DreamParams p = test::quickParams();
        const cv::Mat unmasked = dream(*net, photo, p);
        p.mask = encodeMask(leftHalf(w, h));
        p.maskFeather = 0;
        const cv::Mat masked = dream(*net, photo, p);
        // Away from the edge (a few pixels, where the octaves' resampling reaches), the right
        // half is the photo and the left half changes as much as the dream without a mask.
        const double right = changeIn(masked, photo, mid + 4, w);
        const double rightMost = maxChangeIn(masked, photo, mid + 4, w);
        const double left = changeIn(masked, photo, 0, mid - 4);
        const double leftUnmasked = changeIn(unmasked, photo, 0, mid - 4);
        qInfo("right half: mean %.5f, largest %.5f; left half %.4f (unmasked %.4f)", right,
              rightMost, left, leftUnmasked);
        QVERIFY2(right < 1e-3, "the dream grew where the mask is black");
        QVERIFY2(rightMost < 0.02, "a pixel where the mask is black changed visibly");
        QVERIFY2(left > 0.75 * leftUnmasked && left < 1.25 * leftUnmasked,
                 "the left half changed much more or less than without a mask");
    }

    // While the dream grows, the canvas shows each octave's detail over the sharp photo: in the
    // first (smaller) octave's preview, the half the mask keeps is the photo itself, not the
    // photo enlarged from the octave's size (blurred, as if the mask were ignored).
    void earlyPreviewKeepsTheMaskedOutPartSharp() {
        auto net = test::defaultModel("inception_v3");
        const cv::Mat photo = test::smallPhoto(160);
        const int w = photo.cols, h = photo.rows, mid = w / 2;
        DreamParams p = test::quickParams();
        p.mask = encodeMask(leftHalf(w, h));
        p.maskFeather = 0;
        std::vector<cv::Mat> previews;
        DreamCallbacks cb;
        cb.preview = [&](const cv::Mat& image, const DreamProgress&) {
            previews.push_back(image.clone());
        };
        dream(*net, photo, p, cb);
        QCOMPARE(previews.size(), size_t(p.octaves * p.steps));
        const cv::Mat& first = previews.front();
        QCOMPARE(first.size(), photo.size());
        const double rightMost = maxChangeIn(first, photo, mid + 8, w);
        const double left = changeIn(first, photo, 0, mid - 8);
        // The photo enlarged from the first octave's size, for scale: what the preview was.
        cv::Mat small, enlarged;
        cv::resize(photo, small, {}, 1 / p.octaveScale, 1 / p.octaveScale, cv::INTER_AREA);
        cv::resize(small, enlarged, photo.size(), 0, 0, cv::INTER_LINEAR);
        const double blurred = changeIn(enlarged, photo, mid + 8, w);
        qInfo(
            "first preview: right half largest change %.5f (enlarged photo: mean %.4f); "
            "left half %.4f",
            rightMost, blurred, left);
        QVERIFY2(rightMost < 1e-3, "the half the mask keeps is not the photo in the preview");
        QVERIFY2(blurred > 0.005, "the enlarged photo is not blurred enough to tell them apart");
        QVERIFY2(left > 0.005, "the first preview shows no dream where the mask is white");
    }

    void featheredEdgeRamps() {
        auto net = test::defaultModel("inception_v3");
        const cv::Mat photo = test::smallPhoto(160);
        const int w = photo.cols, h = photo.rows, mid = w / 2;
        DreamParams p = test::quickParams();
        p.mask = encodeMask(leftHalf(w, h));
        p.maskFeather = 10;  // a radius of 16 px
        const cv::Mat dreamt = dream(*net, photo, p);
        // Mean change in 4-column bands from well inside the mask to well outside.
        std::vector<double> bands;
        for (int x = mid - 24; x < mid + 24; x += 8)
            bands.push_back(changeIn(dreamt, photo, x, x + 4));
        QString profile;
        for (double b : bands) profile += QString::number(b, 'f', 4) + ' ';
        qInfo("change across the edge: %s", qPrintable(profile));
        const double inside = changeIn(dreamt, photo, 0, mid - 24);
        const double atEdge = changeIn(dreamt, photo, mid - 2, mid + 2);
        QVERIFY2(atEdge > 0.2 * inside && atEdge < 0.8 * inside, "no ramp at the edge");
        QVERIFY2(bands.front() > bands.back() * 3, "the far side changed as much as the near");
        for (size_t i = 1; i < bands.size(); ++i)
            QVERIFY2(bands[i] < bands[i - 1] * 1.15, qPrintable("not falling: " + profile));
        QVERIFY(changeIn(dreamt, photo, mid + 24, w) < 0.1 * inside);
    }

    void maskTravelsInTheJson() {
        cv::Mat big = leftHalf(1200, 800);
        DreamParams p;
        p.mask = encodeMask(big);
        p.maskFeather = 3.5;
        p.blend = 0.7;
        const nlohmann::json j = p.toJson();
        QVERIFY(j.at("mask").get<std::string>().rfind("data:image/png;base64,", 0) == 0);
        QVERIFY2(j.at("mask").get<std::string>().size() < 4000, "a half mask should be small");
        const DreamParams back = DreamParams::fromJson(j);
        QVERIFY(back == p);
        const cv::Mat m = decodeMask(back.mask);
        QCOMPARE(m.size(), cv::Size(512, 341));  // stored at kMaskStoredLongSide
        QCOMPARE(m.at<float>(100, 10), 1.0f);
        QCOMPARE(m.at<float>(100, 500), 0.0f);
        // Without a mask and blend the file is as before.
        const nlohmann::json plain = DreamParams().toJson();
        QVERIFY(!plain.contains("mask") && !plain.contains("blend") &&
                !plain.contains("mask_feather"));
    }

    void malformedMaskIsRefused() {
        nlohmann::json j = DreamParams().toJson();
        j["mask"] = "data:image/png;base64,bm90IGEgcG5n";  // "not a png"
        try {
            DreamParams::fromJson(j);
            QFAIL("a malformed mask was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Parameter);
            QVERIFY2(std::string(e.what()).rfind("mask:", 0) == 0, e.what());
        }
        try {
            maskFromFile("/nonexistent/mask.png");
            QFAIL("a missing mask file was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Input);
            QVERIFY2(std::string(e.what()).find("/nonexistent/mask.png") != std::string::npos,
                     e.what());
        }
    }

    // `--mask FILE.png` embeds the file's pixels in the output's metadata (with --opacity as
    // `blend`); an unreadable mask file is an input error naming the file.
    void commandLineTakesAMaskFile() {
        QTemporaryDir dir;
        const QString maskFile = dir.filePath("left.png");
        cv::imwrite(maskFile.toStdString(), leftHalf(200, 150));
        auto run = [](const QStringList& args) {
            QProcess p;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert("INCEPTIONIST_MODELS", QString::fromStdString(test::modelsDir()));
            p.setProcessEnvironment(env);
            p.start(QString::fromStdString(test::cliPath()), args);
            p.waitForFinished(120000);
            return std::make_pair(p.exitCode(), QString::fromUtf8(p.readAllStandardError()));
        };
        const QString photo = QString::fromStdString(test::dataPath("horses.jpg"));
        const QString out = dir.filePath("out.png");
        const QStringList quick = {"--octaves", "1",   "--steps", "2",
                                   "--size",    "128", "--layer", "mixed3"};
        auto [code, err] =
            run(QStringList{"dream", photo, out, "--mask", maskFile, "--opacity", "0.5"} + quick);
        QVERIFY2(code == 0, qPrintable(err));
        const auto meta = nlohmann::json::parse(readImageMetadata(out.toStdString()));
        const std::string embedded = meta.dump();
        QVERIFY(embedded.find("\"mask\":\"data:image/png;base64,") != std::string::npos);
        QVERIFY(embedded.find("\"blend\":0.5") != std::string::npos);
        // Dreamt where the mask is white only.
        const cv::Mat result = readImage(out.toStdString());
        const cv::Mat start = resizeLongSide(readImage(photo.toStdString()), 128);
        QCOMPARE(result.size(), start.size());
        const int w = result.cols;
        const double left = changeIn(result, start, 0, w / 2 - 8);
        const double right = changeIn(result, start, w / 2 + 8, w);
        const double rightMost = maxChangeIn(result, start, w / 2 + 8, w);
        qInfo("--mask, --opacity 0.5: left half %.4f, right half %.5f (largest %.5f)", left, right,
              rightMost);
        // The right half is the photo, apart from the PNG's rounding to 8 bits.
        QVERIFY2(rightMost <= 0.5 / 255 + 1e-4, "the dream grew where the mask file is black");
        QVERIFY(left > 0.005);

        const QString missing = dir.filePath("no-such-mask.png");
        std::tie(code, err) = run(QStringList{"dream", photo, out, "--mask", missing} + quick);
        QCOMPARE(code, 2);  // an input error
        QVERIFY2(err.contains(missing), qPrintable(err));
    }

    void printKeepsTheMask() {
        // A 128 px dream printed at 256 px in both looks: the right half stays the photo.
        auto net = test::defaultModel("inception_v3");
        const cv::Mat photo = test::smallPhoto(256);
        const int w = photo.cols, h = photo.rows, mid = w / 2;
        DreamParams live = test::quickParams();
        live.workingSize = 128;
        live.octaves = 1;
        live.mask = encodeMask(leftHalf(w, h));
        live.maskFeather = 0;
        // What the print's resampling alone makes of the photo: the same plan with blend 0.
        auto render = [&](const DreamParams& current, PrintLook look) {
            cv::Mat image = photo;
            for (const DreamParams& step : printPlan({}, current, 256, look))
                image = dream(*net, image, step);
            return image;
        };
        DreamParams none = live;
        none.blend = 0;
        for (PrintLook look : {PrintLook::Screen, PrintLook::AddDetail}) {
            const cv::Mat printed = render(live, look);
            const cv::Mat reference = render(none, look);
            QCOMPARE(printed.size(), photo.size());
            const double right = changeIn(printed, reference, mid + 8, w);
            const double left = changeIn(printed, reference, 0, mid - 8);
            qInfo("print look %d: left half %.4f, right half %.5f", int(look), left, right);
            QVERIFY2(right < 2e-3, "the print dreamt where the mask is black");
            QVERIFY(left > 10 * right);
        }
    }
};

QTEST_GUILESS_MAIN(MaskTest)
#include "test_mask.moc"
