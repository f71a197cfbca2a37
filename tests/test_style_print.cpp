// Styled prints within bounded memory: the lean stages (pixels and Adam, half-precision photo
// features) tiled against untiled and against the Fourier stages they replace, by measured
// figures; the memory plan of a 24 MP print against the dream print's bound; the command line
// refusing a print beyond the machine's memory before painting anything.

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgproc.hpp>

#include "core/io/image_io.h"
#include "core/params/errors.h"
#include "core/render/style_transfer.h"
#include "tests/test_support.h"

using namespace inceptionist;

namespace {

constexpr double kPrintBound = 2.5 * (1 << 30);  // the dream print's bound: 24 MP in 2.5 GiB

DreamParams styleParams(int size, int iterations, int tileSize) {
    DreamParams p = test::styleParams(size, iterations);
    p.tileSize = tileSize;
    return p;
}

}  // namespace

class StylePrintTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { useAllCores(); }

    // A print's last stage run lean, once in tiles and once whole: the tiles see less of their
    // neighbours at their edges, so the pictures differ a little there, and both come as close
    // to the painting. The lean stage lowers the style figure it starts from, about as the
    // Fourier stage it replaces does.
    void leanStageTiledApproximatesUntiled() {
        auto net = test::defaultModel("inception_v3");
        const cv::Mat photo = test::smallPhoto(256);
        StyleMemoryPlan lean;
        lean.leanAbovePixels = 128 * 96;  // the 256 px stage runs lean, the 128 px one not
        StyleMemoryPlan fourier;
        fourier.leanAbovePixels = 1LL << 40;
        auto paint = [&](int tileSize, const StyleMemoryPlan& plan, int printSize) {
            const PreparedStyle style(*net, styleParams(128, 6, tileSize));
            int stages = 0, tiles = 0;
            StyleCallbacks callbacks;
            callbacks.progress = [&](const StyleProgress& p) {
                stages = p.stages;
                tiles = std::max(tiles, p.tiles);
            };
            cv::Mat out = style.run(photo, callbacks, {}, printSize, plan);
            return std::make_tuple(out, stages, tiles);
        };
        // Tiles of 128 px: the first stage (128×96) is one tile, the lean one (256×192) four.
        const auto [whole, wholeStages, wholeTiles] = paint(512, lean, 256);
        const auto [tiled, tiledStages, tiledTiles] = paint(128, lean, 256);
        const auto [viaFourier, fourierStages, fourierTiles] = paint(512, fourier, 256);
        const auto [start, startStages, startTiles] = paint(512, lean, 0);
        QCOMPARE(wholeStages, 2);
        QCOMPARE(wholeTiles, 1);
        QCOMPARE(tiledTiles, 4);
        QCOMPARE(whole.size(), cv::Size(256, 192));

        const PreparedStyle judge(*net, styleParams(128, 6, 512));
        cv::Mat enlarged;
        cv::resize(start, enlarged, whole.size(), 0, 0, cv::INTER_CUBIC);
        const double figureStart = judge.figures(enlarged, photo).style;
        const double figureWhole = judge.figures(whole, photo).style;
        const double figureTiled = judge.figures(tiled, photo).style;
        const double figureFourier = judge.figures(viaFourier, photo).style;
        const double difference = test::meanAbsDifference(whole, tiled);
        const double change = test::meanAbsDifference(whole, enlarged);
        qInfo(
            "style figure: enlarged start %.4f, lean whole %.4f, lean tiled %.4f, Fourier %.4f;"
            " tiled vs whole: mean difference %.4f, the stage's own change %.4f",
            figureStart, figureWhole, figureTiled, figureFourier, difference, change);
        QVERIFY2(difference < 0.03, qPrintable(QString::number(difference)));
        QVERIFY2(figureWhole < 0.5 * figureStart, qPrintable(QString::number(figureWhole)));
        QVERIFY2(figureTiled < 1.2 * figureWhole, qPrintable(QString::number(figureTiled)));
        QVERIFY2(figureWhole < 1.5 * figureFourier, qPrintable(QString::number(figureWhole)));
    }

    // The plan of a 24 MP print (6000×4000 from a 24 MP photo, the defaults) stays within the
    // bound the dream print keeps; painting it the way smaller pictures are painted would not.
    void printPlanStaysWithinTheBound() {
        auto net = test::defaultModel("inception_v3");
        const PreparedStyle style(*net, styleParams(512, 90, 512));
        const cv::Size photo(6000, 4000);
        const double lean = style.peakBytes(photo, 6000);
        StyleMemoryPlan fourier;
        fourier.leanAbovePixels = 1LL << 40;
        const double unbounded = style.peakBytes(photo, 6000, fourier);
        const double small = style.peakBytes({512, 341});
        qInfo("planned peak: 24 MP print %.2f GiB (%.2f GiB without lean stages), 512 px %.2f GiB",
              lean / (1 << 30), unbounded / (1 << 30), small / (1 << 30));
        QVERIFY2(lean <= kPrintBound, qPrintable(QString::number(lean)));
        QVERIFY2(unbounded > kPrintBound, qPrintable(QString::number(unbounded)));
        QVERIFY(small < lean);
    }

    // With less memory than the print needs, the command line says so before painting (a
    // parameter error, exit code 4) and writes nothing.
    void printBeyondMemoryIsRefused() {
        QTemporaryDir dir;
        const QString out = dir.filePath("out.tif");
        QProcess cli;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("INCEPTIONIST_MODELS", QString::fromStdString(test::modelsDir()));
        env.insert("INCEPTIONIST_MEMORY_BYTES", "1000000000");
        cli.setProcessEnvironment(env);
        cli.start(QString::fromStdString(test::cliPath()),
                  {"style", QString::fromStdString(test::dataPath("horses.jpg")), out, "--style",
                   QString::fromStdString(test::dataPath("scream.jpg")), "--print-size", "6000"});
        QVERIFY(cli.waitForFinished(120000));
        const QString err = QString::fromUtf8(cli.readAllStandardError());
        QCOMPARE(cli.exitCode(), 4);
        QVERIFY2(err.contains("GB of memory"), qPrintable(err));
        QVERIFY(!QFile::exists(out));
    }
};

QTEST_GUILESS_MAIN(StylePrintTest)
#include "test_style_print.moc"
