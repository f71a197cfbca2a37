#include "ui/model/dream_controller.h"

#include <cmath>

#include <QEvent>

#include "core/render/print_plan.h"
#include "ui/model/sequence_job.h"
#include "ui/model/style_run.h"

namespace inceptionist::ui {

DreamController::DreamController(const QString& modelsDir, QObject* parent)
    : QObject(parent),
      mailbox_(std::make_shared<RequestMailbox>()),
      networks_(std::make_shared<NetworkCache>(NetworkCache::loaderFor(modelsDir.toStdString()))),
      speed_(kDefaultSecondsPerMegapixelStep) {
    qRegisterMetaType<DreamProgress>();
    qRegisterMetaType<DreamParams>();
    worker_ = new DreamWorker(mailbox_, networks_);
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    thread_.setObjectName("dream worker");

    connect(worker_, &DreamWorker::modelReady, this, &DreamController::modelReady);
    connect(worker_, &DreamWorker::idle, this, [this] {
        // Else a newer request waits or runs. The worker may also have finished the newest
        // dream already while its `finished` is still queued behind this report: busy_ says so,
        // and the worker reports idle again after that dream.
        if (mailbox_->idle() && !busy_) Q_EMIT workerIdle();
    });
    connect(worker_, &DreamWorker::sequenceProgress, this, &DreamController::sequenceProgress);
    connect(worker_, &DreamWorker::sequenceFinished, this, &DreamController::sequenceFinished);
    connect(worker_, &DreamWorker::sequenceFailed, this, &DreamController::sequenceFailed);
    connect(worker_, &DreamWorker::sequenceCancelled, this, &DreamController::sequenceCancelled);
    connect(worker_, &DreamWorker::backgroundProgress, this,
            [this](quint64 g, QString key, double f) {
                if (g == generation_) Q_EMIT backgroundProgress(key, f);
            });
    connect(worker_, &DreamWorker::backgroundDream, this,
            [this](quint64 g, QString key, QImage image) {
                if (g == generation_) Q_EMIT backgroundDream(key, image);
            });
    connect(worker_, &DreamWorker::backgroundRanking, this,
            [this](quint64 g, QString key, QVector<float> means) {
                if (g == generation_) Q_EMIT backgroundRanking(key, means);
            });
    connect(worker_, &DreamWorker::backgroundFailed, this,
            [this](quint64 g, QString key, QString message) {
                if (g == generation_) Q_EMIT backgroundFailed(key, message);
            });
    connect(worker_, &DreamWorker::started, this, [this](quint64 id) {
        if (id == latest_) clock_.start();
    });
    connect(worker_, &DreamWorker::progress, this, [this](quint64 id, DreamProgress r) {
        if (id != latest_) return;
        if (latestParams_.mode == "style") {  // not a dream's steps: no dream throughput
            const double f = progressFraction(r, latestParams_);
            const double elapsed = clock_.isValid() ? clock_.elapsed() / 1000.0 : 0;
            Q_EMIT progressChanged(r, f, f > 0.05 ? elapsed * (1 - f) / f : -1);
            return;
        }
        measureStep(r);
        Q_EMIT progressChanged(r, workFraction(r, latestParams_.octaveScale), secondsLeft(r));
    });
    connect(worker_, &DreamWorker::preview, this, [this](quint64 id, QImage image) {
        if (id == latest_) Q_EMIT previewReady(image);
    });
    connect(worker_, &DreamWorker::finished, this, [this](quint64 id, QImage image) {
        if (id != latest_) return;
        commitOctave();
        const double work =
            latestParams_.mode == "style"
                ? 0
                : estimatePrint(latestParams_, image.width(), image.height(), 1.0).megapixelSteps;
        if (clock_.isValid() && work > 0.05)
            speed_ = clock_.elapsed() / 1000.0 / work;  // skip tiny dreams
        setBusy(false);
        Q_EMIT dreamFinished(image, latestParams_);
    });
    connect(worker_, &DreamWorker::failed, this, [this](quint64 id, QString message) {
        if (id != latest_) return;
        setBusy(false);
        Q_EMIT dreamFailed(message);
    });
    connect(worker_, &DreamWorker::cancelled, this, [this](quint64 id) {
        if (id != latest_) return;  // replaced by a newer request, which carries on
        setBusy(false);
        Q_EMIT dreamCancelled();
    });
    // Started once the connections are made: Qt keeps them under its own lock, which TSan
    // cannot see, while starting the thread orders them before everything the worker does.
    thread_.start();
}

quint64 DreamController::startBackground(std::vector<BackgroundJob> jobs) {
    ++generation_;
    for (auto& j : jobs) j.generation = generation_;
    mailbox_->postBackground(std::move(jobs), generation_);
    wakeWorker();
    return generation_;
}

quint64 DreamController::startSequence(std::shared_ptr<SequenceJob> job) {
    const quint64 id = nextSequenceId_++;
    mailbox_->postSequence({id, std::move(job)});
    wakeWorker();
    return id;
}

void DreamController::cancelSequence(quint64 id) {
    // A job still waiting never reaches the worker again, so nobody else will report it; queued,
    // so that the caller sees the signal after cancelSequence returns, as when the worker reports.
    if (mailbox_->cancelSequence(id) == RequestMailbox::SequenceCancel::Dropped)
        QMetaObject::invokeMethod(
            this, [this, id] { Q_EMIT sequenceCancelled(id); }, Qt::QueuedConnection);
}

DreamController::~DreamController() {
    mailbox_->cancelAll();
    mailbox_->cancelAllSequences();
    mailbox_->postBackground({}, ++generation_);
    // The worker and its ends of the connections above are deleted on its thread after this.
    handoff::release(worker_);
    thread_.quit();
    thread_.wait();  // the running dream stops within one ascent step
}

void DreamController::measureStep(const DreamProgress& r) {
    if (r.tile != 0 || r.step == 0) return;  // only the ends of steps
    if (r.octave != timing_.octave) {
        commitOctave();
        // Timed from the end of its first step: the octave's set-up is not a step's cost.
        timing_.octave = r.octave;
        timing_.width = r.width;
        timing_.height = r.height;
        timing_.firstStep = timing_.lastStep = r.step;
        timing_.seconds = 0;
        timing_.clock.start();
        return;
    }
    timing_.lastStep = r.step;
    timing_.seconds = timing_.clock.nsecsElapsed() / 1e9;
}

void DreamController::commitOctave() {
    if (timing_.octave >= 0 && timing_.lastStep > timing_.firstStep)
        throughput_.add(Throughput::keyOf(latestParams_), timing_.width, timing_.height,
                        latestParams_.tileSize, timing_.lastStep - timing_.firstStep,
                        timing_.seconds);
    timing_.octave = -1;
}

double DreamController::secondsLeft(const DreamProgress& r) const {
    const QString key = Throughput::keyOf(latestParams_);
    const int tileSize = latestParams_.tileSize;
    double left = 0;
    for (int o = r.octave; o < r.octaves; ++o) {
        const double grow = std::pow(latestParams_.octaveScale, o - r.octave);
        const int w = int(std::lround(r.width * grow)), h = int(std::lround(r.height * grow));
        const double perStep = throughput_.secondsPerStep(key, w, h, tileSize);
        if (perStep < 0) return -1;  // not sound yet: say nothing
        const double tileDone = r.tiles > 0 ? double(r.tile) / r.tiles : 0.0;
        left += perStep * (o == r.octave ? r.steps - r.step - tileDone : r.steps);
    }
    return left;
}

quint64 DreamController::submit(const DreamParams& params, const QImage& source) {
    commitOctave();  // what the replaced dream measured still holds
    latest_ = nextId_++;
    latestParams_ = params;
    mailbox_->post({latest_, params, source});
    wakeWorker();
    setBusy(true);
    return latest_;
}

void DreamController::cancel() {
    // The newest request was still waiting: it will never run, so nobody else will report it.
    // Otherwise the worker has it and reports the cancellation itself.
    if (mailbox_->cancelAll() && busy_) {
        setBusy(false);
        Q_EMIT dreamCancelled();
    }
}

void DreamController::wakeWorker() {
    const handoff::PostingScope posting(worker_);
    QMetaObject::invokeMethod(worker_, &DreamWorker::wake, Qt::QueuedConnection);
}

bool DreamController::event(QEvent* event) {
    if (event->type() == QEvent::MetaCall) handoff::acquire(worker_);
    return QObject::event(event);
}

void DreamController::setBusy(bool busy) {
    if (busy == busy_) return;
    busy_ = busy;
    Q_EMIT busyChanged(busy);
}

}  // namespace inceptionist::ui
