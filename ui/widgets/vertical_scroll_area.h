#pragma once
// A scroll area that scrolls only up and down: it is never narrower than its contents' minimum
// width plus its vertical scroll bar, so the dock or layout holding it makes room instead of
// scrolling sideways (a sideways scroll bar cut off a few pixels of the Dream dock's tabs and
// spin boxes). It follows the contents as their minimum width changes.

#include <QScrollArea>

namespace inceptionist::ui {

class VerticalScrollArea : public QScrollArea {
    Q_OBJECT
public:
    explicit VerticalScrollArea(QWidget* parent = nullptr);

    void setWidget(QWidget* widget);
    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
};

}  // namespace inceptionist::ui
