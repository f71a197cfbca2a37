#pragma once
// The GUI thread's handle on dreaming. It owns the worker thread, forwards parameter snapshots
// to it (the newest wins), and re-emits only what concerns the newest request, so stale
// previews never reach the canvas. It also queues sequence jobs (prints), which run on the same
// worker and networks between canvas dreams. Nothing here blocks on the network.

#include <QElapsedTimer>
#include <QImage>
#include <QObject>
#include <QThread>

#include "ui/model/dream_worker.h"
#include "ui/model/throughput.h"

namespace inceptionist::ui {

class DreamController : public QObject {
    Q_OBJECT
public:
    explicit DreamController(const QString& modelsDir = {}, QObject* parent = nullptr);
    ~DreamController() override;

    // Starts dreaming `source` with `params`, cancelling whatever runs. Returns the request id.
    quint64 submit(const DreamParams& params, const QImage& source);
    // Stops the running dream within one step and forgets any waiting one.
    void cancel();
    bool busy() const { return busy_; }
    quint64 latestId() const { return latest_; }
    // The parameters of the newest request (a dream or a style transfer).
    const DreamParams& latestParams() const { return latestParams_; }
    // Queues work for the explorer behind the canvas's dreams, replacing what was queued.
    // Returns the generation its results will carry.
    quint64 startBackground(std::vector<BackgroundJob> jobs);
    void stopBackground() { startBackground({}); }
    quint64 backgroundGeneration() const { return generation_; }
    size_t backgroundQueued() const { return mailbox_->backgroundQueued(); }

    // Queues an ordered job behind any others; it runs while no canvas dream waits. Returns the
    // id its signals carry. Starting a cancelled job again resumes it after its finished items.
    quint64 startSequence(std::shared_ptr<SequenceJob> job);
    // Stops the job within one step; sequenceCancelled follows (or sequenceFinished, if it was
    // already writing its result).
    void cancelSequence(quint64 id);

    // Models are loaded from `dir` from now on (the person chose another models folder).
    void setModelsDir(const QString& dir) {
        networks_->setLoader(NetworkCache::loaderFor(dir.toStdString()));
    }
    // The networks the worker keeps loaded, shared by all its jobs.
    const std::shared_ptr<NetworkCache>& networks() const { return networks_; }

    // Measured speed of the last finished dream, for estimates; the default until one finishes.
    double secondsPerMegapixelStep() const { return speed_; }
    // Seconds a dream of `p` whose largest octave is width×height will take, from the speed
    // this session measured for its model and layers; negative until that is sound.
    double estimateSeconds(const DreamParams& p, int width, int height) const {
        return throughput_.dreamSeconds(p, width, height);
    }
    Throughput& throughput() { return throughput_; }

protected:
    // The worker's signals arrive here queued: their channel is the worker
    // (core/util/thread_handoff.h).
    bool event(QEvent* event) override;

Q_SIGNALS:
    void previewReady(QImage image);
    // fraction of the dream's work done, weighting each step by its octave's pixels;
    // secondsLeft from measured throughput, negative while no sound estimate exists.
    void progressChanged(inceptionist::DreamProgress report, double fraction, double secondsLeft);
    void dreamFinished(QImage image, inceptionist::DreamParams params);
    void dreamFailed(QString message);
    void dreamCancelled();
    void busyChanged(bool busy);
    void modelReady(QString displayName, QString device);
    // The explorer's results, only those of the current generation.
    void backgroundProgress(QString key, double fraction);
    void backgroundDream(QString key, QImage image);
    void backgroundRanking(QString key, QVector<float> means);
    void backgroundFailed(QString key, QString message);
    // A sequence job's progress over the whole job, and its end.
    void sequenceProgress(quint64 id, double fraction, QString label);
    void sequenceFinished(quint64 id);
    void sequenceFailed(quint64 id, QString message);
    void sequenceCancelled(quint64 id);
    // The worker has nothing left to do.
    void workerIdle();

private:
    void setBusy(bool busy);
    // Asks the worker to look at the mailbox again (a queued call to DreamWorker::wake).
    void wakeWorker();
    // Times the canvas dream's octaves for the throughput, and estimates what is left.
    void measureStep(const DreamProgress& r);
    void commitOctave();
    double secondsLeft(const DreamProgress& r) const;

    QThread thread_;
    std::shared_ptr<RequestMailbox> mailbox_;
    std::shared_ptr<NetworkCache> networks_;
    DreamWorker* worker_ = nullptr;  // lives on thread_, deleted when it finishes
    quint64 nextId_ = 1;
    quint64 generation_ = 0;
    quint64 nextSequenceId_ = 1;
    quint64 latest_ = 0;
    DreamParams latestParams_;
    QElapsedTimer clock_;
    bool busy_ = false;
    double speed_;
    Throughput throughput_;
    struct OctaveTiming {
        int octave = -1, width = 0, height = 0, firstStep = 0, lastStep = 0;
        QElapsedTimer clock;
        double seconds = 0;
    } timing_;
};

}  // namespace inceptionist::ui

Q_DECLARE_METATYPE(inceptionist::DreamParams)
