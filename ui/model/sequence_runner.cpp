#include "ui/model/sequence_runner.h"

#include "ui/model/dream_controller.h"
#include "ui/model/sequence_job.h"

namespace inceptionist::ui {

SequenceRunner::SequenceRunner(std::shared_ptr<SequenceJob> job, DreamController* controller,
                               QObject* parent)
    : QObject(parent), job_(std::move(job)), controller_(controller) {
    connect(controller, &DreamController::sequenceProgress, this,
            [this](quint64 id, double f, const QString& label) {
                if (id != id_ || !running_) return;
                if (fractionAtStart_ < 0) {  // measured from this run's first report
                    fractionAtStart_ = f;
                    clock_.start();
                }
                const double elapsed = clock_.elapsed() / 1000.0;
                const double done = f - fractionAtStart_;
                Q_EMIT progressChanged(f, label, done > 0.01 ? elapsed * (1 - f) / done : -1);
            });
    connect(controller, &DreamController::sequenceFinished, this, [this](quint64 id) {
        if (id != id_ || !running_) return;
        // What the job handed to the GUI thread while it ran (a clip's frames) was posted
        // before this: it arrives first.
        QMetaObject::invokeMethod(
            this,
            [this] {
                running_ = false;
                Q_EMIT finished();
            },
            Qt::QueuedConnection);
    });
    connect(controller, &DreamController::sequenceFailed, this,
            [this](quint64 id, const QString& message) {
                if (id != id_ || !running_) return;
                running_ = false;
                Q_EMIT failed(message);
            });
    connect(controller, &DreamController::sequenceCancelled, this, [this](quint64 id) {
        if (id != id_ || !running_) return;
        running_ = false;
        Q_EMIT cancelled();
    });
}

SequenceRunner::~SequenceRunner() {
    if (running_ && controller_) controller_->cancelSequence(id_);
}

void SequenceRunner::start() {
    if (running_ || !controller_) return;
    running_ = true;
    fractionAtStart_ = -1;
    id_ = controller_->startSequence(job_);
}

void SequenceRunner::cancel() {
    if (running_ && controller_) controller_->cancelSequence(id_);
}

}  // namespace inceptionist::ui
