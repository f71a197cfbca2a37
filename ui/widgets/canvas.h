#pragma once
// The canvas: shows the dream (or the photo) with zoom around the cursor, panning, fit and
// 100% views, and a before/after comparison: hold B to see the photo, or turn on the split view
// and drag its line; hold Shift+B to see the photo as opened, before any kept dream. Coarse
// previews (the first octaves) are drawn smoothly enlarged, so the dream grows rather than
// looks blocky. Sharp on high-DPI screens: 100% puts one image pixel on one device pixel.

#include <QImage>
#include <QPixmap>
#include <QWidget>

namespace inceptionist::ui {

class MaskPainter;

class Canvas : public QWidget {
    Q_OBJECT
public:
    explicit Canvas(QWidget* parent = nullptr);

    // The image shown ("after") and the one it is compared with ("before"), drawn in the same
    // place whatever their sizes.
    void setImages(const QImage& after, const QImage& before);
    void setAfter(const QImage& after);
    // The photo as opened, shown while Shift+B is held (B shows `before`, or the photo when
    // nothing is dreamt over the image yet).
    void setPhoto(const QImage& photo);
    const QImage& after() const { return after_; }
    // What is on screen now: the dream, or the image held up for comparison.
    const QImage& shownImage() const;

    // The words either side of the split line ("before", "after"; "A", "B" while comparing).
    void setSplitLabels(const QString& left, const QString& right);
    QStringList splitLabels() const { return {leftLabel_, rightLabel_}; }

    // While `painter`'s Mask tool is on, the left and right buttons paint and erase its mask
    // (ui/widgets/mask_painter.h) instead of panning, and its tint is drawn over the image.
    void setMaskPainter(MaskPainter* painter);

    double zoom() const { return zoom_; }  // device pixels per image pixel
    bool splitView() const { return split_; }

public Q_SLOTS:
    void zoomIn();
    void zoomOut();
    void fitToWindow();
    void actualSize();
    void setSplitView(bool on);

Q_SIGNALS:
    void fileDropped(QString path);
    void imageDropped(QImage image);
    void zoomChanged(double zoom);

protected:
    void paintEvent(QPaintEvent*) override;
    void resizeEvent(QResizeEvent*) override;
    void wheelEvent(QWheelEvent*) override;
    void mousePressEvent(QMouseEvent*) override;
    void mouseMoveEvent(QMouseEvent*) override;
    void mouseReleaseEvent(QMouseEvent*) override;
    void keyPressEvent(QKeyEvent*) override;
    void keyReleaseEvent(QKeyEvent*) override;
    void dragEnterEvent(QDragEnterEvent*) override;
    void dropEvent(QDropEvent*) override;

private:
    QSizeF contentSize() const;  // the after image's size in image pixels
    QRectF imageRect() const;    // where the image lies, in widget (logical) coordinates
    void zoomAround(double factor, QPointF anchor);
    void setZoom(double zoom, QPointF anchor);
    double fitZoom() const;
    QPointF imageFraction(QPointF widgetPos) const;  // 0..1 across and down the image
    bool maskToolOn() const;

    enum class Compare { None, Before, Photo };
    Compare comparing() const;
    const QPixmap& shownPixmap() const;

    QImage after_, before_, photo_;
    QPixmap afterPixmap_, beforePixmap_, photoPixmap_;
    double zoom_ = 1.0;
    QPointF center_;   // image point at the widget's centre, in image pixels
    bool fit_ = true;  // keep fitting on resize until the person zooms
    bool split_ = false;
    double splitAt_ = 0.5;          // fraction of the image width
    Compare held_ = Compare::None;  // by the B key
    enum class Drag { None, Pan, Split } drag_ = Drag::None;
    QPointF lastMouse_;
    QString leftLabel_ = tr("before"), rightLabel_ = tr("after");
    MaskPainter* maskPainter_ = nullptr;
};

}  // namespace inceptionist::ui
