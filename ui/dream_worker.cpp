#include "ui/dream_worker.h"

#include "core/errors.h"
#include "core/model_store.h"
#include "ui/image_convert.h"

namespace inceptionist::ui {

namespace {
constexpr double kPreviewInterval = 1.0 / 30;  // seconds; no screen needs more
}  // namespace

void RequestMailbox::post(DreamRequest request) {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_ = std::move(request);
    running_.cancel();
}

bool RequestMailbox::cancelAll() {
    std::lock_guard<std::mutex> lock(mutex_);
    const bool dropped = pending_.has_value();
    pending_.reset();
    running_.cancel();
    return dropped;
}

std::optional<DreamRequest> RequestMailbox::take(CancelToken& token) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::optional<DreamRequest> r;
    r.swap(pending_);
    if (r) {
        running_ = CancelToken();
        token = running_;
    }
    return r;
}

DreamWorker::DreamWorker(std::shared_ptr<RequestMailbox> mailbox, QString modelsDir)
    : mailbox_(std::move(mailbox)), modelsDir_(std::move(modelsDir)) {}

void DreamWorker::wake() {
    CancelToken token;
    while (auto request = mailbox_->take(token)) run(*request, token);
}

void DreamWorker::run(const DreamRequest& r, const CancelToken& token) {
    Q_EMIT started(r.id);
    try {
        const QString key = QString::fromStdString(r.params.model + "@" + r.params.device);
        if (!network_ || key != networkKey_) {
            network_.reset();
            network_ = Network::load(modelPath(modelsDirectory(modelsDir_.toStdString()), r.params.model),
                                     r.params.device);
            networkKey_ = key;
            Q_EMIT modelReady(QString::fromStdString(network_->manifest().displayName),
                              QString::fromStdString(network_->device()));
        }
        if (r.source.cacheKey() != sourceKey_ || source_.empty()) {
            source_ = r.source.isNull() ? cv::Mat() : toMat(r.source);
            sourceKey_ = r.source.cacheKey();
        }
        DreamCallbacks callbacks;
        callbacks.previewIntervalSeconds = kPreviewInterval;
        callbacks.progress = [&](const DreamProgress& p) { Q_EMIT progress(r.id, p); };
        callbacks.tileDone = callbacks.progress;
        callbacks.preview = [&](const cv::Mat& image, const DreamProgress&) { Q_EMIT preview(r.id, toQImage(image)); };
        const cv::Mat result = dream(*network_, source_, r.params, callbacks, token);
        Q_EMIT finished(r.id, toQImage(result));
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::Cancelled) Q_EMIT cancelled(r.id);
        else Q_EMIT failed(r.id, QString::fromUtf8(e.what()));
    } catch (const std::exception& e) {
        Q_EMIT failed(r.id, QString::fromUtf8(e.what()));
    }
}

}  // namespace inceptionist::ui
