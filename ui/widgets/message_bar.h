#pragma once
// A strip above the canvas that shows an error or notice without blocking: the window stays
// usable and the person closes it when they have read it.

#include <QFrame>

class QLabel;

namespace inceptionist::ui {

class MessageBar : public QFrame {
    Q_OBJECT
public:
    explicit MessageBar(QWidget* parent = nullptr);
    void showError(const QString& text);
    void showNotice(const QString& text);
    QString text() const;

private:
    void present(const QString& text, const QString& style);
    QLabel* label_;
};

}  // namespace inceptionist::ui
