// The window's Mask tool: a brush (and eraser) that paints where the dream may grow. The mask
// is a dream parameter (DreamParams::mask), so presets, the autosave, exports' metadata and
// prints carry it; each stroke, Clear and Invert is one undo step, and the dream starts again
// when a stroke ends.

#include <algorithm>
#include <cmath>

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QToolBar>

#include "ui/model/dream_controller.h"
#include "ui/model/mask_change.h"
#include "ui/widgets/canvas.h"
#include "ui/widgets/main_window.h"
#include "ui/widgets/mask_painter.h"
#include "ui/widgets/mask_panel.h"

namespace inceptionist::ui {

namespace {
constexpr double kBrushStep = 1.25;  // [ and ] change the brush by this factor

// The mask is painted at the size the dream has: the image at the working size.
QSize maskSize(const QImage& image, int workingSize) {
    if (image.isNull()) return {};
    const int longSide = std::max(image.width(), image.height());
    if (longSide <= workingSize) return image.size();
    return image.size().scaled(workingSize, workingSize, Qt::KeepAspectRatio);
}
}  // namespace

void MainWindow::createMaskTool() {
    maskPainter_ = new MaskPainter(this);
    canvas_->setMaskPainter(maskPainter_);

    QMenu* menu = viewMenu_->addMenu(tr("&Mask"));
    maskAction_ = menu->addAction(
        QIcon::fromTheme("draw-brush", QIcon(":/icons/toolbar/draw-brush.svg")), tr("&Mask Brush"));
    maskAction_->setCheckable(true);
    maskAction_->setShortcut(Qt::Key_M);
    maskAction_->setToolTip(
        tr("Mask brush (M): paint where the dream may grow; right button or Shift erases"));
    if (auto* bar = findChild<QToolBar*>("mainToolBar")) bar->addAction(maskAction_);

    auto* panelBar = addToolBar(tr("Mask"));
    panelBar->setObjectName("maskToolBar");
    maskPanel_ = new MaskPanel(maskPainter_, panelBar);
    panelBar->addWidget(maskPanel_);
    panelBar->setVisible(false);
    connect(maskAction_, &QAction::toggled, this, [this, panelBar](bool on) {
        maskPainter_->setActive(on);
        panelBar->setVisible(on);
    });

    QAction* larger = menu->addAction(tr("&Larger Brush"), this, [this] {
        maskPainter_->setBrushSize(int(std::lround(maskPainter_->brushSize() * kBrushStep)) + 1);
    });
    larger->setShortcut(Qt::Key_BracketRight);
    QAction* smaller = menu->addAction(tr("&Smaller Brush"), this, [this] {
        maskPainter_->setBrushSize(int(std::lround(maskPainter_->brushSize() / kBrushStep)));
    });
    smaller->setShortcut(Qt::Key_BracketLeft);
    QAction* eraser = menu->addAction(tr("&Eraser"));
    eraser->setCheckable(true);
    eraser->setShortcut(Qt::SHIFT | Qt::Key_M);
    connect(eraser, &QAction::toggled, maskPainter_, &MaskPainter::setEraser);
    connect(maskPainter_, &MaskPainter::eraserChanged, eraser, &QAction::setChecked);
    menu->addSeparator();
    menu->addAction(tr("&Clear Mask"), this, &MainWindow::clearMask);
    menu->addAction(tr("&Invert Mask"), this, &MainWindow::invertMask);

    connect(maskPanel_, &MaskPanel::clearRequested, this, &MainWindow::clearMask);
    connect(maskPanel_, &MaskPanel::invertRequested, this, &MainWindow::invertMask);
    connect(maskPanel_, &MaskPanel::featherEdited, this, [this](double percent) {
        DreamParams p = doc_.params();
        p.maskFeather = percent;
        doc_.editParams(p, fieldOf(ParamId::MaskFeather));
    });
    connect(maskPainter_, &MaskPainter::strokeFinished, this,
            [this](const QImage& mask, bool erased) {
                DreamParams p = doc_.params();
                p.mask = maskShown_ = maskText(mask);
                doc_.undoStack()->push(new MaskChangeCommand(
                    &doc_, doc_.params(), p, erased ? tr("Erase mask") : tr("Paint mask")));
                // The stroke is done: its dream starts now, not a pause later.
                if (liveMode()) startDream();
            });
    connect(&doc_, &Document::paramsChanged, this, &MainWindow::syncMaskTool);
    connect(&doc_, &Document::imageChanged, this, [this] {
        maskPainter_->setImageSize(maskSize(doc_.image(), doc_.params().workingSize));
    });
    syncMaskTool();
}

void MainWindow::syncMaskTool() {
    const DreamParams& p = doc_.params();
    maskPainter_->setImageSize(maskSize(doc_.image(), p.workingSize));
    maskPanel_->setFeather(p.maskFeather);
    if (p.mask == maskShown_) return;
    maskShown_ = p.mask;
    try {
        maskPainter_->setMask(maskImage(p.mask));
    } catch (const std::exception&) {
        maskPainter_->setMask({});  // the dream reports a mask it cannot read
    }
}

void MainWindow::clearMask() {
    if (doc_.params().mask.empty()) return;
    DreamParams p = doc_.params();
    p.mask.clear();
    doc_.undoStack()->push(new MaskChangeCommand(&doc_, doc_.params(), p, tr("Clear mask")));
}

void MainWindow::invertMask() {
    QImage mask = maskPainter_->mask();
    if (mask.isNull()) return;
    mask.invertPixels();
    DreamParams p = doc_.params();
    p.mask = maskText(mask);
    doc_.undoStack()->push(new MaskChangeCommand(&doc_, doc_.params(), p, tr("Invert mask")));
}

}  // namespace inceptionist::ui
