#pragma once
// The worker that owns the loaded network and runs dreams, on its own thread.
//
// Threading: DreamWorker lives on the worker thread; the GUI thread only touches the shared
// RequestMailbox (under its mutex) and receives the worker's queued signals. Requests carry
// complete parameter snapshots; the newest replaces any older one still waiting, and posting
// a request cancels the running dream, which stops within one ascent step.

#include <memory>
#include <mutex>
#include <optional>

#include <QImage>
#include <QObject>
#include <QString>

#include "core/dream_params.h"
#include "core/dreamer.h"

namespace inceptionist::ui {

struct DreamRequest {
    quint64 id = 0;
    DreamParams params;
    QImage source;  // implicitly shared, read-only across threads
};

class RequestMailbox {
public:
    // Replaces any waiting request and cancels the running one.
    void post(DreamRequest request);
    // Cancels the running dream and drops any waiting request; true if one was waiting.
    bool cancelAll();
    // Takes the waiting request, with a fresh cancel token that post() and cancelAll() trigger.
    std::optional<DreamRequest> take(CancelToken& token);

private:
    std::mutex mutex_;
    std::optional<DreamRequest> pending_;
    CancelToken running_;
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

private:
    void run(const DreamRequest& request, const CancelToken& token);

    std::shared_ptr<RequestMailbox> mailbox_;
    QString modelsDir_;
    std::shared_ptr<Network> network_;
    QString networkKey_;  // model id and device of network_
    qint64 sourceKey_ = 0;
    cv::Mat source_;      // cached conversion of the last source image
};

}  // namespace inceptionist::ui

Q_DECLARE_METATYPE(inceptionist::DreamProgress)
