#include "ui/model/dream_worker.h"

#include <QEvent>

#include "core/engine/memory_reuse.h"
#include "core/engine/network.h"
#include "core/io/image_io.h"
#include "core/params/errors.h"
#include "ui/model/image_convert.h"
#include "ui/model/sequence_job.h"
#include "ui/model/style_run.h"

namespace inceptionist::ui {

namespace {
constexpr double kPreviewInterval = 1.0 / 30;  // seconds; no screen needs more
}  // namespace

DreamWorker::DreamWorker(std::shared_ptr<RequestMailbox> mailbox,
                         std::shared_ptr<NetworkCache> networks)
    : mailbox_(std::move(mailbox)), networks_(std::move(networks)) {}

bool DreamWorker::event(QEvent* event) {
    // Queued calls, and the deferred delete that DreamController's destructor leads to.
    if (event->type() == QEvent::MetaCall || event->type() == QEvent::DeferredDelete)
        handoff::acquire(this);
    return QObject::event(event);
}

void DreamWorker::wake() {
    // Networks load on threads of their own now, so the thread count that Network::load sets for
    // its caller is set here for the thread that runs them.
    useAllCores();
    for (;;) {
        CancelToken token;
        if (auto request = mailbox_->take(token)) {
            run(*request, token);
        } else if (auto sequence = mailbox_->takeSequence(token)) {
            runSequenceItem(*sequence, token);
        } else if (auto job = mailbox_->takeBackground(token)) {
            runBackground(*job, token);
        } else if (mailbox_->markIdleIfEmpty()) {
            releaseFreedMemory();  // what the dreams kept for their next step
            send(&DreamWorker::idle);
            return;
        }  // else something was posted since the takes above: take it
    }
}

const Network& DreamWorker::networkFor(const DreamParams& params, const CancelToken& token,
                                       NetworkLease& lease) {
    const std::string key = NetworkCache::keyOf(params.model, params.device);
    const bool held = heldBySequence_ && heldBySequence_->key() == key;
    if (!held) lease = networks_->acquire(params.model, params.device, token);
    const Network& net = held ? heldBySequence_->network() : lease.network();
    if (key != announcedKey_) {
        announcedKey_ = key;
        send(&DreamWorker::modelReady, QString::fromStdString(net.manifest().displayName),
             QString::fromStdString(net.device()));
    }
    return net;
}

void DreamWorker::serveCanvasRequests(const NetworkLease& held) {
    const NetworkLease* outer = heldBySequence_;
    heldBySequence_ = &held;
    CancelToken token;
    while (auto request = mailbox_->take(token)) run(*request, token);
    heldBySequence_ = outer;
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
        NetworkLease lease;
        const Network& net = networkFor(job.params, token, lease);
        const cv::Mat& source = sourceFor(job.source);
        if (job.kind == BackgroundJob::Kind::RankChannels) {
            const auto means = net.channelMeans(resizeLongSide(source, job.params.workingSize),
                                                job.params.layers.at(0).name);
            send(&DreamWorker::backgroundRanking, job.generation, job.key,
                 QVector<float>(means.begin(), means.end()));
            return;
        }
        DreamCallbacks callbacks;
        callbacks.progress = [&](const DreamProgress& p) {
            send(&DreamWorker::backgroundProgress, job.generation, job.key,
                 progressFraction(p, job.params));
        };
        const cv::Mat result = renderStep(net, source, job.params, callbacks, token);
        send(&DreamWorker::backgroundDream, job.generation, job.key, toQImage(result));
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::Cancelled)
            mailbox_->requeueBackground(job);
        else
            send(&DreamWorker::backgroundFailed, job.generation, job.key,
                 QString::fromUtf8(e.what()));
    } catch (const std::exception& e) {
        send(&DreamWorker::backgroundFailed, job.generation, job.key, QString::fromUtf8(e.what()));
    }
}

void DreamWorker::run(const DreamRequest& r, const CancelToken& token) {
    send(&DreamWorker::started, r.id);
    try {
        NetworkLease lease;
        const Network& net = networkFor(r.params, token, lease);
        const cv::Mat& source = sourceFor(r.source);
        DreamCallbacks callbacks;
        callbacks.previewIntervalSeconds = kPreviewInterval;
        callbacks.progress = [&](const DreamProgress& p) { send(&DreamWorker::progress, r.id, p); };
        callbacks.tileDone = callbacks.progress;
        callbacks.preview = [&](const cv::Mat& image, const DreamProgress&) {
            send(&DreamWorker::preview, r.id, toQImage(image));
        };
        // A dream, or a style transfer in Style mode: same mailbox, previews and cancel.
        const cv::Mat result = renderStep(net, source, r.params, callbacks, token);
        send(&DreamWorker::finished, r.id, toQImage(result));
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::Cancelled)
            send(&DreamWorker::cancelled, r.id);
        else
            send(&DreamWorker::failed, r.id, QString::fromUtf8(e.what()));
    } catch (const std::exception& e) {
        send(&DreamWorker::failed, r.id, QString::fromUtf8(e.what()));
    }
}

void DreamWorker::runSequenceItem(const SequenceRequest& r, const CancelToken& token) {
    SequenceJob& job = *r.job;
    try {
        if (!job.done()) {
            const size_t item = job.finishedItems();
            const DreamParams& params = job.itemParams(item);
            // Not announced: the canvas's model stays the one on show.
            NetworkLease lease = networks_->acquire(params.model, params.device, token);
            job.runItem(item, lease.network(), token, [&](double f, const QString& label) {
                send(&DreamWorker::sequenceProgress, r.id, job.overallFraction(item, f), label);
                serveCanvasRequests(lease);  // the canvas goes first, and the item goes on
            });
            job.markFinished(item);
        }
        if (job.done()) {
            job.finish(token);
            mailbox_->endSequence(r.id);
            send(&DreamWorker::sequenceFinished, r.id);
            return;
        }
        if (!mailbox_->putBackSequence(r)) send(&DreamWorker::sequenceCancelled, r.id);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::Cancelled) {
            mailbox_->endSequence(r.id);
            send(&DreamWorker::sequenceFailed, r.id, QString::fromUtf8(e.what()));
        } else if (!mailbox_->putBackSequence(r)) {  // stopped by its owner, not for the canvas
            send(&DreamWorker::sequenceCancelled, r.id);
        }
    } catch (const std::exception& e) {
        mailbox_->endSequence(r.id);
        send(&DreamWorker::sequenceFailed, r.id, QString::fromUtf8(e.what()));
    }
}

}  // namespace inceptionist::ui
