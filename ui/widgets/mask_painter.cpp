#include "ui/widgets/mask_painter.h"

#include <algorithm>

#include <QPainter>
#include <QPainterPath>

namespace inceptionist::ui {

namespace {
// Where the dream may grow, tinted orange: visible on photos of any colour, and see-through.
const QColor kTint(255, 120, 0, 80);
}  // namespace

MaskPainter::MaskPainter(QObject* parent) : QObject(parent) {}

void MaskPainter::setActive(bool on) {
    if (on == active_) return;
    active_ = on;
    if (!on && stroking_) release();
    Q_EMIT activeChanged(on);
    Q_EMIT overlayChanged();
}

void MaskPainter::setBrushSize(int px) {
    px = std::clamp(px, kMinBrush, kMaxBrush);
    if (px == brush_) return;
    brush_ = px;
    Q_EMIT brushSizeChanged(px);
    Q_EMIT overlayChanged();
}

void MaskPainter::setEraser(bool on) {
    if (on == eraser_) return;
    eraser_ = on;
    Q_EMIT eraserChanged(on);
}

void MaskPainter::setImageSize(QSize size) {
    if (size == size_ || size.isEmpty()) return;
    size_ = size;
    if (!mask_.isNull()) setMask(mask_);  // stretched to the new image
}

void MaskPainter::setMask(const QImage& mask) {
    if (mask.isNull()) {
        mask_ = QImage();
    } else {
        const QSize at = size_.isEmpty() ? mask.size() : size_;
        mask_ = mask.convertToFormat(QImage::Format_Grayscale8)
                    .scaled(at, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    }
    rebuildTint();
    Q_EMIT overlayChanged();
}

QPointF MaskPainter::toPixels(QPointF f) const {
    return QPointF(f.x() * size_.width(), f.y() * size_.height());
}

void MaskPainter::press(QPointF at, bool erase) {
    if (size_.isEmpty()) return;
    if (mask_.isNull()) {
        // The first stroke: nothing dreams but what is painted.
        mask_ = QImage(size_, QImage::Format_Grayscale8);
        mask_.fill(erase ? 255 : 0);
        rebuildTint();
    }
    stroking_ = true;
    strokeErases_ = erase || eraser_;
    last_ = toPixels(at);
    dab(last_, last_);
}

void MaskPainter::move(QPointF at) {
    hover(at);
    if (!stroking_) return;
    const QPointF to = toPixels(at);
    dab(last_, to);
    last_ = to;
}

void MaskPainter::release() {
    if (!stroking_) return;
    stroking_ = false;
    Q_EMIT strokeFinished(mask_.copy(), strokeErases_);
}

void MaskPainter::hover(QPointF at) {
    hover_ = at;
    if (active_) Q_EMIT overlayChanged();
}

void MaskPainter::dab(QPointF from, QPointF to) {
    // The same round stroke on the mask and on its tint, so the overlay needs no rebuilding. A
    // click without a move is a disc (a line of no length draws nothing).
    auto stroke = [&](QPainter& p, const QColor& colour) {
        p.setRenderHint(QPainter::Antialiasing);
        if (from == to) {
            p.setPen(Qt::NoPen);
            p.setBrush(colour);
            p.drawEllipse(from, brush_ / 2.0, brush_ / 2.0);
        } else {
            p.setPen(QPen(colour, brush_, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
            p.drawLine(from, to);
        }
    };
    QPainter m(&mask_);
    stroke(m, strokeErases_ ? Qt::black : Qt::white);
    m.end();
    QPainter t(&tint_);
    t.setCompositionMode(strokeErases_ ? QPainter::CompositionMode_Clear
                                       : QPainter::CompositionMode_Source);
    stroke(t, kTint);
    t.end();
    Q_EMIT overlayChanged();
}

void MaskPainter::rebuildTint() {
    if (mask_.isNull()) {
        tint_ = QImage();
        return;
    }
    tint_ = QImage(mask_.size(), QImage::Format_ARGB32_Premultiplied);
    for (int y = 0; y < mask_.height(); ++y) {
        const uchar* in = mask_.constScanLine(y);
        auto* out = reinterpret_cast<QRgb*>(tint_.scanLine(y));
        for (int x = 0; x < mask_.width(); ++x) {
            const int a = kTint.alpha() * in[x] / 255;
            out[x] = qPremultiply(qRgba(kTint.red(), kTint.green(), kTint.blue(), a));
        }
    }
}

void MaskPainter::paintOverlay(QPainter& p, const QRectF& target) const {
    if (!active_) return;
    if (!tint_.isNull()) {
        p.save();
        p.setRenderHint(QPainter::SmoothPixmapTransform);
        p.drawImage(target, tint_);
        p.restore();
    }
    if (hover_.x() >= 0 && hover_.x() <= 1 && hover_.y() >= 0 && hover_.y() <= 1 &&
        !size_.isEmpty()) {
        const QPointF c(target.left() + hover_.x() * target.width(),
                        target.top() + hover_.y() * target.height());
        const double r = brush_ / 2.0 * target.width() / size_.width();
        p.save();
        p.setRenderHint(QPainter::Antialiasing);
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(Qt::black, 3));
        p.drawEllipse(c, r, r);
        p.setPen(QPen(Qt::white, 1));
        p.drawEllipse(c, r, r);
        p.restore();
    }
}

}  // namespace inceptionist::ui
