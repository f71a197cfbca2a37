// Tiled dreams: an image that fits one tile is dreamt exactly as without tiles, a tiled dream
// looks like the untiled one, no seams form along the tile edges, and cancelling mid-step stops
// within one tile.

#include <QtTest>

#include "core/io/image_io.h"
#include "core/params/errors.h"
#include "core/render/dreamer.h"
#include "core/render/print_plan.h"
#include "tests/test_support.h"

using namespace inceptionist;

namespace {

DreamParams params(int workingSize, int tileSize) {
    DreamParams p;
    p.layers = {{"mixed3", 1.0, {}}};
    p.octaves = 2;
    p.steps = 4;
    p.workingSize = workingSize;
    p.tileSize = tileSize;
    return p;
}

// Mean absolute difference between neighbouring pixels across the given column edges (the edge
// at x lies between columns x-1 and x) and, separately, across all other columns; likewise for
// rows. Returns {across edges, elsewhere}.
std::pair<double, double> edgeContrast(const cv::Mat& img, const std::vector<int>& colEdges,
                                       const std::vector<int>& rowEdges) {
    double edgeSum = 0, otherSum = 0;
    long edgeCount = 0, otherCount = 0;
    auto isEdge = [](const std::vector<int>& edges, int v) {
        return std::find(edges.begin(), edges.end(), v) != edges.end();
    };
    for (int y = 0; y < img.rows; ++y)
        for (int x = 1; x < img.cols; ++x) {
            const cv::Vec3f d = img.at<cv::Vec3f>(y, x) - img.at<cv::Vec3f>(y, x - 1);
            const double v = (std::abs(d[0]) + std::abs(d[1]) + std::abs(d[2])) / 3;
            if (isEdge(colEdges, x))
                edgeSum += v, ++edgeCount;
            else
                otherSum += v, ++otherCount;
        }
    for (int y = 1; y < img.rows; ++y)
        for (int x = 0; x < img.cols; ++x) {
            const cv::Vec3f d = img.at<cv::Vec3f>(y, x) - img.at<cv::Vec3f>(y - 1, x);
            const double v = (std::abs(d[0]) + std::abs(d[1]) + std::abs(d[2])) / 3;
            if (isEdge(rowEdges, y))
                edgeSum += v, ++edgeCount;
            else
                otherSum += v, ++otherCount;
        }
    return {edgeSum / edgeCount, otherSum / otherCount};
}

// Where the tile edges of a step lay in the image: the grid of `tile`-sized spans over the
// shifted image, shifted back.
std::vector<int> edgesOf(int length, int tile, int shift) {
    const int n = (length + tile - 1) / tile;
    std::vector<int> edges;
    int start = 0;
    for (int i = 0; i < n; ++i) {
        if (i > 0) edges.push_back(((start - shift) % length + length) % length);
        start += length / n + (i < length % n ? 1 : 0);
    }
    edges.push_back(((0 - shift) % length + length) % length);  // the wrap-around edge
    edges.erase(std::remove(edges.begin(), edges.end(), 0), edges.end());
    return edges;
}

}  // namespace

class TilingTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void oneTileIsTheUntiledDream() {
        auto net = test::defaultModel("inception_v3");
        const cv::Mat photo = test::smallPhoto(320);
        int tiles = 0;
        DreamCallbacks cb;
        cb.progress = [&](const DreamProgress& p) { tiles = std::max(tiles, p.tiles); };
        const cv::Mat exact = dream(*net, photo, params(320, 320), cb);
        QCOMPARE(tiles, 1);
        QCOMPARE(cv::norm(exact, dream(*net, photo, params(320, 4096)), cv::NORM_INF), 0.0);
    }

    // Dreams are chaotic, so pixels cannot be compared; what must agree is how strongly the
    // dream excites the layer and how much it changes the photo.
    void tiledLooksLikeUntiled() {
        auto net = test::defaultModel("inception_v3");
        const cv::Mat photo = test::smallPhoto(320);
        DreamProgress untiledEnd, tiledEnd;
        DreamCallbacks cb;
        cb.progress = [&](const DreamProgress& p) { untiledEnd = p; };
        const cv::Mat untiled = dream(*net, photo, params(320, 4096), cb);
        cb.progress = [&](const DreamProgress& p) { tiledEnd = p; };
        const cv::Mat tiled = dream(*net, photo, params(320, 128), cb);
        QCOMPARE(untiledEnd.tiles, 1);
        QCOMPARE(tiledEnd.tiles, 6);  // 3 × 2 tiles at the last octave
        const double lossRatio = tiledEnd.loss / untiledEnd.loss;
        const double changeRatio =
            test::meanAbsDifference(tiled, photo) / test::meanAbsDifference(untiled, photo);
        qInfo("tiled / untiled: objective %.3f, change of the photo %.3f", lossRatio, changeRatio);
        QVERIFY2(lossRatio > 0.85 && lossRatio < 1.15, qPrintable(QString::number(lossRatio)));
        QVERIFY2(changeRatio > 0.85 && changeRatio < 1.15,
                 qPrintable(QString::number(changeRatio)));
    }

    // The seam check of the print issue: across the last step's tile edges, neighbouring pixels
    // differ no more than 1.1× as much as neighbouring pixels elsewhere.
    void noSeams() {
        auto net = test::defaultModel("inception_v3");
        const cv::Mat photo = test::smallPhoto(480);
        DreamParams p = params(480, 160);
        p.steps = 6;
        DreamProgress last;
        DreamCallbacks cb;
        cb.progress = [&](const DreamProgress& d) { last = d; };
        const cv::Mat img = dream(*net, photo, p, cb);
        QCOMPARE(last.tiles, 9);  // 3 × 3
        const auto cols = edgesOf(img.cols, p.tileSize, last.rollX - last.gridX);
        const auto rows = edgesOf(img.rows, p.tileSize, last.rollY - last.gridY);
        const auto [edge, other] = edgeContrast(img, cols, rows);
        qInfo("neighbour difference across tile edges %.5f, elsewhere %.5f, ratio %.3f", edge,
              other, edge / other);
        QVERIFY2(edge <= 1.1 * other, qPrintable(QString("ratio %1").arg(edge / other)));
    }

    // Without jitter the tile grid used to stay put, and every step left the pixels along its
    // lines with 60-70 % less detail than elsewhere (each tile sees the image's edge there). The
    // grid now moves by a random offset of its own: along the lines the old grid had, the dream
    // changes the photo about as much as elsewhere.
    void noBandsAlongTileEdgesWithoutJitter() {
        auto net = test::defaultModel("inception_v3");
        const cv::Mat photo = test::smallPhoto(480);
        DreamParams p = params(480, 160);
        p.jitter = 0;
        p.octaves = 1;
        p.steps = 8;
        const cv::Mat img = dream(*net, photo, p);
        cv::Mat change;
        cv::absdiff(img, photo.size() == img.size() ? photo : dreamStart(photo, p), change);
        // The fixed grid's lines: 160 and 320 across, 120 and 240 down (480×360 in 3 × 3 tiles).
        auto nearLine = [](int v, const std::vector<int>& lines) {
            for (int l : lines)
                if (std::abs(v - l) <= 4) return true;
            return false;
        };
        double near = 0, far = 0;
        long nearCount = 0, farCount = 0;
        for (int y = 0; y < change.rows; ++y)
            for (int x = 0; x < change.cols; ++x) {
                const cv::Vec3f c = change.at<cv::Vec3f>(y, x);
                const double v = (c[0] + c[1] + c[2]) / 3;
                if (nearLine(x, {160, 320}) || nearLine(y, {120, 240}))
                    near += v, ++nearCount;
                else
                    far += v, ++farCount;
            }
        const double ratio = (near / nearCount) / (far / farCount);
        qInfo("change of the photo along the fixed grid's lines / elsewhere: %.3f", ratio);
        QVERIFY2(ratio >= 0.8, qPrintable(QString("ratio %1").arg(ratio)));
    }

    void cancelStopsWithinATile() {
        auto net = test::defaultModel("inception_v3");
        CancelToken token;
        int tilesDone = 0;
        DreamCallbacks cb;
        cb.tileDone = [&](const DreamProgress&) {
            if (++tilesDone == 3) token.cancel();
        };
        try {
            dream(*net, test::smallPhoto(320), params(320, 128), cb, token);
            QFAIL("the dream ran to the end");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Cancelled);
        }
        QCOMPARE(tilesDone, 3);
    }

    void tileSmallerThanTheNetworkIsRefused() {
        auto net = test::defaultModel("inception_v3");
        DreamParams p = params(320, 64);
        p.layers = {{"mixed8", 1.0, {}}};  // needs more than 64 px
        QVERIFY_THROWS_EXCEPTION(Error, dream(*net, test::smallPhoto(320), p));
    }

    void printPlanAddsOctaves() {
        DreamParams live;  // 4 octaves at 512 px, scale 1.4
        const DreamParams print = printParams(live, 6000);
        QCOMPARE(print.workingSize, 6000);
        // 6000 / 512 = 1.4^7.3: seven more octaves, the smallest about the live dream's smallest.
        QCOMPARE(print.octaves, 11);
        QCOMPARE(printParams(live, 512).octaves, 4);
        const auto small = estimatePrint(print, 1500, 1000, kDefaultSecondsPerMegapixelStep);
        const auto large = estimatePrint(print, 6000, 4000, kDefaultSecondsPerMegapixelStep);
        QVERIFY(std::abs(large.seconds / small.seconds - 16.0) < 1e-9);  // linear in pixels
        QVERIFY(large.peakBytes > small.peakBytes);
    }
};

QTEST_GUILESS_MAIN(TilingTest)
#include "test_tiling.moc"
