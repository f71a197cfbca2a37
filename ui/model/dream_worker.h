#pragma once
// The worker that runs dreams, explorer jobs and sequence jobs (prints), on its own thread.
//
// Threading: DreamWorker lives on the worker thread; the GUI thread only touches the shared
// RequestMailbox (under its mutex) and receives the worker's queued signals. Requests carry
// complete parameter snapshots; the newest replaces any older one still waiting, and posting
// a request cancels the running dream, which stops within one ascent step. Sequence jobs run
// one item per turn, so a canvas request waits at most for the running step.
//
// Networks come from the shared NetworkCache, leased for one dream or item at a time; waiting
// for a model to load stops as soon as the request is cancelled or replaced.

#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>

#include <QImage>
#include <QObject>
#include <QString>
#include <QVector>

#include "core/params/dream_params.h"
#include "core/render/dreamer.h"
#include "core/util/thread_handoff.h"
#include "ui/model/network_cache.h"
#include "ui/model/request_mailbox.h"

namespace inceptionist::ui {

class DreamWorker : public QObject {
    Q_OBJECT
public:
    DreamWorker(std::shared_ptr<RequestMailbox> mailbox, std::shared_ptr<NetworkCache> networks);

public Q_SLOTS:
    // Runs the waiting requests until the mailbox is empty.
    void wake();

protected:
    // Queued calls from DreamController arrive here: their channel is this worker.
    bool event(QEvent* event) override;

Q_SIGNALS:
    void modelReady(QString displayName, QString device);
    void started(quint64 id);
    void progress(quint64 id, inceptionist::DreamProgress report);
    void preview(quint64 id, QImage image);
    void finished(quint64 id, QImage image);
    void failed(quint64 id, QString message);
    void cancelled(quint64 id);

    void backgroundProgress(quint64 generation, QString key, double fraction);
    void backgroundDream(quint64 generation, QString key, QImage image);
    void backgroundRanking(quint64 generation, QString key, QVector<float> means);
    void backgroundFailed(quint64 generation, QString key, QString message);

    // A sequence job: `fraction` of the whole job, `label` says where it is.
    void sequenceProgress(quint64 id, double fraction, QString label);
    void sequenceFinished(quint64 id);
    void sequenceFailed(quint64 id, QString message);
    void sequenceCancelled(quint64 id);
    // Both queues are empty and nothing runs. Queued to the GUI thread, it may arrive after a
    // newer post: DreamController checks RequestMailbox::idle() before passing it on.
    void idle();

private:
    // Emits one of the signals above, which all reach DreamController queued, on the channel
    // that DreamController acquires (core/util/thread_handoff.h). The values are also
    // destroyed inside: the GUI thread may be done with its copy of an image first, and then
    // this thread frees pixels that thread read, ordered only by QImage's atomic count.
    template <typename... Params, typename... Args>
    void send(void (DreamWorker::*signal)(Params...), Args&&... args) {
        const handoff::PostingScope posting(this);
        std::tuple<std::decay_t<Args>...> values(std::forward<Args>(args)...);
        std::apply([&](auto&... v) { (this->*signal)(v...); }, values);
    }

    void run(const DreamRequest& request, const CancelToken& token);
    void runBackground(const BackgroundJob& job, const CancelToken& token);
    // Runs the job's next item (or its finish, after the last) and hands the job back.
    void runSequenceItem(const SequenceRequest& request, const CancelToken& token);
    // The network for `params`, announced with modelReady when it differs from the last one: the
    // one a running sequence item holds where it is the same model and device (the worker's own
    // thread holds it, so it may use it between the item's steps), else one leased into `lease`.
    const Network& networkFor(const DreamParams& params, const CancelToken& token,
                              NetworkLease& lease);
    // Runs the canvas requests waiting now; called between the steps and tiles of a sequence
    // item that holds `held`.
    void serveCanvasRequests(const NetworkLease& held);
    const cv::Mat& sourceFor(const QImage& image);

    std::shared_ptr<RequestMailbox> mailbox_;
    std::shared_ptr<NetworkCache> networks_;
    std::string announcedKey_;  // the model and device last reported with modelReady
    const NetworkLease* heldBySequence_ = nullptr;  // while a sequence item runs
    qint64 sourceKey_ = 0;
    cv::Mat source_;  // cached conversion of the last source image
};

}  // namespace inceptionist::ui

Q_DECLARE_METATYPE(inceptionist::DreamProgress)
