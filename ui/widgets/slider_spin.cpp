#include "ui/widgets/slider_spin.h"

#include <cmath>

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QSlider>

namespace inceptionist::ui {

namespace {
constexpr int kSliderSteps = 1000;  // resolution of a logarithmic slider
}  // namespace

SliderSpin::SliderSpin(double minimum, double maximum, int decimals, bool logarithmic,
                       QWidget* parent)
    : QWidget(parent), min_(minimum), max_(maximum), log_(logarithmic) {
    slider_ = new QSlider(Qt::Horizontal, this);
    spin_ = new QDoubleSpinBox(this);
    spin_->setDecimals(decimals);
    spin_->setRange(minimum, maximum);
    spin_->setSingleStep(decimals == 0 ? 1.0 : std::pow(10.0, -decimals));
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
    min_ = minimum;
    max_ = maximum;
    updating_ = true;
    spin_->setRange(minimum, maximum);
    if (log_)
        slider_->setRange(0, kSliderSteps);
    else
        slider_->setRange(static_cast<int>(std::lround(minimum * std::pow(10, spin_->decimals()))),
                          static_cast<int>(std::lround(maximum * std::pow(10, spin_->decimals()))));
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
        return static_cast<int>(
            std::lround(std::log(v / min_) / std::log(max_ / min_) * kSliderSteps));
    return static_cast<int>(std::lround(v * std::pow(10, spin_->decimals())));
}

double SliderSpin::fromSlider(int position) const {
    if (log_) return min_ * std::pow(max_ / min_, double(position) / kSliderSteps);
    return position / std::pow(10, spin_->decimals());
}

}  // namespace inceptionist::ui
