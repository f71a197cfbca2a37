#include "ui/model/clip_job.h"

#include <cmath>
#include <fstream>

#include <QCoreApplication>
#include <QDir>
#include <QPointer>
#include <QTemporaryDir>

#include "core/io/image_io.h"
#include "core/motion/camera_warp.h"
#include "core/motion/frame_folder.h"
#include "core/motion/video_dream.h"
#include "core/motion/video_file.h"
#include "core/motion/zoom_journey.h"
#include "core/params/errors.h"
#include "ui/model/dream_controller.h"
#include "ui/model/image_convert.h"
#include "ui/model/sequence_job.h"
#include "ui/model/sequence_runner.h"

namespace inceptionist::ui {

namespace {

QImage shown(const cv::Mat& frame, int longSide) {
    return toQImage(std::max(frame.cols, frame.rows) > longSide ? resizeLongSide(frame, longSide)
                                                                : frame);
}

QString frameLabel(const ClipProgress& p) {
    if (p.assembling) return ClipJob::tr("Writing the clip…");
    QString label = ClipJob::tr("Frame %1 of %2").arg(p.frame + 1).arg(p.frames);
    if (p.resumedFrom > 0) label += ClipJob::tr(" (going on from frame %1)").arg(p.resumedFrom + 1);
    return label;
}

}  // namespace

// The clip's work on the worker thread. `sink` hands each finished frame to the GUI thread.
class ClipSequence : public SequenceJob {
public:
    using FrameSink = std::function<void(int frame, const QImage& image)>;

    ClipSequence(const ClipRequest& r, FrameSink sink) : request_(r), sink_(std::move(sink)) {
        params_ = r.settings.frameParams(r.params);
        journey_ = r.settings.mode == ClipSettings::Mode::ZoomJourney;
        if (preview()) {
            settings_ = r.settings.scaledTo(r.previewSize, params_);
            items_ = journey_ ? size_t(std::min(r.previewFrames, r.settings.frames)) : 1;
        } else {
            settings_ = r.settings;
            items_ = 1;
        }
    }

    bool preview() const { return request_.output.isEmpty(); }
    size_t itemCount() const override { return items_; }
    double itemCost(size_t) const override { return 1; }
    const DreamParams& itemParams(size_t) const override { return params_; }
    const std::string& note() const { return note_; }

    void runItem(size_t item, const Network& network, const CancelToken& cancel,
                 const Progress& progress) override {
        if (preview() && journey_)
            previewFrame(int(item), network, cancel, progress);
        else
            renderClip(network, cancel, progress);
    }

    void finish(const CancelToken&) override {}

private:
    // One frame of a journey's preview, from the one before it.
    void previewFrame(int frame, const Network& network, const CancelToken& cancel,
                      const Progress& progress) {
        if (frame == 0) {      // also when the first frame starts again after a stop
            stepper_.reset();  // it refers to the track
            photo_ = toMat(request_.photo);
            track_ = std::make_unique<KeyframeTrack>(settings_.track(params_));
        }
        if (!stepper_ || &network != steppedOn_) {
            stepper_ = std::make_unique<ZoomJourneyStepper>(network, *track_, settings_.colourHold);
            steppedOn_ = &network;
        }
        const QString label = ClipJob::tr("Preview frame %1 of %2").arg(frame + 1).arg(itemCount());
        const cv::Mat start = stepper_->start(frame, frame == 0 ? photo_ : previous_);
        previous_ = stepper_->dream(
            frame, start, colourTarget_, [&](double f) { progress(f, label); }, cancel);
        if (frame == 0) colourTarget_ = colourStats(previous_);
        sink_(frame, toQImage(previous_));
    }

    // A video's preview, or a whole render, through the command line's renderers. Frames are
    // read back from the frames folder as the renderer moves past them.
    void renderClip(const Network& network, const CancelToken& cancel, const Progress& progress) {
        std::string output = request_.output.toStdString();
        std::unique_ptr<QTemporaryDir> scratch;
        if (preview()) {
            scratch = std::make_unique<QTemporaryDir>();
            output = QDir(scratch->path()).filePath("preview").toStdString();
        }
        const auto folder = FrameFolder::folderFor(output);
        size_t announced = 0;
        auto report = [&](const ClipProgress& p) {
            const size_t ready = p.assembling ? p.frames : p.frame;
            for (; announced < ready; ++announced) {
                const auto file = FrameFolder::framePathIn(folder, announced);
                if (!std::filesystem::exists(file)) break;
                sink_(int(announced), shown(readImage(file.string()), request_.shownSize));
            }
            progress(p.fraction(),
                     (preview() ? ClipJob::tr("Preview · ") : QString()) + frameLabel(p));
        };
        ClipResult result;
        if (journey_) {
            ZoomJourney job =
                zoomJourneyJob(settings_, params_, request_.photoPath.toStdString(), output);
            job.resume = !preview() && ClipJob::canResume(request_.output, job.metadata);
            result = renderZoomJourney(network, toMat(request_.photo), job, report, cancel);
        } else {
            if (settings_.video.empty())
                throw Error(ErrorKind::Parameter, "choose a video to dream first");
            DreamedVideo job = dreamedVideoJob(settings_, params_, output);
            if (preview()) {
                const VideoInfo info = probeVideo(settings_.video);
                job.end = (request_.previewFrames + 0.25) / std::max(1.0, info.fps);
            }
            job.resume = !preview() && ClipJob::canResume(request_.output, job.metadata);
            result = renderDreamedVideo(network, settings_.video, job, report, cancel);
        }
        note_ = result.note;
    }

    const ClipRequest request_;
    const FrameSink sink_;
    ClipSettings settings_;  // at the preview's size for a preview
    DreamParams params_;     // frames without keyframes
    bool journey_ = true;
    size_t items_ = 1;
    std::string note_;
    // A journey's preview, frame to frame.
    cv::Mat photo_, previous_;
    ColourStats colourTarget_;
    std::unique_ptr<KeyframeTrack> track_;
    std::unique_ptr<ZoomJourneyStepper> stepper_;
    const Network* steppedOn_ = nullptr;
};

bool ClipJob::canResume(const QString& output, const std::string& metadata) {
    const auto job = FrameFolder::folderFor(output.toStdString()) / "job.json";
    std::ifstream in(job);
    if (!in) return false;
    try {
        const auto saved = nlohmann::json::parse(in);
        return saved.value("source", std::string()) == metadata;
    } catch (const nlohmann::json::exception&) {
        return false;  // the render starts over and writes a sound record
    }
}

ClipJob::ClipJob(ClipRequest request, DreamController* controller, QObject* parent)
    : QObject(parent), request_(std::move(request)) {
    QPointer<ClipJob> self(this);
    sequence_ = std::make_shared<ClipSequence>(request_, [self](int frame, const QImage& image) {
        QMetaObject::invokeMethod(
            qApp,
            [self, frame, image] {
                if (self && self->running()) Q_EMIT self->frameReady(frame, image);
            },
            Qt::QueuedConnection);
    });
    runner_ = new SequenceRunner(sequence_, controller, this);
    connect(runner_, &SequenceRunner::progressChanged, this, &ClipJob::progressChanged);
    connect(runner_, &SequenceRunner::finished, this, [this] {
        Q_EMIT finished(request_.output, QString::fromStdString(sequence_->note()));
    });
    connect(runner_, &SequenceRunner::failed, this, &ClipJob::failed);
    connect(runner_, &SequenceRunner::cancelled, this, &ClipJob::cancelled);
}

ClipJob::~ClipJob() = default;  // the runner cancels a clip still running

bool ClipJob::running() const { return runner_->running(); }
void ClipJob::start() { runner_->start(); }
void ClipJob::cancel() { runner_->cancel(); }

}  // namespace inceptionist::ui
