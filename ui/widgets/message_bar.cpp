#include "ui/widgets/message_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace inceptionist::ui {

MessageBar::MessageBar(QWidget* parent) : QFrame(parent) {
    label_ = new QLabel(this);
    label_->setWordWrap(true);
    label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* close = new QToolButton(this);
    close->setText(QStringLiteral("✕"));
    close->setToolTip(tr("Dismiss"));
    close->setAutoRaise(true);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->addWidget(label_, 1);
    layout->addWidget(close);
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

void MessageBar::present(const QString& text, const QString& style) {
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

QString MessageBar::text() const { return isHidden() ? QString() : label_->text(); }

}  // namespace inceptionist::ui
