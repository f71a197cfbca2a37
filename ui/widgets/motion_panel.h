#pragma once
// The Motion panel: a clip made from the open photo (a zoom journey) or from a film (a dreamed
// video). It sets the clip's length, frame rate and camera motion (zoom, rotation, pan; blend and
// flow for a video), and keeps its keyframes on the timeline: each one is the document's dream
// parameters and the motion here, set at the timeline's current frame.

#include <memory>

#include <QImage>
#include <QTimer>
#include <QVector>
#include <QWidget>

#include "core/motion/clip_settings.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace inceptionist::ui {

class ClipJob;
class DreamController;
class Document;
class Timeline;

class MotionPanel : public QWidget {
    Q_OBJECT
public:
    MotionPanel(DreamController* controller, Document* document, QWidget* parent = nullptr);
    ~MotionPanel() override;

    const ClipSettings& settings() const { return settings_; }
    // From a preset or a restored session; the controls follow.
    void setSettings(const ClipSettings& settings);
    Timeline* timeline() const { return timeline_; }

    // A keyframe at the timeline's current frame: the document's parameters (with this clip's
    // octaves and steps) and the motion set here. Replaces one already there.
    void addKeyframe();
    // Removes the selected keyframe, if any.
    void deleteKeyframe();

    // While active (the panel in view), the first frames are previewed: again, newest first,
    // a moment after the clip, the dream's parameters or the image change.
    void setActive(bool active);
    bool active() const { return active_; }
    static constexpr int kPreviewFrames = 8;
    static constexpr int kPreviewSize = 192;  // long side of the preview's frames
    static constexpr int kPreviewDelayMs = 300;
    ClipJob* previewJob() const { return preview_.get(); }
    // The frames made so far, by frame number (null where none is made yet).
    const QVector<QImage>& frames() const { return madeImages_; }

    // Plays the frames made so far in a loop, at the clip's frame rate (Space on the timeline).
    void setPlaying(bool playing);
    bool playing() const { return player_.isActive(); }

    // Renders the whole clip into `output` (.mp4, .webm, or a folder for PNG frames) in the
    // background, with progress and time left here; the frames land in OUT.frames beside it, and
    // a render of the same clip that was stopped goes on from them. False, with a message, when
    // it cannot start.
    bool startRender(const QString& output);
    void stopRender();
    bool rendering() const;
    ClipJob* renderJob() const { return render_.get(); }
    QProgressBar* renderProgress() const { return renderProgress_; }
    QLabel* renderStatus() const { return renderStatus_; }

Q_SIGNALS:
    void rendered(QString output, QString note);
    // The clip changed (for the autosave).
    void settingsChanged();
    void message(QString text);
    // Frames 0 … made-1 are made (preview or render).
    void framesMade(int made);
    // The canvas should show this frame (the timeline's current one, when it is made).
    void showFrame(QImage image);

private:
    void buildControls();
    // The controls' values into settings_.
    void readControls();
    void showSettings();
    void chooseVideo();
    void keyframesChanged();
    void schedulePreview();
    void startPreview();
    void frameMade(int frame, const QImage& image);
    void showCurrentFrame();
    void advancePlayback();
    int madeFrames() const;  // frames 0 … n-1 are all made
    void renderDialog();
    void renderEnded(const QString& status);

    DreamController* controller_;
    Document* doc_;
    ClipSettings settings_;
    bool showing_ = false;  // controls being set from settings_: their signals are not edits
    bool active_ = false;
    QTimer previewDelay_;
    std::unique_ptr<ClipJob> preview_;
    std::unique_ptr<ClipJob> render_;
    QVector<QImage> madeImages_;
    QTimer player_;
    std::string probedVideo_;  // the video whose frames the timeline counts
    int probedFrames_ = 1;

    Timeline* timeline_ = nullptr;
    QComboBox* mode_ = nullptr;
    QLineEdit* video_ = nullptr;
    QPushButton* chooseVideo_ = nullptr;
    QSpinBox* frames_ = nullptr;
    QDoubleSpinBox* fps_ = nullptr;
    QDoubleSpinBox* zoom_ = nullptr;
    QDoubleSpinBox* rotate_ = nullptr;
    QDoubleSpinBox* panX_ = nullptr;
    QDoubleSpinBox* panY_ = nullptr;
    QDoubleSpinBox* colourHold_ = nullptr;
    QDoubleSpinBox* blend_ = nullptr;
    QCheckBox* flow_ = nullptr;
    QSpinBox* octaves_ = nullptr;
    QSpinBox* steps_ = nullptr;
    QComboBox* interpolation_ = nullptr;
    QPushButton* addKey_ = nullptr;
    QPushButton* deleteKey_ = nullptr;
    QLabel* frameLabel_ = nullptr;
    QPushButton* play_ = nullptr;
    QPushButton* renderButton_ = nullptr;
    QPushButton* stopButton_ = nullptr;
    QProgressBar* renderProgress_ = nullptr;
    QLabel* renderStatus_ = nullptr;
};

}  // namespace inceptionist::ui
