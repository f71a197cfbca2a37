#include "ui/widgets/message_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>

namespace inceptionist::ui {

MessageBar::MessageBar(QWidget* parent) : QFrame(parent) {
    label_ = new QLabel(this);
    label_->setWordWrap(true);
    label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    action_ = new QPushButton(this);
    action_->setObjectName("messageAction");
    action_->hide();
    connect(action_, &QPushButton::clicked, this, [this] {
        if (onAction_) onAction_();
    });
    auto* close = new QToolButton(this);
    close->setText(QStringLiteral("✕"));
    close->setToolTip(tr("Dismiss"));
    close->setAutoRaise(true);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->addWidget(label_, 1);
    layout->addWidget(action_);
    layout->addWidget(close);
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

void MessageBar::present(const QString& text, const QString& style) {
    action_->hide();
    onAction_ = nullptr;
    label_->setText(text);
    setStyleSheet(style);
    show();
}

void MessageBar::showError(const QString& text) {
    present(text,
            "inceptionist--ui--MessageBar { background: #5c1f24; border-radius: 4px; } QLabel { "
            "color: #ffe9ea; }");
}

void MessageBar::showNotice(const QString& text) {
    present(text,
            "inceptionist--ui--MessageBar { background: #1f3d5c; border-radius: 4px; } QLabel { "
            "color: #e9f3ff; }");
}

void MessageBar::showErrorWithAction(const QString& text, const QString& actionText,
                                     std::function<void()> action) {
    showError(text);
    onAction_ = std::move(action);
    action_->setText(actionText);
    action_->show();
}

void MessageBar::showNoticeWithAction(const QString& text, const QString& actionText,
                                      std::function<void()> action) {
    showNotice(text);
    onAction_ = std::move(action);
    action_->setText(actionText);
    action_->show();
}

QString MessageBar::text() const { return isHidden() ? QString() : label_->text(); }

}  // namespace inceptionist::ui
