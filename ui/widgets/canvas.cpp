#include "ui/widgets/canvas.h"

#include <algorithm>
#include <cmath>

#include <QDragEnterEvent>
#include <QMimeData>
#include <QPainter>
#include <QWheelEvent>

#include "ui/widgets/mask_painter.h"

namespace inceptionist::ui {

namespace {
constexpr double kMinZoom = 0.02, kMaxZoom = 32.0;
constexpr double kWheelStep = 1.25;  // zoom factor per wheel notch
constexpr double kSplitGrab = 6.0;   // px either side of the split line that grab it
}  // namespace

Canvas::Canvas(QWidget* parent) : QWidget(parent) {
    setAcceptDrops(true);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setMinimumSize(200, 150);
    setToolTip(
        tr("Wheel: zoom · drag: pan · hold B: compare with what this dream started from · "
           "hold Shift+B: compare with the photo"));
}

void Canvas::setImages(const QImage& after, const QImage& before) {
    before_ = before;
    beforePixmap_ = QPixmap::fromImage(before);
    setAfter(after);
}

void Canvas::setAfter(const QImage& after) {
    const QSize old = after_.size();
    after_ = after;
    afterPixmap_ = QPixmap::fromImage(after);
    if (after.size() != old) {
        // Octaves grow the dream: keep showing the same part of it at the same size on screen.
        if (fit_ || old.isEmpty() || after.isNull()) {
            center_ = QPointF(after.width() / 2.0, after.height() / 2.0);
            zoom_ = fitZoom();
        } else {
            const double f = double(after.width()) / old.width();
            center_ *= f;
            zoom_ /= f;
        }
    }
    update();
}

void Canvas::setMaskPainter(MaskPainter* painter) {
    maskPainter_ = painter;
    connect(painter, &MaskPainter::overlayChanged, this, qOverload<>(&QWidget::update));
    connect(painter, &MaskPainter::activeChanged, this,
            [this](bool on) { setCursor(on ? Qt::CrossCursor : Qt::OpenHandCursor); });
}

bool Canvas::maskToolOn() const { return maskPainter_ && maskPainter_->active(); }

QPointF Canvas::imageFraction(QPointF widgetPos) const {
    const QRectF r = imageRect();
    return QPointF((widgetPos.x() - r.left()) / std::max(1.0, r.width()),
                   (widgetPos.y() - r.top()) / std::max(1.0, r.height()));
}

void Canvas::setSplitLabels(const QString& left, const QString& right) {
    leftLabel_ = left;
    rightLabel_ = right;
    update();
}

void Canvas::setPhoto(const QImage& photo) {
    photo_ = photo;
    photoPixmap_ = QPixmap::fromImage(photo);
    update();
}

Canvas::Compare Canvas::comparing() const {
    if (held_ == Compare::None) return Compare::None;
    // Just kept or opened, nothing dreamt over it: the photo is the only other picture.
    const bool nothingDreamt = after_.isNull() || after_.cacheKey() == before_.cacheKey();
    if (!photo_.isNull() && (held_ == Compare::Photo || nothingDreamt)) return Compare::Photo;
    return before_.isNull() ? Compare::None : Compare::Before;
}

const QImage& Canvas::shownImage() const {
    switch (comparing()) {
        case Compare::Photo:
            return photo_;
        case Compare::Before:
            return before_;
        case Compare::None:
            break;
    }
    return after_.isNull() ? before_ : after_;
}

const QPixmap& Canvas::shownPixmap() const {
    switch (comparing()) {
        case Compare::Photo:
            return photoPixmap_;
        case Compare::Before:
            return beforePixmap_;
        case Compare::None:
            break;
    }
    return afterPixmap_.isNull() ? beforePixmap_ : afterPixmap_;
}

QSizeF Canvas::contentSize() const {
    return after_.isNull() ? QSizeF(before_.size()) : QSizeF(after_.size());
}

double Canvas::fitZoom() const {
    const QSizeF s = contentSize();
    if (s.isEmpty()) return 1.0;
    const double dpr = devicePixelRatioF();
    return std::min(width() * dpr / s.width(), height() * dpr / s.height()) * 0.98;
}

QRectF Canvas::imageRect() const {
    const double scale = zoom_ / devicePixelRatioF();  // logical px per image px
    const QSizeF s = contentSize() * scale;
    const QPointF topLeft = QPointF(width() / 2.0, height() / 2.0) - center_ * scale;
    return QRectF(topLeft, s);
}

void Canvas::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Dark).darker(160));
    if (afterPixmap_.isNull() && beforePixmap_.isNull()) {
        p.setPen(palette().color(QPalette::Light));
        p.drawText(rect(), Qt::AlignCenter, tr("Open a photo, paste one, or drop it here"));
        return;
    }
    const QRectF target = imageRect();
    // Smooth when shrinking; crisp pixels when looking closely at a full-size image. A coarse
    // preview (smaller than the image it will become) is always smoothed: its octave is only
    // a stage of the dream, and blocks would look like a fault.
    const double dpr = devicePixelRatioF();
    const QSize full = before_.isNull() ? after_.size() : before_.size();
    auto draw = [&](const QPixmap& pixmap) {
        const bool preview = pixmap.width() < full.width();
        const double enlarge = target.width() * dpr / std::max(1, pixmap.width());
        p.setRenderHint(QPainter::SmoothPixmapTransform, preview || enlarge < 2.0);
        p.drawPixmap(target, pixmap, pixmap.rect());
    };
    const Compare compare = comparing();
    draw(shownPixmap());
    if (split_ && compare == Compare::None && !beforePixmap_.isNull() && !afterPixmap_.isNull()) {
        const double x = target.left() + splitAt_ * target.width();
        p.save();
        p.setClipRect(QRectF(target.topLeft(), QPointF(x, target.bottom())));
        draw(beforePixmap_);
        p.restore();
        p.setPen(QPen(Qt::white, 2));
        p.drawLine(QPointF(x, target.top()), QPointF(x, target.bottom()));
        p.setPen(Qt::white);
        p.drawText(QRectF(target.left() + 8, target.top() + 6, 100, 20), leftLabel_);
        p.drawText(QRectF(x + 8, target.top() + 6, 100, 20), rightLabel_);
    }
    if (compare != Compare::None) {
        p.setPen(Qt::white);
        p.drawText(QRectF(target.left() + 8, target.top() + 6, 400, 20),
                   compare == Compare::Photo
                       ? tr("the photo (release B)")
                       : tr("before this dream (release B; Shift+B: the photo)"));
    }
    if (maskToolOn() && compare == Compare::None) maskPainter_->paintOverlay(p, target);
}

void Canvas::resizeEvent(QResizeEvent*) {
    if (fit_) zoom_ = fitZoom();
}

void Canvas::setZoom(double zoom, QPointF anchor) {
    // Keep the image point under `anchor` where it is.
    const double oldScale = zoom_ / devicePixelRatioF();
    const QPointF widgetCenter(width() / 2.0, height() / 2.0);
    const QPointF imagePoint = center_ + (anchor - widgetCenter) / oldScale;
    zoom_ = std::clamp(zoom, kMinZoom, kMaxZoom);
    const double newScale = zoom_ / devicePixelRatioF();
    center_ = imagePoint - (anchor - widgetCenter) / newScale;
    update();
    Q_EMIT zoomChanged(zoom_);
}

void Canvas::zoomAround(double factor, QPointF anchor) {
    fit_ = false;
    setZoom(zoom_ * factor, anchor);
}

void Canvas::zoomIn() { zoomAround(kWheelStep, rect().center()); }
void Canvas::zoomOut() { zoomAround(1 / kWheelStep, rect().center()); }

void Canvas::fitToWindow() {
    fit_ = true;
    const QSizeF s = contentSize();
    center_ = QPointF(s.width() / 2, s.height() / 2);
    zoom_ = fitZoom();
    update();
    Q_EMIT zoomChanged(zoom_);
}

void Canvas::actualSize() {
    fit_ = false;
    setZoom(1.0, rect().center());
}

void Canvas::setSplitView(bool on) {
    split_ = on;
    update();
}

void Canvas::wheelEvent(QWheelEvent* e) {
    const double notches = e->angleDelta().y() / 120.0;
    if (notches != 0) zoomAround(std::pow(kWheelStep, notches), e->position());
    e->accept();
}

void Canvas::mousePressEvent(QMouseEvent* e) {
    if (maskToolOn() && (e->button() == Qt::LeftButton || e->button() == Qt::RightButton)) {
        maskPainter_->press(imageFraction(e->position()),
                            e->button() == Qt::RightButton || (e->modifiers() & Qt::ShiftModifier));
        return;
    }
    if (e->button() != Qt::LeftButton) return;
    const QRectF r = imageRect();
    const double x = r.left() + splitAt_ * r.width();
    drag_ = (split_ && std::abs(e->position().x() - x) <= kSplitGrab) ? Drag::Split : Drag::Pan;
    lastMouse_ = e->position();
    setCursor(drag_ == Drag::Split ? Qt::SplitHCursor : Qt::ClosedHandCursor);
}

void Canvas::mouseMoveEvent(QMouseEvent* e) {
    if (maskToolOn()) {
        maskPainter_->move(imageFraction(e->position()));
        return;
    }
    const QRectF r = imageRect();
    if (drag_ == Drag::Split) {
        splitAt_ = std::clamp((e->position().x() - r.left()) / std::max(1.0, r.width()), 0.0, 1.0);
        update();
    } else if (drag_ == Drag::Pan) {
        fit_ = false;
        center_ -= (e->position() - lastMouse_) / (zoom_ / devicePixelRatioF());
        lastMouse_ = e->position();
        update();
    } else if (split_) {
        const double x = r.left() + splitAt_ * r.width();
        setCursor(std::abs(e->position().x() - x) <= kSplitGrab ? Qt::SplitHCursor
                                                                : Qt::OpenHandCursor);
    }
}

void Canvas::mouseReleaseEvent(QMouseEvent*) {
    if (maskToolOn()) {
        maskPainter_->release();
        return;
    }
    drag_ = Drag::None;
    setCursor(Qt::OpenHandCursor);
}

void Canvas::keyPressEvent(QKeyEvent* e) {
    if (e->key() == Qt::Key_B && !e->isAutoRepeat()) {
        held_ = (e->modifiers() & Qt::ShiftModifier) ? Compare::Photo : Compare::Before;
        update();
        return;
    }
    QWidget::keyPressEvent(e);
}

void Canvas::keyReleaseEvent(QKeyEvent* e) {
    if (e->key() == Qt::Key_B && !e->isAutoRepeat()) {
        held_ = Compare::None;
        update();
        return;
    }
    QWidget::keyReleaseEvent(e);
}

void Canvas::dragEnterEvent(QDragEnterEvent* e) {
    if (e->mimeData()->hasUrls() || e->mimeData()->hasImage()) e->acceptProposedAction();
}

void Canvas::dropEvent(QDropEvent* e) {
    const QMimeData* m = e->mimeData();
    if (m->hasUrls() && !m->urls().isEmpty() && m->urls().first().isLocalFile()) {
        Q_EMIT fileDropped(m->urls().first().toLocalFile());
        e->acceptProposedAction();
    } else if (m->hasImage()) {
        Q_EMIT imageDropped(qvariant_cast<QImage>(m->imageData()));
        e->acceptProposedAction();
    }
}

}  // namespace inceptionist::ui
