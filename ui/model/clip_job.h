#pragma once
// A clip in the window: a preview of its first frames (small, shown one by one as they are
// made) or the render of the whole into a video file or a folder of PNG frames. Both are
// sequence jobs on the dream worker (ui/model/sequence_job.h), so they use its cached networks,
// let the canvas's dreams go first, and never make the GUI thread wait.
//
// A preview of a zoom journey is one item per frame, dreamt with the frame stepper of the command
// line's renderer; a video's preview and every render run the command line's own renderers
// (core/motion), so the window's frames, frames folder, resume and output metadata are the
// command line's: a render stopped with cancel() goes on from the frames in OUT.frames when it
// is started again with the same clip, in this run or a later one.
//
// Threading: a ClipJob lives on the GUI thread; what its work needs is copied into it, so the
// ClipJob may be deleted while the work still runs (it is cancelled then).

#include <memory>

#include <QImage>
#include <QObject>

#include "core/motion/clip_settings.h"

namespace inceptionist::ui {

class ClipSequence;
class DreamController;

struct ClipRequest {
    ClipSettings settings;
    DreamParams params;  // the window's parameters (frames without keyframes)
    QImage photo;        // a zoom journey's start
    QString photoPath;   // its file, for the output's record; empty for a pasted photo
    QString output;      // .mp4, .webm or a folder; empty for a preview
    int previewFrames = 8;
    int previewSize = 192;  // long side of a preview's frames
    int shownSize = 768;    // long side of the frames handed to the window while rendering
};

class ClipJob : public QObject {
    Q_OBJECT
public:
    ClipJob(ClipRequest request, DreamController* controller, QObject* parent = nullptr);
    ~ClipJob() override;

    void start();
    void cancel();
    bool running() const;
    bool isPreview() const { return request_.output.isEmpty(); }
    const ClipRequest& request() const { return request_; }

    // Whether a render into `output` goes on from the frames a stopped render of the same clip
    // left beside it (their record names the same parameters and input).
    static bool canResume(const QString& output, const std::string& metadata);

Q_SIGNALS:
    // Frame `frame` is made (frames before it may come later only after a resume).
    void frameReady(int frame, QImage image);
    void progressChanged(double fraction, QString label, double secondsLeft);
    // The clip was written (`note`: something to know, such as sound that could not be kept).
    void finished(QString output, QString note);
    void failed(QString message);
    void cancelled();

private:
    ClipRequest request_;
    std::shared_ptr<ClipSequence> sequence_;
    class SequenceRunner* runner_ = nullptr;
};

}  // namespace inceptionist::ui
