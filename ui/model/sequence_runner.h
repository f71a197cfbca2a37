#pragma once
// A sequence job (sequence_job.h) on the dream worker as the GUI thread sees it: start, or go on
// after a cancel from the last finished item; cancel; progress over the whole job with the time
// left, measured from this run's first report. Prints, batches, clips and print previews use it.
//
// Threading: lives on the GUI thread; the job it queues is shared with the worker, so the runner
// may be deleted while the job still runs (the job is cancelled then).

#include <memory>

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

namespace inceptionist::ui {

class DreamController;
class SequenceJob;

class SequenceRunner : public QObject {
    Q_OBJECT
public:
    SequenceRunner(std::shared_ptr<SequenceJob> job, DreamController* controller,
                   QObject* parent = nullptr);
    ~SequenceRunner() override;

    void start();
    void cancel();
    bool running() const { return running_; }
    SequenceJob& job() const { return *job_; }

Q_SIGNALS:
    // `secondsLeft` is negative until a hundredth of the work is measured.
    void progressChanged(double fraction, QString label, double secondsLeft);
    void finished();
    void failed(QString message);
    void cancelled();

private:
    std::shared_ptr<SequenceJob> job_;
    QPointer<DreamController> controller_;
    quint64 id_ = 0;
    bool running_ = false;
    QElapsedTimer clock_;
    double fractionAtStart_ = -1;
};

}  // namespace inceptionist::ui
