#include "ui/widgets/timeline.h"

#include <algorithm>
#include <cmath>

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

namespace inceptionist::ui {

namespace {
constexpr int kMargin = 10;  // room for the first and last marker
constexpr int kRulerHeight = 18;
constexpr int kMarkerRow = 16;  // height of the keyframe row under the ruler
constexpr int kMarkerRadius = 6;

// A ruler step that leaves at least `minPixels` between labelled ticks: 1, 2, 5, 10, 20, 50 …
int labelStep(int frames, int width, int minPixels) {
    const double perFrame = double(width) / std::max(1, frames);
    for (int base = 1;; base *= 10)
        for (int m : {1, 2, 5})
            if (base * m * perFrame >= minPixels || base * m >= frames) return base * m;
}
}  // namespace

Timeline::Timeline(QWidget* parent) : QWidget(parent) {
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(false);
    setToolTip(
        tr("Click or drag to show a frame; drag a keyframe to move it, Delete removes it; "
           "Space plays the frames made"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

QSize Timeline::sizeHint() const { return {600, kRulerHeight + kMarkerRow + 14}; }
QSize Timeline::minimumSizeHint() const { return {200, kRulerHeight + kMarkerRow + 14}; }

void Timeline::setFrameCount(int frames) {
    frames_ = std::max(1, frames);
    if (current_ >= frames_) setCurrentFrame(frames_ - 1);
    update();
}

void Timeline::setKeyframes(const QVector<int>& frames) {
    keyframes_ = frames;
    std::sort(keyframes_.begin(), keyframes_.end());
    if (!keyframes_.contains(selected_)) selected_ = -1;
    update();
}

void Timeline::setMadeFrames(int made) {
    made_ = std::max(0, made);
    update();
}

void Timeline::setCurrentFrame(int frame) {
    frame = std::clamp(frame, 0, frames_ - 1);
    if (frame == current_) return;
    current_ = frame;
    update();
    Q_EMIT currentFrameChanged(frame);
}

void Timeline::selectKeyframe(int frame) {
    selected_ = keyframes_.contains(frame) ? frame : -1;
    update();
}

QRect Timeline::track() const { return rect().adjusted(kMargin, 0, -kMargin, 0); }

QPoint Timeline::pointForFrame(int frame) const {
    const QRect t = track();
    const double x = frames_ > 1 ? t.left() + double(frame) * t.width() / (frames_ - 1)
                                 : t.left() + t.width() / 2.0;
    return {int(std::lround(x)), kRulerHeight + kMarkerRow / 2 + 2};
}

int Timeline::frameAt(int x) const {
    const QRect t = track();
    if (frames_ <= 1 || t.width() <= 0) return 0;
    const double f = double(x - t.left()) * (frames_ - 1) / t.width();
    return std::clamp(int(std::lround(f)), 0, frames_ - 1);
}

int Timeline::keyframeNear(const QPoint& p) const {
    if (std::abs(p.y() - pointForFrame(0).y()) > kMarkerRadius + 3) return -1;
    int best = -1, bestDistance = kMarkerRadius + 3;
    for (int k : keyframes_) {
        const int d = std::abs(pointForFrame(k).x() - p.x());
        if (d <= bestDistance) best = k, bestDistance = d;
    }
    return best;
}

void Timeline::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = palette();
    painter.fillRect(rect(), pal.base());
    const QRect t = track();

    // The frames made so far: a band across the ruler.
    if (made_ > 0) {
        const int right = made_ >= frames_ ? t.right() + kMargin / 2 : pointForFrame(made_).x();
        QColor band = pal.highlight().color();
        band.setAlpha(70);
        painter.fillRect(QRect(QPoint(t.left() - kMargin / 2, 0), QPoint(right, kRulerHeight)),
                         band);
    }

    // Ruler: a tick per frame where they fit, labelled every few.
    painter.setPen(pal.text().color());
    QFont small = font();
    small.setPointSizeF(std::max(6.0, small.pointSizeF() * 0.8));
    painter.setFont(small);
    const int labelEvery = labelStep(frames_, t.width(), 48);
    const int tickEvery = std::max(1, labelStep(frames_, t.width(), 6));
    for (int f = 0; f < frames_; f += tickEvery) {
        const int x = pointForFrame(f).x();
        const bool labelled = f % labelEvery == 0;
        painter.drawLine(x, kRulerHeight - (labelled ? 8 : 4), x, kRulerHeight);
        if (labelled)
            painter.drawText(QRect(x + 2, 0, 60, kRulerHeight - 6), Qt::AlignLeft | Qt::AlignTop,
                             QString::number(f));
    }
    painter.drawLine(t.left(), kRulerHeight, t.right(), kRulerHeight);

    // Keyframes: diamonds; the selected one filled with the highlight.
    auto diamond = [&](int frame, const QColor& fill) {
        const QPoint c = pointForFrame(frame);
        QPainterPath path;
        path.moveTo(c.x(), c.y() - kMarkerRadius);
        path.lineTo(c.x() + kMarkerRadius, c.y());
        path.lineTo(c.x(), c.y() + kMarkerRadius);
        path.lineTo(c.x() - kMarkerRadius, c.y());
        path.closeSubpath();
        painter.setPen(pal.text().color());
        painter.setBrush(fill);
        painter.drawPath(path);
    };
    for (int k : keyframes_)
        if (k != dragging_)
            diamond(k, k == selected_ ? pal.highlight().color() : pal.button().color());
    if (dragging_ >= 0) diamond(dragTo_, pal.highlight().color());

    // The current frame.
    const int x = pointForFrame(current_).x();
    painter.setPen(QPen(QColor(220, 40, 40), 2));
    painter.drawLine(x, 0, x, height());
}

void Timeline::mousePressEvent(QMouseEvent* e) {
    if (e->button() != Qt::LeftButton) return;
    setFocus(Qt::MouseFocusReason);
    const int k = keyframeNear(e->position().toPoint());
    if (k >= 0) {
        selectKeyframe(k);
        dragging_ = dragTo_ = k;
        setCurrentFrame(k);
        return;
    }
    scrubbing_ = true;
    setCurrentFrame(frameAt(e->position().toPoint().x()));
}

void Timeline::mouseMoveEvent(QMouseEvent* e) {
    const int f = frameAt(e->position().toPoint().x());
    if (dragging_ >= 0) {
        // A keyframe never lands on another one.
        if (f == dragging_ || !keyframes_.contains(f)) dragTo_ = f;
        setCurrentFrame(dragTo_);
        update();
    } else if (scrubbing_) {
        setCurrentFrame(f);
    }
}

void Timeline::mouseReleaseEvent(QMouseEvent*) {
    if (dragging_ >= 0 && dragTo_ != dragging_) {
        const int from = dragging_, to = dragTo_;
        dragging_ = -1;
        selected_ = to;
        Q_EMIT keyframeMoved(from, to);  // the owner sets the keyframes anew
    }
    dragging_ = -1;
    scrubbing_ = false;
    update();
}

void Timeline::keyPressEvent(QKeyEvent* e) {
    switch (e->key()) {
        case Qt::Key_Delete:
        case Qt::Key_Backspace:
            if (selected_ >= 0) Q_EMIT keyframeDeleted(selected_);
            return;
        case Qt::Key_Left:
            setCurrentFrame(current_ - 1);
            return;
        case Qt::Key_Right:
            setCurrentFrame(current_ + 1);
            return;
        case Qt::Key_Home:
            setCurrentFrame(0);
            return;
        case Qt::Key_End:
            setCurrentFrame(frames_ - 1);
            return;
        case Qt::Key_Space:
            Q_EMIT playToggled();
            return;
        default:
            QWidget::keyPressEvent(e);
    }
}

}  // namespace inceptionist::ui
