#include "ui/model/dream_worker.h"

#include "core/engine/memory_reuse.h"
#include "core/io/image_io.h"
#include "core/model/model_store.h"
#include "core/params/errors.h"
#include "ui/model/image_convert.h"

namespace inceptionist::ui {

namespace {
constexpr double kPreviewInterval = 1.0 / 30;  // seconds; no screen needs more
}  // namespace

void RequestMailbox::post(DreamRequest request) {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_ = std::move(request);
    running_.cancel();
    backgroundRunning_.cancel();  // the canvas goes first
}

void RequestMailbox::postBackground(std::vector<BackgroundJob> jobs, quint64 generation) {
    std::lock_guard<std::mutex> lock(mutex_);
    background_.assign(std::make_move_iterator(jobs.begin()), std::make_move_iterator(jobs.end()));
    generation_ = generation;
    backgroundRunning_.cancel();
}

std::optional<BackgroundJob> RequestMailbox::takeBackground(CancelToken& token) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (pending_ || background_.empty()) return std::nullopt;
    BackgroundJob job = std::move(background_.front());
    background_.pop_front();
    backgroundRunning_ = CancelToken();
    token = backgroundRunning_;
    return job;
}

size_t RequestMailbox::backgroundQueued() {
    std::lock_guard<std::mutex> lock(mutex_);
    return background_.size();
}

void RequestMailbox::requeueBackground(BackgroundJob job) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (job.generation == generation_) background_.push_front(std::move(job));
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
    for (;;) {
        CancelToken token;
        if (auto request = mailbox_->take(token)) {
            run(*request, token);
        } else if (auto job = mailbox_->takeBackground(token)) {
            runBackground(*job, token);
        } else {
            releaseFreedMemory();  // what the dreams kept for their next step
            Q_EMIT idle();
            return;
        }
    }
}

const Network& DreamWorker::networkFor(const DreamParams& params) {
    const QString key = QString::fromStdString(params.model + "@" + params.device);
    if (!network_ || key != networkKey_) {
        network_.reset();
        network_ = Network::load(modelPath(modelsDirectory(modelsDir_.toStdString()), params.model),
                                 params.device);
        networkKey_ = key;
        Q_EMIT modelReady(QString::fromStdString(network_->manifest().displayName),
                          QString::fromStdString(network_->device()));
    }
    return *network_;
}

const cv::Mat& DreamWorker::sourceFor(const QImage& image) {
    if (image.cacheKey() != sourceKey_ || source_.empty()) {
        source_ = image.isNull() ? cv::Mat() : toMat(image);
        sourceKey_ = image.cacheKey();
    }
    return source_;
}

void DreamWorker::runBackground(const BackgroundJob& job, const CancelToken& token) {
    try {
        const Network& net = networkFor(job.params);
        const cv::Mat& source = sourceFor(job.source);
        if (job.kind == BackgroundJob::Kind::RankChannels) {
            const auto means = net.channelMeans(resizeLongSide(source, job.params.workingSize),
                                                job.params.layers.at(0).name);
            Q_EMIT backgroundRanking(job.generation, job.key,
                                     QVector<float>(means.begin(), means.end()));
            return;
        }
        DreamCallbacks callbacks;
        callbacks.progress = [&](const DreamProgress& p) {
            Q_EMIT backgroundProgress(job.generation, job.key,
                                      workFraction(p, job.params.octaveScale));
        };
        const cv::Mat result = dream(net, source, job.params, callbacks, token);
        Q_EMIT backgroundDream(job.generation, job.key, toQImage(result));
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::Cancelled)
            mailbox_->requeueBackground(job);
        else
            Q_EMIT backgroundFailed(job.generation, job.key, QString::fromUtf8(e.what()));
    } catch (const std::exception& e) {
        Q_EMIT backgroundFailed(job.generation, job.key, QString::fromUtf8(e.what()));
    }
}

void DreamWorker::run(const DreamRequest& r, const CancelToken& token) {
    Q_EMIT started(r.id);
    try {
        const Network& net = networkFor(r.params);
        const cv::Mat& source = sourceFor(r.source);
        DreamCallbacks callbacks;
        callbacks.previewIntervalSeconds = kPreviewInterval;
        callbacks.progress = [&](const DreamProgress& p) { Q_EMIT progress(r.id, p); };
        callbacks.tileDone = callbacks.progress;
        callbacks.preview = [&](const cv::Mat& image, const DreamProgress&) {
            Q_EMIT preview(r.id, toQImage(image));
        };
        const cv::Mat result = dream(net, source, r.params, callbacks, token);
        Q_EMIT finished(r.id, toQImage(result));
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::Cancelled)
            Q_EMIT cancelled(r.id);
        else
            Q_EMIT failed(r.id, QString::fromUtf8(e.what()));
    } catch (const std::exception& e) {
        Q_EMIT failed(r.id, QString::fromUtf8(e.what()));
    }
}

}  // namespace inceptionist::ui
