#include "ui/model/batch_job.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

#include <opencv2/core.hpp>

#include "core/io/image_io.h"
#include "core/params/dream_chain.h"
#include "core/params/errors.h"
#include "core/render/dreamer.h"
#include "core/render/print_plan.h"

namespace inceptionist::ui {

namespace {

const QRegularExpression& batchResultName() {
    static const QRegularExpression re("-dream(-\\d+)?$");
    return re;
}

QString tr(const char* text) { return QCoreApplication::translate("BatchSequence", text); }

}  // namespace

QStringList batchPhotos(const QString& folder) {
    const QStringList patterns = {"*.jpg", "*.jpeg", "*.png", "*.tif", "*.tiff", "*.webp", "*.bmp",
                                  "*.JPG", "*.JPEG", "*.PNG", "*.TIF", "*.TIFF", "*.WEBP", "*.BMP"};
    QStringList photos;
    QDir dir(folder);
    for (const QString& name : dir.entryList(patterns, QDir::Files | QDir::Readable, QDir::Name))
        if (!batchResultName().match(QFileInfo(name).completeBaseName()).hasMatch())
            photos << dir.filePath(name);
    photos.removeDuplicates();  // a case-insensitive file system lists some twice
    return photos;
}

QString batchOutputPath(const QString& photo, const BatchRequest& request) {
    const QFileInfo info(photo);
    const QString folder =
        request.outputFolder.isEmpty() ? info.absolutePath() : request.outputFolder;
    const QString stem = folder + "/" + info.completeBaseName() + "-dream";
    QString path = stem + "." + request.format;
    for (int n = 2; QFileInfo::exists(path); ++n)
        path = stem + "-" + QString::number(n) + "." + request.format;
    return path;
}

BatchSequence::BatchSequence(BatchRequest request) : request_(std::move(request)) {}

void BatchSequence::runItem(size_t item, const Network& network, const CancelToken& cancel,
                            const Progress& progress) {
    const QString photo = request_.photos.at(int(item));
    const QString name = QFileInfo(photo).fileName();
    cv::Mat image;
    try {
        image = readImage(photo.toStdString());
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::Cancelled) throw;
        std::lock_guard<std::mutex> lock(mutex_);
        skipped_.push_back({photo, QString::fromUtf8(e.what())});
        return;  // the other photos go on
    }
    const DreamParams p = request_.photoSize
                              ? printParams(request_.params, std::max(image.cols, image.rows))
                              : request_.params;
    DreamCallbacks callbacks;
    callbacks.progress = [&](const DreamProgress& d) {
        progress(workFraction(d, p.octaveScale), tr("Photo %1 of %2 · %3 · octave %4/%5")
                                                     .arg(item + 1)
                                                     .arg(itemCount())
                                                     .arg(name)
                                                     .arg(d.octave + 1)
                                                     .arg(d.octaves));
    };
    callbacks.tileDone = callbacks.progress;
    cv::Mat result;
    try {
        result = dream(network, image, p, callbacks, cancel);
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::Cancelled) throw;
        std::lock_guard<std::mutex> lock(mutex_);  // too small for the layers, say
        skipped_.push_back({photo, QString::fromUtf8(e.what())});
        return;
    }
    WriteOptions o;
    o.bitDepth = request_.format == "jpg" ? 8 : request_.bits;
    o.metadata = DreamChain{{}, p}.toJson().dump();
    o.cancelled = [&cancel] { return cancel.cancelled(); };
    const QString out = batchOutputPath(photo, request_);
    writeImage(out.toStdString(), result, o);  // a full disk fails the batch, naming the file
    std::lock_guard<std::mutex> lock(mutex_);
    written_ << out;
}

QStringList BatchSequence::written() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return written_;
}

std::vector<BatchSequence::Skipped> BatchSequence::skipped() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return skipped_;
}

}  // namespace inceptionist::ui
