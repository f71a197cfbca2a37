#include "ui/widgets/thumbnail_view.h"

#include <QPainter>
#include <QStyledItemDelegate>

namespace inceptionist::ui {

namespace {

constexpr int kLabelHeight = 22;
constexpr int kBarHeight = 4;
constexpr int kPadding = 6;
constexpr int kImageRole = Qt::UserRole + 10;

class ThumbnailDelegate : public QStyledItemDelegate {
public:
    explicit ThumbnailDelegate(int size, QObject* parent)
        : QStyledItemDelegate(parent), size_(size) {}

    QSize sizeHint(const QStyleOptionViewItem&, const QModelIndex&) const override {
        return {size_ + 2 * kPadding, size_ + kLabelHeight + 2 * kPadding};
    }

    void paint(QPainter* p, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override {
        p->save();
        const QRect r = option.rect.adjusted(2, 2, -2, -2);
        const bool selected = option.state & QStyle::State_Selected;
        p->fillRect(r, selected ? option.palette.highlight().color().darker(140)
                                : option.palette.base().color().darker(110));
        const QRect box(r.left() + kPadding - 2, r.top() + kPadding - 2, size_, size_);
        const QImage image = index.data(kImageRole).value<QImage>();
        if (!image.isNull()) {
            const QSize fitted = image.size().scaled(box.size(), Qt::KeepAspectRatio);
            const QRect target(box.center() - QPoint(fitted.width() / 2, fitted.height() / 2),
                               fitted);
            p->setRenderHint(QPainter::SmoothPixmapTransform);
            p->drawImage(target, image);
        } else {
            p->fillRect(box, option.palette.window().color().darker(130));
            p->setPen(option.palette.placeholderText().color());
            const QString error = index.data(ThumbnailView::ErrorRole).toString();
            p->drawText(box.adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap,
                        error.isEmpty() ? QObject::tr("waiting…") : error);
        }
        const double progress = index.data(ThumbnailView::ProgressRole).toDouble();
        if (progress > 0 && progress < 1) {
            const QRect bar(box.left(), box.bottom() - kBarHeight, box.width(), kBarHeight);
            p->fillRect(bar, QColor(0, 0, 0, 140));
            p->fillRect(
                QRect(bar.topLeft(), QSize(static_cast<int>(bar.width() * progress), bar.height())),
                option.palette.highlight());
        }
        p->setPen(option.palette.text().color());
        p->drawText(QRect(r.left(), box.bottom() + 2, r.width(), kLabelHeight), Qt::AlignCenter,
                    index.data(Qt::DisplayRole).toString());
        p->restore();
    }

private:
    int size_;
};

}  // namespace

ThumbnailView::ThumbnailView(int thumbnailSize, QWidget* parent)
    : QListWidget(parent), size_(thumbnailSize) {
    setViewMode(QListView::IconMode);
    setResizeMode(QListView::Adjust);
    setMovement(QListView::Static);
    setUniformItemSizes(true);
    setWrapping(true);
    setSpacing(4);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setItemDelegate(new ThumbnailDelegate(thumbnailSize, this));
    connect(this, &QListWidget::itemClicked, this,
            [this](QListWidgetItem* item) { Q_EMIT chosen(item->data(ValueRole)); });
    connect(this, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { Q_EMIT chosen(item->data(ValueRole)); });
}

void ThumbnailView::setItems(const QStringList& labels, const QStringList& keys,
                             const QVariantList& values) {
    clear();
    for (int i = 0; i < labels.size(); ++i) {
        auto* item = new QListWidgetItem(labels[i], this);
        item->setData(KeyRole, keys[i]);
        item->setData(ValueRole, values.value(i));
        item->setData(ProgressRole, 0.0);
        item->setToolTip(labels[i]);
    }
}

QListWidgetItem* ThumbnailView::itemFor(const QString& key) const {
    for (int i = 0; i < count(); ++i)
        if (item(i)->data(KeyRole).toString() == key) return item(i);
    return nullptr;
}

void ThumbnailView::setImage(const QString& key, const QImage& image) {
    if (QListWidgetItem* it = itemFor(key)) {
        it->setData(kImageRole, image);
        it->setData(ProgressRole, 1.0);
    }
}

void ThumbnailView::setProgress(const QString& key, double fraction) {
    if (QListWidgetItem* it = itemFor(key)) it->setData(ProgressRole, fraction);
}

void ThumbnailView::setError(const QString& key, const QString& message) {
    if (QListWidgetItem* it = itemFor(key)) {
        it->setData(ErrorRole, message);
        it->setToolTip(message);
    }
}

QList<QPair<QString, QImage>> ThumbnailView::images() const {
    QList<QPair<QString, QImage>> out;
    for (int i = 0; i < count(); ++i)
        out.append({item(i)->text(), item(i)->data(kImageRole).value<QImage>()});
    return out;
}

int ThumbnailView::finishedCount() const {
    int n = 0;
    for (int i = 0; i < count(); ++i)
        n += item(i)->data(kImageRole).value<QImage>().isNull() ? 0 : 1;
    return n;
}

}  // namespace inceptionist::ui
