#pragma once
// A grid of labelled thumbnails that fill in one by one, each with its own small progress bar
// while it is being made. Clicking one activates it.

#include <QListWidget>

namespace inceptionist::ui {

class ThumbnailView : public QListWidget {
    Q_OBJECT
public:
    enum Role { KeyRole = Qt::UserRole + 1, ProgressRole, ErrorRole, ValueRole };

    explicit ThumbnailView(int thumbnailSize, QWidget* parent = nullptr);

    // Replaces the items: one per label, identified by key; `values` travel with the items.
    void setItems(const QStringList& labels, const QStringList& keys, const QVariantList& values);
    void setImage(const QString& key, const QImage& image);
    void setProgress(const QString& key, double fraction);
    void setError(const QString& key, const QString& message);
    // The images shown, in order, with their labels; null images for those not done.
    QList<QPair<QString, QImage>> images() const;
    int finishedCount() const;

Q_SIGNALS:
    void chosen(QVariant value);

private:
    QListWidgetItem* itemFor(const QString& key) const;
    int size_;
};

}  // namespace inceptionist::ui
