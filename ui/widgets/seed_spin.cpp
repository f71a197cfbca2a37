#include "ui/widgets/seed_spin.h"

#include <limits>

#include <QLineEdit>

namespace inceptionist::ui {

namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

bool parse(const QString& text, uint64_t* value) {
    if (text.isEmpty()) return false;
    for (const QChar c : text)
        if (!c.isDigit()) return false;
    bool ok = false;
    *value = text.toULongLong(&ok);
    return ok;  // false beyond 2^64 - 1
}

}  // namespace

SeedSpin::SeedSpin(QWidget* parent) : QAbstractSpinBox(parent) {
    setKeyboardTracking(false);
    lineEdit()->setText(QStringLiteral("0"));
    connect(this, &QAbstractSpinBox::editingFinished, this, &SeedSpin::commitText);
}

void SeedSpin::setValue(uint64_t value) {
    const bool changed = value != value_;
    value_ = value;
    lineEdit()->setText(QString::number(value_));
    if (changed) Q_EMIT valueChanged(value_);
}

void SeedSpin::commitText() {
    uint64_t v = 0;
    if (parse(text(), &v))
        setValue(v);
    else
        lineEdit()->setText(QString::number(value_));
}

void SeedSpin::stepBy(int steps) {
    commitText();
    uint64_t v = value_;
    if (steps > 0)
        v = kMax - v < uint64_t(steps) ? kMax : v + uint64_t(steps);
    else if (steps < 0)
        v = v < uint64_t(-int64_t(steps)) ? 0 : v - uint64_t(-int64_t(steps));
    setValue(v);
    selectAll();
}

QValidator::State SeedSpin::validate(QString& input, int&) const {
    if (input.isEmpty()) return QValidator::Intermediate;
    uint64_t v = 0;
    return parse(input, &v) ? QValidator::Acceptable : QValidator::Invalid;
}

void SeedSpin::fixup(QString& input) const { input = QString::number(value_); }

QAbstractSpinBox::StepEnabled SeedSpin::stepEnabled() const {
    StepEnabled e = StepNone;
    if (value_ < kMax) e |= StepUpEnabled;
    if (value_ > 0) e |= StepDownEnabled;
    return e;
}

}  // namespace inceptionist::ui
