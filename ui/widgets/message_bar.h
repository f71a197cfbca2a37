#pragma once
// A strip above the canvas that shows an error or notice without blocking: the window stays
// usable and the person closes it when they have read it.

#include <functional>

#include <QFrame>

class QLabel;
class QPushButton;

namespace inceptionist::ui {

class MessageBar : public QFrame {
    Q_OBJECT
public:
    explicit MessageBar(QWidget* parent = nullptr);
    void showError(const QString& text);
    void showNotice(const QString& text);
    // An error with a button that answers it (such as choosing a models folder).
    void showErrorWithAction(const QString& text, const QString& actionText,
                             std::function<void()> action);
    // A notice with a button that follows it up (such as showing an exported file's folder).
    void showNoticeWithAction(const QString& text, const QString& actionText,
                              std::function<void()> action);
    QPushButton* actionButton() const { return action_; }
    QString text() const;

private:
    void present(const QString& text, const QString& style);
    QLabel* label_;
    QPushButton* action_;
    std::function<void()> onAction_;
};

}  // namespace inceptionist::ui
