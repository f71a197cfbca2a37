#include "ui/widgets/slider_spin.h"

#include <cmath>

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QSlider>

namespace inceptionist::ui {

namespace {

constexpr int kSliderSteps = 1000;  // resolution of a logarithmic slider

// Shows no trailing zeros, so a spin box with the decimals a tiny step size needs still shows
// 0.01 rather than 0.010000.
class TrimmedSpinBox : public QDoubleSpinBox {
public:
    using QDoubleSpinBox::QDoubleSpinBox;
    QString textFromValue(double value) const override {
        QString text = QDoubleSpinBox::textFromValue(value);
        const QChar point = locale().decimalPoint().front();
        if (!text.contains(point)) return text;
        while (text.endsWith('0')) text.chop(1);
        if (text.endsWith(point)) text.chop(1);
        return text;
    }
};

}  // namespace

SliderSpin::SliderSpin(double minimum, double maximum, int decimals, bool logarithmic,
                       QWidget* parent)
    : QWidget(parent), sliderMin_(minimum), sliderMax_(maximum), log_(logarithmic) {
    slider_ = new QSlider(Qt::Horizontal, this);
    spin_ = new TrimmedSpinBox(this);
    spin_->setDecimals(decimals);
    spin_->setRange(minimum, maximum);
    spin_->setSingleStep(decimals == 0 ? 1.0 : std::pow(10.0, -decimals));
    // Over decades a fixed step is too small at one end and too large at the other.
    if (logarithmic) spin_->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
    spin_->setKeyboardTracking(false);
    spin_->setMinimumWidth(80);
    setRange(minimum, maximum);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(slider_, 1);
    layout->addWidget(spin_);
    connect(slider_, &QSlider::valueChanged, this, [this](int position) {
        if (updating_) return;
        const double v = fromSlider(position);
        updating_ = true;
        spin_->setValue(v);
        updating_ = false;
        Q_EMIT valueEdited(spin_->value());
    });
    connect(spin_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        if (updating_) return;
        updating_ = true;
        slider_->setValue(toSlider(v));
        updating_ = false;
        Q_EMIT valueEdited(v);
    });
}

void SliderSpin::setRange(double minimum, double maximum) {
    updating_ = true;
    spin_->setRange(minimum, maximum);
    updating_ = false;
    setSliderRange(minimum, maximum);
}

void SliderSpin::setSliderRange(double minimum, double maximum) {
    sliderMin_ = minimum;
    sliderMax_ = maximum;
    updating_ = true;
    if (log_)
        slider_->setRange(0, kSliderSteps);
    else
        slider_->setRange(static_cast<int>(std::lround(minimum * std::pow(10, spin_->decimals()))),
                          static_cast<int>(std::lround(maximum * std::pow(10, spin_->decimals()))));
    slider_->setValue(toSlider(spin_->value()));
    updating_ = false;
}

double SliderSpin::value() const { return spin_->value(); }

void SliderSpin::setValue(double v) {
    updating_ = true;
    spin_->setValue(v);
    slider_->setValue(toSlider(v));
    updating_ = false;
}

void SliderSpin::setToolTips(const QString& tip) {
    setToolTip(tip);
    slider_->setToolTip(tip);
    spin_->setToolTip(tip);
}

bool SliderSpin::isDragging() const { return slider_->isSliderDown(); }

int SliderSpin::toSlider(double v) const {
    if (log_)
        return static_cast<int>(std::lround(std::log(v / sliderMin_) /
                                            std::log(sliderMax_ / sliderMin_) * kSliderSteps));
    return static_cast<int>(std::lround(v * std::pow(10, spin_->decimals())));
}

double SliderSpin::fromSlider(int position) const {
    if (log_) {
        // Two significant digits: round values to remember (0.012, not 0.012882), as fine as
        // the slider can place them.
        const double v =
            sliderMin_ * std::pow(sliderMax_ / sliderMin_, double(position) / kSliderSteps);
        const double unit = std::pow(10.0, std::floor(std::log10(v)) - 1);
        return std::round(v / unit) * unit;
    }
    return position / std::pow(10, spin_->decimals());
}

}  // namespace inceptionist::ui
