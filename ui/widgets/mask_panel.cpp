#include "ui/widgets/mask_panel.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>

#include "ui/widgets/mask_painter.h"

namespace inceptionist::ui {

MaskPanel::MaskPanel(MaskPainter* painter, QWidget* parent) : QWidget(parent), painter_(painter) {
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(4, 0, 4, 0);

    brush_ = new QSpinBox(this);
    brush_->setRange(MaskPainter::kMinBrush, MaskPainter::kMaxBrush);
    brush_->setSuffix(tr(" px"));
    brush_->setValue(painter->brushSize());
    brush_->setToolTip(
        tr("Brush diameter in pixels of the dream (at its working size); [ smaller, ] larger"));
    auto* brushLabel = new QLabel(tr("&Brush"), this);
    brushLabel->setBuddy(brush_);
    row->addWidget(brushLabel);
    row->addWidget(brush_);
    connect(brush_, &QSpinBox::valueChanged, painter, &MaskPainter::setBrushSize);
    connect(painter, &MaskPainter::brushSizeChanged, brush_, [this](int px) {
        const QSignalBlocker quiet(brush_);
        brush_->setValue(px);
    });

    eraser_ = new QToolButton(this);
    eraser_->setText(tr("&Eraser"));
    eraser_->setCheckable(true);
    eraser_->setToolTip(
        tr("Erase with the left button (the right button, or Shift, always erases)"));
    row->addWidget(eraser_);
    connect(eraser_, &QToolButton::toggled, painter, &MaskPainter::setEraser);
    connect(painter, &MaskPainter::eraserChanged, eraser_, &QToolButton::setChecked);

    feather_ = new QDoubleSpinBox(this);
    feather_->setRange(0.0, 25.0);
    feather_->setDecimals(1);
    feather_->setSingleStep(0.5);
    feather_->setSuffix(tr(" %"));
    feather_->setToolTip(
        tr("Softness of the mask's edge: the width of its ramp, in percent of the picture's "
           "long side (the same on screen and in a print)"));
    auto* featherLabel = new QLabel(tr("&Feather"), this);
    featherLabel->setBuddy(feather_);
    row->addWidget(featherLabel);
    row->addWidget(feather_);
    connect(feather_, &QDoubleSpinBox::valueChanged, this, &MaskPanel::featherEdited);

    auto* clear = new QToolButton(this);
    clear->setText(tr("C&lear"));
    clear->setToolTip(tr("Remove the mask: the dream grows everywhere again"));
    connect(clear, &QToolButton::clicked, this, &MaskPanel::clearRequested);
    row->addWidget(clear);
    auto* invert = new QToolButton(this);
    invert->setText(tr("&Invert"));
    invert->setToolTip(
        tr("Dream where the mask kept the photo, and keep the photo where it dreamt"));
    connect(invert, &QToolButton::clicked, this, &MaskPanel::invertRequested);
    row->addWidget(invert);
}

void MaskPanel::setFeather(double percent) {
    const QSignalBlocker quiet(feather_);
    feather_->setValue(percent);
}

}  // namespace inceptionist::ui
