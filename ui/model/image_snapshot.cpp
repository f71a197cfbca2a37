#include "ui/model/image_snapshot.h"

#include <algorithm>
#include <set>

#include <QDir>
#include <QFile>
#include <QSaveFile>

namespace inceptionist::ui {

namespace {
// Fast zlib: old undo steps are written once and rarely read, and the GUI thread does it.
constexpr int kCompressionLevel = 1;
}  // namespace

ImageSnapshot::ImageSnapshot(QImage image)
    : image_(std::move(image)),
      size_(image_.size()),
      format_(image_.format()),
      bytes_(image_.sizeInBytes()),
      key_(image_.cacheKey()) {}

ImageSnapshot::~ImageSnapshot() {
    if (!spillFile_.isEmpty()) QFile::remove(spillFile_);
}

QImage ImageSnapshot::image() const { return freeze().load(); }

QImage ImageSnapshot::Frozen::load() const {
    if (!image.isNull() || spillFile.isEmpty()) return image;
    QFile f(spillFile);
    if (!f.open(QIODevice::ReadOnly)) return {};
    const QByteArray raw = qUncompress(f.readAll());
    QImage back(size, format);
    if (back.isNull() || raw.size() != back.sizeInBytes()) return {};
    std::copy(raw.constBegin(), raw.constEnd(), reinterpret_cast<char*>(back.bits()));
    return back;
}

bool ImageSnapshot::spillTo(const QString& file) {
    if (image_.isNull() || !spillFile_.isEmpty()) return false;
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly)) return false;
    const QByteArray raw = QByteArray::fromRawData(
        reinterpret_cast<const char*>(image_.constBits()), image_.sizeInBytes());
    if (out.write(qCompress(raw, kCompressionLevel)) < 0 || !out.commit()) return false;
    spillFile_ = file;
    image_ = QImage();
    return true;
}

SnapshotPtr SnapshotStore::make(const QImage& image) {
    auto snapshot = std::make_shared<ImageSnapshot>(image);
    order_.push_back(snapshot);
    return snapshot;
}

void SnapshotStore::forgetExpired() {
    order_.erase(
        std::remove_if(order_.begin(), order_.end(), [](const auto& w) { return w.expired(); }),
        order_.end());
}

qint64 SnapshotStore::bytesInMemory() const {
    std::set<qint64> seen;
    qint64 total = 0;
    for (const auto& w : order_)
        if (auto s = w.lock(); s && s->inMemory() && seen.insert(s->cacheKey()).second)
            total += s->bytes();
    return total;
}

int SnapshotStore::spilledCount() const {
    return int(std::count_if(order_.begin(), order_.end(), [](const auto& w) {
        auto s = w.lock();
        return s && !s->inMemory();
    }));
}

void SnapshotStore::enforce(const std::vector<qint64>& keep) {
    forgetExpired();
    for (const auto& w : order_) {
        if (bytesInMemory() <= budget_) return;
        auto s = w.lock();
        if (!s || !s->inMemory() ||
            std::find(keep.begin(), keep.end(), s->cacheKey()) != keep.end())
            continue;
        if (!spillDir_)
            spillDir_ =
                std::make_unique<QTemporaryDir>(QDir::tempPath() + "/inceptionist-undo-XXXXXX");
        if (!spillDir_->isValid()) return;  // nowhere to spill: memory it is
        s->spillTo(spillDir_->filePath(QString("%1.z").arg(nextFile_++)));
    }
}

}  // namespace inceptionist::ui
