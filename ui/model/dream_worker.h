#pragma once
// The worker that owns the loaded network and runs dreams, on its own thread.
//
// Threading: DreamWorker lives on the worker thread; the GUI thread only touches the shared
// RequestMailbox (under its mutex) and receives the worker's queued signals. Requests carry
// complete parameter snapshots; the newest replaces any older one still waiting, and posting
// a request cancels the running dream, which stops within one ascent step.

#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <QImage>
#include <QObject>
#include <QString>
#include <QVector>

#include "core/params/dream_params.h"
#include "core/render/dreamer.h"

namespace inceptionist::ui {

struct DreamRequest {
    quint64 id = 0;
    DreamParams params;
    QImage source;  // implicitly shared, read-only across threads
};

// Work for the explorer, done only while no dream for the canvas is waiting or running.
struct BackgroundJob {
    enum class Kind { Dream, RankChannels };
    Kind kind = Kind::Dream;
    quint64 generation = 0;  // the explorer's restart count; older jobs are dropped
    QString key;             // names the result
    DreamParams params;      // RankChannels: the layer is params.layers[0], at params.workingSize
    QImage source;
};

class RequestMailbox {
public:
    // Replaces any waiting request and cancels the running one.
    void post(DreamRequest request);
    // Cancels the running dream and drops any waiting request; true if one was waiting.
    bool cancelAll();
    // Takes the waiting request, with a fresh cancel token that post() and cancelAll() trigger.
    std::optional<DreamRequest> take(CancelToken& token);

    // Replaces the explorer's queue and stops its running job. A dream for the canvas also stops
    // the running job, which then goes back to the front of the queue.
    void postBackground(std::vector<BackgroundJob> jobs, quint64 generation);
    std::optional<BackgroundJob> takeBackground(CancelToken& token);
    // Puts a job stopped for a canvas dream back first in line, unless the explorer moved on.
    void requeueBackground(BackgroundJob job);
    size_t backgroundQueued();

private:
    std::mutex mutex_;
    std::optional<DreamRequest> pending_;
    CancelToken running_;
    std::deque<BackgroundJob> background_;
    quint64 generation_ = 0;
    CancelToken backgroundRunning_;
};

class DreamWorker : public QObject {
    Q_OBJECT
public:
    DreamWorker(std::shared_ptr<RequestMailbox> mailbox, QString modelsDir);

public Q_SLOTS:
    // Runs the waiting requests until the mailbox is empty.
    void wake();

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
    // Both queues are empty and nothing runs.
    void idle();

private:
    void run(const DreamRequest& request, const CancelToken& token);
    void runBackground(const BackgroundJob& job, const CancelToken& token);
    // The network for `params`, loaded on first use or when the model or device changes.
    const Network& networkFor(const DreamParams& params);
    const cv::Mat& sourceFor(const QImage& image);

    std::shared_ptr<RequestMailbox> mailbox_;
    QString modelsDir_;
    std::shared_ptr<Network> network_;
    QString networkKey_;  // model id and device of network_
    qint64 sourceKey_ = 0;
    cv::Mat source_;  // cached conversion of the last source image
};

}  // namespace inceptionist::ui

Q_DECLARE_METATYPE(inceptionist::DreamProgress)
