#pragma once
// Images held by undo steps, bounded in bytes. Recent snapshots stay in memory so undo and redo
// restore them instantly; once the snapshots in memory exceed the budget, the oldest are
// compressed (zlib) into a spill file and read back only when an undo reaches them. At print
// sizes a hundred full images would otherwise hold gigabytes.

#include <memory>
#include <vector>

#include <QImage>
#include <QString>
#include <QTemporaryDir>

namespace inceptionist::ui {

class ImageSnapshot {
public:
    explicit ImageSnapshot(QImage image);
    ~ImageSnapshot();
    ImageSnapshot(const ImageSnapshot&) = delete;
    ImageSnapshot& operator=(const ImageSnapshot&) = delete;

    // The image, read back from the spill file when it was spilled.
    QImage image() const;
    bool inMemory() const { return !image_.isNull() || spillFile_.isEmpty(); }
    qint64 bytes() const { return bytes_; }
    qint64 cacheKey() const { return key_; }
    // Writes the pixels to `file` compressed and drops them from memory; false if it could not
    // write (then the image stays in memory).
    bool spillTo(const QString& file);

    // What image() reads, taken on the thread that owns the snapshot so that another thread can
    // read the pixels later (the autosave): the image itself while in memory, else the spill
    // file's name. The snapshot must outlive the reading (it removes its file when destroyed).
    struct Frozen {
        QImage image;
        QString spillFile;
        QSize size;
        QImage::Format format = QImage::Format_Invalid;
        QImage load() const;
    };
    Frozen freeze() const { return {image_, spillFile_, size_, format_}; }

private:
    QImage image_;
    QString spillFile_;
    QSize size_;
    QImage::Format format_ = QImage::Format_Invalid;
    qint64 bytes_ = 0;
    qint64 key_ = 0;
};

using SnapshotPtr = std::shared_ptr<ImageSnapshot>;

class SnapshotStore {
public:
    static constexpr qint64 kDefaultBudgetBytes = qint64(512) << 20;

    SnapshotPtr make(const QImage& image);
    // Spills the oldest snapshots in memory until the rest fit the budget, except images (by
    // cache key) that stay in memory anyway because the window shows them.
    void enforce(const std::vector<qint64>& keep);
    // Bytes of the distinct images the snapshots hold in memory.
    qint64 bytesInMemory() const;
    int spilledCount() const;
    void setBudget(qint64 bytes) { budget_ = bytes; }
    qint64 budget() const { return budget_; }

private:
    void forgetExpired();

    std::vector<std::weak_ptr<ImageSnapshot>> order_;  // oldest first
    std::unique_ptr<QTemporaryDir> spillDir_;
    qint64 budget_ = kDefaultBudgetBytes;
    quint64 nextFile_ = 0;
};

}  // namespace inceptionist::ui
