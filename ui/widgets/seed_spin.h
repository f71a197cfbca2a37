#pragma once
// A spin box for a whole 64-bit number, for the random seed: QSpinBox holds an int, and a seed
// from a preset or an export can be any 64-bit number, which must show whole.

#include <cstdint>

#include <QAbstractSpinBox>

namespace inceptionist::ui {

class SeedSpin : public QAbstractSpinBox {
    Q_OBJECT
public:
    explicit SeedSpin(QWidget* parent = nullptr);

    uint64_t value() const { return value_; }
    // Emits valueChanged when the value changes, as QSpinBox does.
    void setValue(uint64_t value);

    void stepBy(int steps) override;
    QValidator::State validate(QString& input, int& pos) const override;
    void fixup(QString& input) const override;

Q_SIGNALS:
    void valueChanged(quint64 value);

protected:
    StepEnabled stepEnabled() const override;

private:
    void commitText();
    uint64_t value_ = 0;
};

}  // namespace inceptionist::ui
