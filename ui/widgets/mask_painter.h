#pragma once
// The mask brush: paints where the dream may grow into a grey image (white = dream) the size of
// the dream, and shows it over the canvas as a tint. The canvas hands it the mouse
// in image fractions while the Mask tool is on; a stroke ends on release, and only then does
// the painter report the new mask (strokeFinished), so the dream restarts once per stroke and
// painting itself is a few QPainter calls on the GUI thread.

#include <QImage>
#include <QObject>
#include <QPointF>

class QPainter;
class QRectF;

namespace inceptionist::ui {

class MaskPainter : public QObject {
    Q_OBJECT
public:
    static constexpr int kMinBrush = 2, kMaxBrush = 400;

    explicit MaskPainter(QObject* parent = nullptr);

    bool active() const { return active_; }
    void setActive(bool on);
    // Brush diameter in pixels of the mask.
    int brushSize() const { return brush_; }
    void setBrushSize(int px);
    // Erase instead of paint with the left button (the right button and Shift always erase).
    bool eraser() const { return eraser_; }
    void setEraser(bool on);

    // The size of the dream (the document's image at the working size): the mask is painted
    // at this size, and a mask of another size is stretched to it.
    void setImageSize(QSize size);
    // The mask as the parameters hold it (a null image: none, the dream grows everywhere).
    const QImage& mask() const { return mask_; }
    void setMask(const QImage& mask);

    // A stroke, at points given as fractions of the image (0..1 across and down).
    void press(QPointF at, bool erase);
    void move(QPointF at);
    void release();
    bool stroking() const { return stroking_; }
    // Where the brush is, for its outline (fractions; outside 0..1: not over the image).
    void hover(QPointF at);

    // Draws the tint and the brush outline over the image drawn at `target`.
    void paintOverlay(QPainter& p, const QRectF& target) const;

Q_SIGNALS:
    void activeChanged(bool on);
    void brushSizeChanged(int px);
    void eraserChanged(bool on);
    // A stroke ended: `mask` is the new mask; `erased` says whether it erased.
    void strokeFinished(const QImage& mask, bool erased);
    void overlayChanged();

private:
    QPointF toPixels(QPointF fraction) const;
    void dab(QPointF from, QPointF to);
    void rebuildTint();

    bool active_ = false;
    int brush_ = 40;
    bool eraser_ = false;
    QSize size_;
    QImage mask_;  // Format_Grayscale8 at size_, or null
    QImage tint_;  // Format_ARGB32_Premultiplied, the mask as a see-through colour
    bool stroking_ = false;
    bool strokeErases_ = false;
    QPointF last_;  // image pixels
    QPointF hover_{-1, -1};
};

}  // namespace inceptionist::ui
