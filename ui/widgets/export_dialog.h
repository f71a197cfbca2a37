#pragma once
// The Export As dialog: Qt's own file dialog (the same on every desktop, so it can carry more)
// with a choice of size, each with its pixel dimensions: the dream as it is on the canvas (the
// working size), or the photo's own size, rendered as a print. It opens in the folder of the
// last export.

#include <QFileDialog>

class QComboBox;

namespace inceptionist::ui {

class ExportDialog : public QFileDialog {
    Q_OBJECT
public:
    enum class Size { Working, Photo };

    // `photo` empty (or equal to `working`): the working size is the only size offered.
    ExportDialog(QWidget* parent, const QString& folder, const QString& baseName, QSize working,
                 QSize photo);

    Size chosenSize() const;
    QSize chosenPixels() const;
    QComboBox* sizeBox() const { return sizeBox_; }

    // Name filters, and which of them writes 16 bits and which suffix.
    static QStringList filters();
    static int bitsOf(const QString& filter);
    static QString suffixOf(const QString& filter);

private:
    QComboBox* sizeBox_;
    QSize working_, photo_;
};

}  // namespace inceptionist::ui
