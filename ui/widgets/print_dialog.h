#pragma once
// "Render Print…": the print's size in pixels, or a paper size and resolution; the file format;
// and, before anything starts, an estimate of the time and memory it will take.

#include <functional>
#include <vector>

#include <QDialog>

#include "core/render/print_plan.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QRadioButton;
class QSpinBox;

namespace inceptionist::ui {

struct PaperSize {
    const char* name;
    double shortMm, longMm;
};
const std::vector<PaperSize>& paperSizes();
// Pixels on the long side of `paper` printed at `dpi`.
int paperLongSide(const PaperSize& paper, double dpi);

struct PrintSettings {
    int longSide = 6000;
    double dpi = 300;
    QString format = "tif";  // "png", "tif" or "jpg"
    int bits = 16;
    int jpegQuality = 95;
    PrintLook look = PrintLook::Screen;
};

class PrintDialog : public QDialog {
    Q_OBJECT
public:
    // `aspect` = width / height of the image; `estimate` says what a print of width × height in
    // a look will take.
    using Estimate = std::function<QString(int width, int height, PrintLook look)>;
    PrintDialog(const PrintSettings& initial, double aspect, const Estimate& estimate,
                QWidget* parent = nullptr);
    PrintSettings settings() const;
    QString estimateText() const;

    // The preview of a 100 % crop: shown when rendered, or a line saying why there is none.
    void showPreviewPending();
    void showPreview(const QImage& crop);
    void showPreviewMessage(const QString& text);
    class QPushButton* previewButton() const {
        return previewButton_;
    }
    const QLabel* previewLabel() const { return preview_; }

Q_SIGNALS:
    // The person asked to see a 100 % crop of the print as set now.
    void previewRequested(inceptionist::ui::PrintSettings settings);

private:
    void update();

    double aspect_;
    Estimate estimate_;
    QRadioButton* byPixels_;
    QRadioButton* byPaper_;
    QSpinBox* longSide_;
    QComboBox* paper_;
    QDoubleSpinBox* dpi_;
    QComboBox* format_;
    QComboBox* look_;
    QSpinBox* quality_;
    QLabel* size_;
    QLabel* estimateLabel_;
    class QPushButton* previewButton_;
    QLabel* preview_;
};

}  // namespace inceptionist::ui
