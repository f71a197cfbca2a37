#pragma once
// A slider with a spin box beside it, kept in step, for one numeric parameter. Doubles map onto
// the slider in `decimals` steps; `logarithmic` spreads values like step sizes evenly. The
// slider may cover less than the spin box (setSliderRange): a value beyond it shows whole in
// the spin box while the slider rests at its end.

#include <QWidget>

class QSlider;
class QDoubleSpinBox;

namespace inceptionist::ui {

class SliderSpin : public QWidget {
    Q_OBJECT
public:
    SliderSpin(double minimum, double maximum, int decimals, bool logarithmic = false,
               QWidget* parent = nullptr);

    double value() const;
    void setValue(double v);                        // no valueEdited
    void setRange(double minimum, double maximum);  // of both
    void setSliderRange(double minimum, double maximum);
    void setToolTips(const QString& tip);
    bool isDragging() const;
    QSlider* slider() const { return slider_; }
    QDoubleSpinBox* spinBox() const { return spin_; }

Q_SIGNALS:
    // The person changed the value (slider moved, spin box edited).
    void valueEdited(double value);

private:
    int toSlider(double v) const;
    double fromSlider(int position) const;

    QSlider* slider_;
    QDoubleSpinBox* spin_;
    double sliderMin_, sliderMax_;
    bool log_;
    bool updating_ = false;
};

}  // namespace inceptionist::ui
