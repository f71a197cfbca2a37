#include "ui/widgets/export_dialog.h"

#include <QComboBox>
#include <QGridLayout>
#include <QLabel>

namespace inceptionist::ui {

ExportDialog::ExportDialog(QWidget* parent, const QString& folder, const QString& baseName,
                           QSize working, QSize photo)
    : QFileDialog(parent, tr("Export Image"), folder + "/" + baseName + ".png"),
      working_(working),
      photo_(photo) {
    setOption(QFileDialog::DontUseNativeDialog);  // a native dialog cannot show the sizes
    setAcceptMode(QFileDialog::AcceptSave);
    setNameFilters(filters());
    sizeBox_ = new QComboBox(this);
    sizeBox_->setObjectName("exportSize");
    sizeBox_->addItem(tr("As on the canvas (working size): %1 × %2 px")
                          .arg(working.width())
                          .arg(working.height()),
                      int(Size::Working));
    if (photo.isValid() && photo != working)
        sizeBox_->addItem(tr("The photo's own size, rendered as a print: %1 × %2 px")
                              .arg(photo.width())
                              .arg(photo.height()),
                          int(Size::Photo));
    sizeBox_->setToolTip(
        tr("The canvas dreams at the working size. At the photo's size the dream is rendered "
           "again, as Render Print does, in the background."));
    // QFileDialog's own widget layout is a grid: the size goes in a row of its own below.
    if (auto* grid = qobject_cast<QGridLayout*>(layout())) {
        const int row = grid->rowCount();
        grid->addWidget(new QLabel(tr("Size:"), this), row, 0);
        grid->addWidget(sizeBox_, row, 1, 1, grid->columnCount() - 1);
    }
}

ExportDialog::Size ExportDialog::chosenSize() const {
    return static_cast<Size>(sizeBox_->currentData().toInt());
}

QSize ExportDialog::chosenPixels() const { return chosenSize() == Size::Photo ? photo_ : working_; }

QStringList ExportDialog::filters() {
    return {tr("PNG, 16 bits per channel (*.png)"), tr("PNG, 8 bits per channel (*.png)"),
            tr("TIFF, 16 bits per channel (*.tif *.tiff)"),
            tr("TIFF, 8 bits per channel (*.tif *.tiff)"), tr("JPEG (*.jpg *.jpeg)")};
}

// In the order of filters(): PNG 16, PNG 8, TIFF 16, TIFF 8, JPEG.
int ExportDialog::bitsOf(const QString& filter) {
    const int i = int(filters().indexOf(filter));
    return (i == 0 || i == 2) ? 16 : 8;
}

QString ExportDialog::suffixOf(const QString& filter) {
    const int i = int(filters().indexOf(filter));
    return i == 4 ? "jpg" : (i == 2 || i == 3) ? "tif" : "png";
}

}  // namespace inceptionist::ui
