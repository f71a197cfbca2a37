#pragma once
// The Mask tool's controls, shown in their own toolbar while the tool is on: brush size ([ and ]
// change it too), eraser, the mask's feather (a dream parameter, so an undo step), Clear and
// Invert.

#include <QWidget>

class QDoubleSpinBox;
class QSpinBox;
class QToolButton;

namespace inceptionist::ui {

class MaskPainter;

class MaskPanel : public QWidget {
    Q_OBJECT
public:
    MaskPanel(MaskPainter* painter, QWidget* parent = nullptr);

    // The feather the parameters hold, shown without emitting featherEdited.
    void setFeather(double percent);
    QSpinBox* brushBox() const { return brush_; }
    QDoubleSpinBox* featherBox() const { return feather_; }

Q_SIGNALS:
    void featherEdited(double percent);
    void clearRequested();
    void invertRequested();

private:
    MaskPainter* painter_;
    QSpinBox* brush_;
    QDoubleSpinBox* feather_;
    QToolButton* eraser_;
};

}  // namespace inceptionist::ui
