// The engine's own oneDNN convolution and pooling kernels against plain loops that say what they
// compute, on small images: forward (with bias and ReLU) and input gradients, for the layer
// shapes the default models use — Winograd 3×3 with and without padding, direct kernels with
// asymmetric padding, strided layers, Keras "same" pooling on even sizes. A wrong index here
// shows as a dream that drifts or smears.

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "core/engine/onednn_conv.h"
#include "core/engine/onednn_pool.h"

using namespace inceptionist;

namespace {

constexpr double kRelativeTolerance = 1e-4;

std::vector<float> randomValues(size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.f, 1.f);
    std::vector<float> v(n);
    for (auto& x : v) x = normal(rng);
    return v;
}

// Largest |a - b| relative to the largest |b|.
double relativeError(const std::vector<float>& a, const std::vector<float>& b) {
    double worst = 0, scale = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        worst = std::max(worst, double(std::abs(a[i] - b[i])));
        scale = std::max(scale, double(std::abs(b[i])));
    }
    return worst / scale;
}

// NHWC index of (y, x, c) in an image `w` wide with `c` channels.
size_t at(int y, int x, int c, int w, int channels) {
    return (static_cast<size_t>(y) * w + x) * channels + c;
}

struct ConvCase {
    ConvGeometry g;
    int h, w;
    double reluCap;
};

// y = relu(conv(x) + b), the definition, loop by loop.
std::vector<float> referenceConv(const ConvCase& k, const std::vector<float>& x,
                                 const std::vector<float>& wt, const std::vector<float>& b) {
    const ConvGeometry& g = k.g;
    const int oh = g.outH(k.h), ow = g.outW(k.w);
    std::vector<float> y(static_cast<size_t>(oh) * ow * g.out);
    for (int oy = 0; oy < oh; ++oy)
        for (int ox = 0; ox < ow; ++ox)
            for (int o = 0; o < g.out; ++o) {
                double sum = b[o];
                for (int ky = 0; ky < g.kh; ++ky)
                    for (int kx = 0; kx < g.kw; ++kx) {
                        const int iy = oy * g.sh - g.padTop + ky, ix = ox * g.sw - g.padLeft + kx;
                        if (iy < 0 || iy >= k.h || ix < 0 || ix >= k.w) continue;
                        for (int i = 0; i < g.in; ++i)
                            sum +=
                                double(x[at(iy, ix, i, k.w, g.in)]) *
                                wt[((static_cast<size_t>(o) * g.in + i) * g.kh + ky) * g.kw + kx];
                    }
                if (k.reluCap > 0) sum = std::min(std::max(sum, 0.0), k.reluCap);
                y[at(oy, ox, o, ow, g.out)] = static_cast<float>(sum);
            }
    return y;
}

// dx = the transpose of the convolution applied to dy: each output's gradient goes back to every
// input that fed it, weighted as it was.
std::vector<float> referenceInputGradient(const ConvCase& k, const std::vector<float>& dy,
                                          const std::vector<float>& wt) {
    const ConvGeometry& g = k.g;
    const int oh = g.outH(k.h), ow = g.outW(k.w);
    std::vector<double> dx(static_cast<size_t>(k.h) * k.w * g.in, 0.0);
    for (int oy = 0; oy < oh; ++oy)
        for (int ox = 0; ox < ow; ++ox)
            for (int o = 0; o < g.out; ++o)
                for (int ky = 0; ky < g.kh; ++ky)
                    for (int kx = 0; kx < g.kw; ++kx) {
                        const int iy = oy * g.sh - g.padTop + ky, ix = ox * g.sw - g.padLeft + kx;
                        if (iy < 0 || iy >= k.h || ix < 0 || ix >= k.w) continue;
                        for (int i = 0; i < g.in; ++i)
                            dx[at(iy, ix, i, k.w, g.in)] +=
                                double(dy[at(oy, ox, o, ow, g.out)]) *
                                wt[((static_cast<size_t>(o) * g.in + i) * g.kh + ky) * g.kw + kx];
                    }
    return {dx.begin(), dx.end()};
}

ConvGeometry convGeometry(int in, int out, int kh, int kw, int stride, int padTop, int padBottom,
                          int padLeft, int padRight) {
    ConvGeometry g;
    g.in = in;
    g.out = out;
    g.kh = kh;
    g.kw = kw;
    g.sh = g.sw = stride;
    g.padTop = padTop;
    g.padBottom = padBottom;
    g.padLeft = padLeft;
    g.padRight = padRight;
    return g;
}

PoolGeometry poolGeometry(int channels, int h, int w, int k, int stride, int padTop, int padBottom,
                          int padLeft, int padRight) {
    PoolGeometry g;
    g.channels = channels;
    g.h = h;
    g.w = w;
    g.kh = g.kw = k;
    g.sh = g.sw = stride;
    g.padTop = padTop;
    g.padBottom = padBottom;
    g.padLeft = padLeft;
    g.padRight = padRight;
    return g;
}

// The input pixels (y, x) a pooling window covers, padding left out.
template <typename F>
void forWindow(const PoolGeometry& g, int oy, int ox, F f) {
    for (int ky = 0; ky < g.kh; ++ky)
        for (int kx = 0; kx < g.kw; ++kx) {
            const int iy = oy * g.sh - g.padTop + ky, ix = ox * g.sw - g.padLeft + kx;
            if (iy >= 0 && iy < g.h && ix >= 0 && ix < g.w) f(iy, ix);
        }
}

}  // namespace

Q_DECLARE_METATYPE(ConvGeometry)
Q_DECLARE_METATYPE(PoolGeometry)

class OneDnnKernelsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void convolution_data() {
        QTest::addColumn<ConvGeometry>("geometry");
        QTest::addColumn<int>("h");
        QTest::addColumn<int>("w");
        QTest::addColumn<double>("reluCap");
        // InceptionV3's mixed blocks: 3×3 "same", Winograd.
        QTest::newRow("3x3 same 64->96")
            << convGeometry(64, 96, 3, 3, 1, 1, 1, 1, 1) << 9 << 11 << double(INFINITY);
        // Its stem: 3×3 "valid", Winograd, input gradient by oneDNN's backward kernel.
        QTest::newRow("3x3 valid 80->64")
            << convGeometry(80, 64, 3, 3, 1, 0, 0, 0, 0) << 10 << 7 << double(INFINITY);
        // Too few channels for Winograd to pay: direct kernels.
        QTest::newRow("3x3 same 16->32")
            << convGeometry(16, 32, 3, 3, 1, 1, 1, 1, 1) << 8 << 8 << 0.0;
        QTest::newRow("1x7 same") << convGeometry(24, 32, 1, 7, 1, 0, 0, 3, 3) << 6 << 9 << 0.0;
        QTest::newRow("1x1 relu6") << convGeometry(40, 24, 1, 1, 1, 0, 0, 0, 0) << 5 << 6 << 6.0;
        // An even kernel pads more after than before, as Keras does.
        QTest::newRow("2x2 same") << convGeometry(8, 16, 2, 2, 1, 0, 1, 0, 1) << 7 << 6
                                  << double(INFINITY);
        QTest::newRow("3x3 stride 2 valid")
            << convGeometry(16, 24, 3, 3, 2, 0, 0, 0, 0) << 11 << 12 << double(INFINITY);
    }

    void convolution() {
        QFETCH(ConvGeometry, geometry);
        QFETCH(int, h);
        QFETCH(int, w);
        QFETCH(double, reluCap);
        const ConvCase k{geometry, h, w, reluCap};
        const ConvGeometry& g = geometry;
        const auto weights = randomValues(static_cast<size_t>(g.out) * g.in * g.kh * g.kw, 1);
        const auto bias = randomValues(static_cast<size_t>(g.out), 2);
        const auto x = randomValues(static_cast<size_t>(h) * w * g.in, 3);
        const auto conv = OneDnnConv::create(g, weights.data(), bias.data());
        if (!conv) QSKIP("this build has no oneDNN: the engine uses libtorch's convolutions");
        qInfo("%s", conv->winograd() ? "Winograd kernels" : "direct kernels");

        std::vector<float> y(static_cast<size_t>(g.outH(h)) * g.outW(w) * g.out);
        conv->forward(x.data(), h, w, y.data(), reluCap);
        const double forwardError = relativeError(y, referenceConv(k, x, weights, bias));
        QVERIFY2(forwardError <= kRelativeTolerance, qPrintable(QString::number(forwardError)));

        const auto dy = randomValues(y.size(), 4);
        std::vector<float> dx(x.size());
        conv->inputGradient(dy.data(), h, w, dx.data());
        const double gradientError = relativeError(dx, referenceInputGradient(k, dy, weights));
        QVERIFY2(gradientError <= kRelativeTolerance, qPrintable(QString::number(gradientError)));
    }

    void pooling_data() {
        QTest::addColumn<bool>("average");
        QTest::addColumn<PoolGeometry>("geometry");
        QTest::newRow("max 3x3/2 valid") << false << poolGeometry(16, 9, 11, 3, 2, 0, 0, 0, 0);
        // Keras "same" on an even size: the one padded row and column come after.
        QTest::newRow("max 3x3/2 same even") << false << poolGeometry(16, 8, 10, 3, 2, 0, 1, 0, 1);
        QTest::newRow("avg 3x3/1 same") << true << poolGeometry(24, 7, 9, 3, 1, 1, 1, 1, 1);
        QTest::newRow("avg 2x2/2 same odd") << true << poolGeometry(8, 7, 5, 2, 2, 0, 1, 0, 1);
    }

    void pooling() {
        QFETCH(bool, average);
        QFETCH(PoolGeometry, geometry);
        const PoolGeometry& g = geometry;
        const auto pool = OneDnnPool::create(average);
        if (!pool) QSKIP("this build has no oneDNN: the engine uses libtorch's pooling");
        const int oh = g.outH(), ow = g.outW(), c = g.channels;
        const auto x = randomValues(static_cast<size_t>(g.h) * g.w * c, 5);
        std::vector<unsigned char> workspace(pool->workspaceBytes(g));
        std::vector<float> y(static_cast<size_t>(oh) * ow * c);
        pool->forward(g, x.data(), y.data(), workspace.data());
        const auto dy = randomValues(y.size(), 6);
        std::vector<float> dx(x.size());
        pool->backward(g, dy.data(), dx.data(), workspace.data());

        // Max: the largest real pixel, and the gradient goes to it. Average: over the real
        // pixels only, and the gradient is shared among them.
        std::vector<float> expectY(y.size());
        std::vector<double> expectDx(x.size(), 0.0);
        for (int oy = 0; oy < oh; ++oy)
            for (int ox = 0; ox < ow; ++ox)
                for (int ch = 0; ch < c; ++ch) {
                    double sum = 0, best = -INFINITY;
                    int count = 0;
                    size_t argmax = 0;
                    forWindow(g, oy, ox, [&](int iy, int ix) {
                        const size_t i = at(iy, ix, ch, g.w, c);
                        sum += x[i];
                        ++count;
                        if (x[i] > best) best = x[i], argmax = i;
                    });
                    const size_t o = at(oy, ox, ch, ow, c);
                    expectY[o] = static_cast<float>(average ? sum / count : best);
                    if (!average) {
                        expectDx[argmax] += dy[o];
                        continue;
                    }
                    forWindow(g, oy, ox, [&](int iy, int ix) {
                        expectDx[at(iy, ix, ch, g.w, c)] += dy[o] / count;
                    });
                }
        const double forwardError = relativeError(y, expectY);
        QVERIFY2(forwardError <= kRelativeTolerance, qPrintable(QString::number(forwardError)));
        const double gradientError = relativeError(dx, {expectDx.begin(), expectDx.end()});
        QVERIFY2(gradientError <= kRelativeTolerance, qPrintable(QString::number(gradientError)));
    }
};

QTEST_GUILESS_MAIN(OneDnnKernelsTest)
#include "test_onednn_kernels.moc"
