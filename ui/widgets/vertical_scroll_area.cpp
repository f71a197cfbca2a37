#include "ui/widgets/vertical_scroll_area.h"

#include <algorithm>

#include <QEvent>
#include <QScrollBar>

namespace inceptionist::ui {

VerticalScrollArea::VerticalScrollArea(QWidget* parent) : QScrollArea(parent) {
    setWidgetResizable(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
}

void VerticalScrollArea::setWidget(QWidget* widget) {
    QScrollArea::setWidget(widget);
    widget->installEventFilter(this);
    updateGeometry();
}

QSize VerticalScrollArea::minimumSizeHint() const {
    QSize hint = QScrollArea::minimumSizeHint();
    if (widget())
        hint.setWidth(widget()->minimumSizeHint().width() +
                      verticalScrollBar()->sizeHint().width() + 2 * frameWidth());
    return hint;
}

QSize VerticalScrollArea::sizeHint() const {
    QSize hint = QScrollArea::sizeHint();
    hint.setWidth(std::max(hint.width(), minimumSizeHint().width()));
    return hint;
}

bool VerticalScrollArea::eventFilter(QObject* watched, QEvent* event) {
    // The contents' layout changed (a panel shown, a longer label): so may their minimum width.
    if (watched == widget() && event->type() == QEvent::LayoutRequest) updateGeometry();
    return QScrollArea::eventFilter(watched, event);
}

}  // namespace inceptionist::ui
