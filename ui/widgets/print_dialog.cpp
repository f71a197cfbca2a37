#include "ui/widgets/print_dialog.h"

#include "ui/model/print_preview.h"

#include <cmath>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace inceptionist::ui {

namespace {
constexpr double kMmPerInch = 25.4;
}  // namespace

const std::vector<PaperSize>& paperSizes() {
    static const std::vector<PaperSize> sizes = {
        {"A5", 148, 210},         {"A4", 210, 297},          {"A3", 297, 420},
        {"A2", 420, 594},         {"A1", 594, 841},          {"Letter", 215.9, 279.4},
        {"Legal", 215.9, 355.6},  {"Tabloid", 279.4, 431.8}, {"30 × 40 cm", 300, 400},
        {"50 × 70 cm", 500, 700},
    };
    return sizes;
}

int paperLongSide(const PaperSize& paper, double dpi) {
    return static_cast<int>(std::lround(paper.longMm / kMmPerInch * dpi));
}

PrintDialog::PrintDialog(const PrintSettings& initial, double aspect, const Estimate& estimate,
                         QWidget* parent)
    : QDialog(parent), aspect_(aspect), estimate_(estimate) {
    setWindowTitle(tr("Render Print"));
    byPixels_ = new QRadioButton(tr("Size in pixels"), this);
    byPaper_ = new QRadioButton(tr("Paper size"), this);
    longSide_ = new QSpinBox(this);
    longSide_->setRange(256, 32768);
    longSide_->setSuffix(tr(" px on the long side"));
    longSide_->setValue(initial.longSide);
    paper_ = new QComboBox(this);
    for (const auto& p : paperSizes()) paper_->addItem(QString::fromUtf8(p.name));
    paper_->setCurrentText("A3");
    dpi_ = new QDoubleSpinBox(this);
    dpi_->setRange(36, 2400);
    dpi_->setDecimals(0);
    dpi_->setSuffix(tr(" dpi"));
    dpi_->setValue(initial.dpi);
    dpi_->setToolTip(tr("Printed resolution, stored in the file. 300 dpi is photo quality."));
    format_ = new QComboBox(this);
    format_->addItem(tr("TIFF, 16 bits per channel"), "tif16");
    format_->addItem(tr("TIFF, 8 bits per channel"), "tif8");
    format_->addItem(tr("PNG, 16 bits per channel"), "png16");
    format_->addItem(tr("PNG, 8 bits per channel"), "png8");
    format_->addItem(tr("JPEG"), "jpg8");
    format_->setCurrentIndex(
        std::max(0, format_->findData(initial.format + QString::number(initial.bits))));
    look_ = new QComboBox(this);
    look_->setObjectName("printLook");
    look_->addItem(tr("As on screen, sharper"), int(PrintLook::Screen));
    look_->addItem(tr("Add detail at full resolution"), int(PrintLook::AddDetail));
    look_->setCurrentIndex(std::max(0, look_->findData(int(initial.look))));
    look_->setToolTip(
        tr("As on screen: the dream you see, enlarged, with fine detail added gently.\n"
           "Add detail: every octave dreamed again up to print size; the network adds new, small "
           "patterns all over the print."));
    quality_ = new QSpinBox(this);
    quality_->setRange(1, 100);
    quality_->setValue(initial.jpegQuality);
    size_ = new QLabel(this);
    estimateLabel_ = new QLabel(this);
    estimateLabel_->setWordWrap(true);

    auto* form = new QFormLayout;
    form->addRow(byPixels_, longSide_);
    form->addRow(byPaper_, paper_);
    form->addRow(tr("Resolution"), dpi_);
    form->addRow(tr("Look"), look_);
    form->addRow(tr("Format"), format_);
    form->addRow(tr("JPEG quality"), quality_);
    form->addRow(tr("Print"), size_);
    form->addRow(tr("Estimate"), estimateLabel_);
    previewButton_ = new QPushButton(tr("Preview 100 % Crop"), this);
    previewButton_->setObjectName("printPreviewButton");
    previewButton_->setToolTip(
        tr("Renders the middle of the print at full size in seconds, before the whole print"));
    preview_ = new QLabel(this);
    preview_->setObjectName("printPreview");
    preview_->setAlignment(Qt::AlignCenter);
    preview_->setMinimumSize(kPrintPreviewSize, kPrintPreviewSize);
    preview_->setWordWrap(true);
    preview_->setText(tr("The middle of the print at 100 %: press Preview."));
    preview_->setStyleSheet("QLabel { background: #2b2f36; color: #c8d0dc; }");
    form->addRow(previewButton_, preview_);
    connect(previewButton_, &QPushButton::clicked, this, [this] {
        showPreviewPending();
        Q_EMIT previewRequested(settings());
    });
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Render…"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);

    byPixels_->setChecked(true);
    for (QWidget* w : {static_cast<QWidget*>(byPixels_), static_cast<QWidget*>(byPaper_)})
        connect(qobject_cast<QRadioButton*>(w), &QRadioButton::toggled, this, &PrintDialog::update);
    connect(longSide_, &QSpinBox::valueChanged, this, &PrintDialog::update);
    connect(paper_, &QComboBox::currentIndexChanged, this, &PrintDialog::update);
    connect(dpi_, &QDoubleSpinBox::valueChanged, this, &PrintDialog::update);
    connect(format_, &QComboBox::currentIndexChanged, this, &PrintDialog::update);
    connect(look_, &QComboBox::currentIndexChanged, this, &PrintDialog::update);
    update();
}

PrintSettings PrintDialog::settings() const {
    PrintSettings s;
    s.dpi = dpi_->value();
    s.longSide = byPaper_->isChecked() ? paperLongSide(paperSizes()[paper_->currentIndex()], s.dpi)
                                       : longSide_->value();
    const QString f = format_->currentData().toString();
    s.format = f.left(3);
    s.bits = f.mid(3).toInt();
    s.jpegQuality = quality_->value();
    s.look = PrintLook(look_->currentData().toInt());
    return s;
}

QString PrintDialog::estimateText() const { return estimateLabel_->text(); }

void PrintDialog::showPreviewPending() {
    previewButton_->setEnabled(false);
    preview_->setPixmap({});
    preview_->setText(tr("Rendering the crop…"));
}

void PrintDialog::showPreview(const QImage& crop) {
    previewButton_->setEnabled(true);
    preview_->setPixmap(QPixmap::fromImage(crop));
}

void PrintDialog::showPreviewMessage(const QString& text) {
    previewButton_->setEnabled(true);
    preview_->setPixmap({});
    preview_->setText(text);
}

void PrintDialog::update() {
    longSide_->setEnabled(byPixels_->isChecked());
    paper_->setEnabled(byPaper_->isChecked());
    quality_->setEnabled(format_->currentData().toString() == "jpg8");
    const PrintSettings s = settings();
    const int w = aspect_ >= 1 ? s.longSide : static_cast<int>(std::lround(s.longSide * aspect_));
    const int h = aspect_ >= 1 ? static_cast<int>(std::lround(s.longSide / aspect_)) : s.longSide;
    size_->setText(tr("%1 × %2 px (%3 MP), %4 × %5 cm at %6 dpi")
                       .arg(w)
                       .arg(h)
                       .arg(w * double(h) / 1e6, 0, 'f', 1)
                       .arg(w / s.dpi * 2.54, 0, 'f', 1)
                       .arg(h / s.dpi * 2.54, 0, 'f', 1)
                       .arg(s.dpi));
    estimateLabel_->setText(estimate_ ? estimate_(w, h, s.look) : QString());
}

}  // namespace inceptionist::ui
