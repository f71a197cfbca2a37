#include "ui/widgets/motion_panel.h"

#include <cmath>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "core/motion/video_file.h"
#include "core/params/errors.h"
#include "ui/model/clip_job.h"
#include "ui/model/document.h"
#include "ui/model/dream_controller.h"
#include "ui/widgets/timeline.h"

namespace inceptionist::ui {

namespace {

QDoubleSpinBox* numberBox(QWidget* parent, const char* name, double lo, double hi, double step,
                          int decimals, const QString& tip) {
    auto* box = new QDoubleSpinBox(parent);
    box->setObjectName(name);
    box->setRange(lo, hi);
    box->setSingleStep(step);
    box->setDecimals(decimals);
    box->setToolTip(tip);
    return box;
}

QSpinBox* countBox(QWidget* parent, const char* name, int lo, int hi, const QString& tip) {
    auto* box = new QSpinBox(parent);
    box->setObjectName(name);
    box->setRange(lo, hi);
    box->setToolTip(tip);
    return box;
}

}  // namespace

MotionPanel::MotionPanel(DreamController* controller, Document* document, QWidget* parent)
    : QWidget(parent), controller_(controller), doc_(document) {
    buildControls();
    showSettings();
    previewDelay_.setSingleShot(true);
    previewDelay_.setInterval(kPreviewDelayMs);
    connect(&previewDelay_, &QTimer::timeout, this, &MotionPanel::startPreview);
    connect(this, &MotionPanel::settingsChanged, this, &MotionPanel::schedulePreview);
    connect(doc_, &Document::paramsChanged, this, &MotionPanel::schedulePreview);
    connect(doc_, &Document::imageChanged, this, &MotionPanel::schedulePreview);
    connect(&player_, &QTimer::timeout, this, &MotionPanel::advancePlayback);
}

MotionPanel::~MotionPanel() = default;

void MotionPanel::buildControls() {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);

    timeline_ = new Timeline(this);
    timeline_->setObjectName("motionTimeline");
    layout->addWidget(timeline_);

    auto* keys = new QHBoxLayout;
    addKey_ = new QPushButton(tr("Add Keyframe"), this);
    addKey_->setObjectName("addKeyframeButton");
    addKey_->setToolTip(
        tr("Set the dream's parameters and the motion here at the current frame; frames between "
           "keyframes move from one to the next"));
    deleteKey_ = new QPushButton(tr("Delete Keyframe"), this);
    deleteKey_->setObjectName("deleteKeyframeButton");
    deleteKey_->setToolTip(tr("Remove the selected keyframe (Delete on the timeline)"));
    interpolation_ = new QComboBox(this);
    interpolation_->setObjectName("motionInterpolation");
    interpolation_->addItem(tr("Linear"), "linear");
    interpolation_->addItem(tr("Smooth"), "smooth");
    interpolation_->setToolTip(tr("How numbers move between keyframes"));
    frameLabel_ = new QLabel(this);
    frameLabel_->setObjectName("motionFrameLabel");
    play_ = new QPushButton(tr("Play"), this);
    play_->setObjectName("playButton");
    play_->setCheckable(true);
    play_->setToolTip(tr("Play the frames made so far in a loop (Space on the timeline)"));
    keys->addWidget(play_);
    keys->addWidget(addKey_);
    keys->addWidget(deleteKey_);
    keys->addWidget(interpolation_);
    keys->addWidget(frameLabel_);
    keys->addStretch(1);
    renderButton_ = new QPushButton(tr("Render Clip…"), this);
    renderButton_->setObjectName("renderClipButton");
    renderButton_->setToolTip(
        tr("Render the whole clip to MP4, WebM or a folder of PNG frames, in the background"));
    stopButton_ = new QPushButton(tr("Stop"), this);
    stopButton_->setObjectName("stopClipButton");
    stopButton_->setToolTip(
        tr("Stop the render; the frames made so far stay, and rendering the same clip again "
           "goes on from them"));
    stopButton_->setEnabled(false);
    renderProgress_ = new QProgressBar(this);
    renderProgress_->setObjectName("renderClipProgress");
    renderProgress_->setRange(0, 1000);
    renderProgress_->setMaximumWidth(220);
    renderProgress_->setVisible(false);
    renderStatus_ = new QLabel(this);
    renderStatus_->setObjectName("renderClipStatus");
    keys->addWidget(renderStatus_);
    keys->addWidget(renderProgress_);
    keys->addWidget(renderButton_);
    keys->addWidget(stopButton_);
    layout->addLayout(keys);
    connect(renderButton_, &QPushButton::clicked, this, &MotionPanel::renderDialog);
    connect(stopButton_, &QPushButton::clicked, this, &MotionPanel::stopRender);

    auto* grid = new QGridLayout;
    mode_ = new QComboBox(this);
    mode_->setObjectName("motionMode");
    mode_->addItem(tr("Zoom journey"));
    mode_->addItem(tr("Dreamed video"));
    mode_->setToolTip(
        tr("Zoom journey: each frame dreams the one before, moved by the camera. Dreamed video: "
           "every frame of a film dreamed, the dream carried along the motion"));
    video_ = new QLineEdit(this);
    video_->setObjectName("motionVideo");
    video_->setPlaceholderText(tr("Video to dream"));
    video_->setReadOnly(true);
    chooseVideo_ = new QPushButton(tr("Choose…"), this);
    chooseVideo_->setObjectName("chooseVideoButton");
    frames_ = countBox(this, "motionFrames", 1, 100000, tr("Frames of the zoom journey"));
    fps_ = numberBox(this, "motionFps", 1, 240, 1, 2, tr("Frames per second of the output"));
    zoom_ = numberBox(this, "motionZoom", 0.5, 2, 0.005, 3,
                      tr("Zoom per frame; above 1 moves in, below 1 moves out"));
    rotate_ = numberBox(this, "motionRotate", -45, 45, 0.1, 2,
                        tr("Rotation per frame in degrees, counter-clockwise"));
    panX_ = numberBox(this, "motionPanX", -1000, 1000, 0.5, 1,
                      tr("Pixels per frame the picture moves right (left when negative)"));
    panY_ = numberBox(this, "motionPanY", -1000, 1000, 0.5, 1,
                      tr("Pixels per frame the picture moves down (up when negative)"));
    colourHold_ = numberBox(this, "motionColourHold", 0, 1, 0.05, 2,
                            tr("How far each frame's colour is pulled back to the first frame's, "
                               "so hundreds of frames drift neither to saturated colour nor grey"));
    blend_ = numberBox(this, "motionBlend", 0, 1, 0.05, 2,
                       tr("Share of the previous dreamed frame, moved along the motion, in each "
                          "frame's start"));
    flow_ = new QCheckBox(tr("Follow the motion"), this);
    flow_->setObjectName("motionFlow");
    flow_->setToolTip(
        tr("Carry the dream along the optical flow; off dreams each frame on its own"));
    octaves_ = countBox(this, "motionOctaves", 1, 20, tr("Octaves of each frame's brief dream"));
    steps_ = countBox(this, "motionSteps", 1, 1000, tr("Steps of each frame's brief dream"));

    auto add = [&](int row, int column, const QString& label, QWidget* w) {
        auto* l = new QLabel(label, this);
        l->setBuddy(w);
        grid->addWidget(l, row, column * 2, Qt::AlignRight);
        grid->addWidget(w, row, column * 2 + 1);
    };
    add(0, 0, tr("&Clip"), mode_);
    auto* videoRow = new QHBoxLayout;
    videoRow->addWidget(video_, 1);
    videoRow->addWidget(chooseVideo_);
    grid->addWidget(new QLabel(tr("Video"), this), 0, 2, Qt::AlignRight);
    grid->addLayout(videoRow, 0, 3, 1, 5);
    add(1, 0, tr("&Frames"), frames_);
    add(1, 1, tr("FP&S"), fps_);
    add(1, 2, tr("&Octaves"), octaves_);
    add(1, 3, tr("S&teps"), steps_);
    add(2, 0, tr("&Zoom"), zoom_);
    add(2, 1, tr("&Rotation"), rotate_);
    add(2, 2, tr("Pan &X"), panX_);
    add(2, 3, tr("Pan &Y"), panY_);
    add(3, 0, tr("Colour &hold"), colourHold_);
    add(3, 1, tr("&Blend"), blend_);
    grid->addWidget(flow_, 3, 4, 1, 2);
    grid->setColumnStretch(8, 1);
    layout->addLayout(grid);
    layout->addStretch(1);

    for (QSpinBox* b : {frames_, octaves_, steps_})
        connect(b, &QSpinBox::valueChanged, this, &MotionPanel::readControls);
    for (QDoubleSpinBox* b : {fps_, zoom_, rotate_, panX_, panY_, colourHold_, blend_})
        connect(b, &QDoubleSpinBox::valueChanged, this, &MotionPanel::readControls);
    connect(flow_, &QCheckBox::toggled, this, &MotionPanel::readControls);
    connect(mode_, &QComboBox::currentIndexChanged, this, &MotionPanel::readControls);
    connect(interpolation_, &QComboBox::currentIndexChanged, this, &MotionPanel::readControls);
    connect(chooseVideo_, &QPushButton::clicked, this, &MotionPanel::chooseVideo);
    connect(addKey_, &QPushButton::clicked, this, &MotionPanel::addKeyframe);
    connect(deleteKey_, &QPushButton::clicked, this, &MotionPanel::deleteKeyframe);
    connect(timeline_, &Timeline::keyframeDeleted, this, [this](int frame) {
        if (settings_.removeKeyframe(frame)) keyframesChanged();
    });
    connect(timeline_, &Timeline::keyframeMoved, this, [this](int from, int to) {
        if (settings_.moveKeyframe(from, to)) keyframesChanged();
        timeline_->selectKeyframe(to);
    });
    connect(timeline_, &Timeline::currentFrameChanged, this, [this](int frame) {
        frameLabel_->setText(tr("Frame %1 of %2").arg(frame).arg(timeline_->frameCount()));
        showCurrentFrame();
    });
    connect(timeline_, &Timeline::playToggled, this, [this] { setPlaying(!playing()); });
    connect(play_, &QPushButton::toggled, this, &MotionPanel::setPlaying);
}

void MotionPanel::readControls() {
    if (showing_) return;
    ClipSettings s = settings_;
    s.mode =
        mode_->currentIndex() == 1 ? ClipSettings::Mode::Video : ClipSettings::Mode::ZoomJourney;
    s.frames = frames_->value();
    s.fps = fps_->value();
    s.motion = {zoom_->value(), rotate_->value(), panX_->value(), panY_->value()};
    s.colourHold = colourHold_->value();
    s.blend = blend_->value();
    s.flow = flow_->isChecked();
    s.octaves = octaves_->value();
    s.steps = steps_->value();
    s.interpolation =
        interpolation_->currentIndex() == 1 ? Interpolation::Smooth : Interpolation::Linear;
    if (s == settings_) return;
    settings_ = s;
    showSettings();  // what depends on the mode
    Q_EMIT settingsChanged();
}

void MotionPanel::showSettings() {
    showing_ = true;
    const ClipSettings& s = settings_;
    const bool video = s.mode == ClipSettings::Mode::Video;
    mode_->setCurrentIndex(video ? 1 : 0);
    video_->setText(QString::fromStdString(s.video));
    frames_->setValue(s.frames);
    fps_->setValue(s.fps);
    zoom_->setValue(s.motion.zoom);
    rotate_->setValue(s.motion.rotate);
    panX_->setValue(s.motion.panX);
    panY_->setValue(s.motion.panY);
    colourHold_->setValue(s.colourHold);
    blend_->setValue(s.blend);
    flow_->setChecked(s.flow);
    octaves_->setValue(s.octaves);
    steps_->setValue(s.steps);
    interpolation_->setCurrentIndex(s.interpolation == Interpolation::Smooth ? 1 : 0);
    // A journey moves by the camera and keyframes; a video by its own motion.
    for (QWidget* w :
         std::initializer_list<QWidget*>{frames_, fps_, zoom_, rotate_, panX_, panY_, colourHold_,
                                         addKey_, deleteKey_, interpolation_})
        w->setEnabled(!video);
    for (QWidget* w : std::initializer_list<QWidget*>{video_, chooseVideo_, blend_, flow_})
        w->setEnabled(video);
    int count = s.frames;
    if (video) {
        count = 1;
        if (!s.video.empty() && s.video != probedVideo_) {
            probedVideo_ = s.video;
            probedFrames_ = 1;
            try {
                probedFrames_ = int(std::max<int64_t>(1, probeVideo(s.video).frames));
            } catch (const Error&) {
                // Said when the clip is previewed or rendered.
            }
        }
        if (!s.video.empty()) count = probedFrames_;
    }
    timeline_->setFrameCount(count);
    QVector<int> keys;
    if (!video)
        for (const auto& k : s.keyframes) keys << k.frame;
    timeline_->setKeyframes(keys);
    frameLabel_->setText(tr("Frame %1 of %2").arg(timeline_->currentFrame()).arg(count));
    showing_ = false;
}

void MotionPanel::setSettings(const ClipSettings& settings) {
    if (settings == settings_) return;
    settings_ = settings;
    showSettings();
    Q_EMIT settingsChanged();
}

void MotionPanel::chooseVideo() {
    const QString f = QFileDialog::getOpenFileName(
        this, tr("Choose a video to dream"), QFileInfo(video_->text()).absolutePath(),
        tr("Videos (*.mp4 *.webm *.mkv *.mov *.avi *.m4v *.gif);;All files (*)"));
    if (f.isEmpty()) return;
    ClipSettings s = settings_;
    s.video = f.toStdString();
    s.mode = ClipSettings::Mode::Video;
    setSettings(s);
}

void MotionPanel::addKeyframe() {
    if (settings_.mode != ClipSettings::Mode::ZoomJourney) return;
    const int frame = timeline_->currentFrame();
    settings_.setKeyframe(frame, settings_.frameParams(doc_->params()), settings_.motion);
    keyframesChanged();
    timeline_->selectKeyframe(frame);
}

void MotionPanel::deleteKeyframe() {
    if (settings_.removeKeyframe(timeline_->selectedKeyframe())) keyframesChanged();
}

void MotionPanel::keyframesChanged() {
    showSettings();
    Q_EMIT settingsChanged();
}

void MotionPanel::setActive(bool active) {
    if (active == active_) return;
    active_ = active;
    if (active) {
        schedulePreview();
    } else {
        previewDelay_.stop();
        preview_.reset();  // cancels it
        setPlaying(false);
    }
}

void MotionPanel::schedulePreview() {
    if (active_ && !rendering()) previewDelay_.start();
}

// The first frames at a small size, as a sequence job on the worker: a newer preview replaces
// the one running.
void MotionPanel::startPreview() {
    if (!active_ || doc_->image().isNull()) return;
    if (settings_.mode == ClipSettings::Mode::Video && settings_.video.empty()) return;
    ClipRequest r;
    r.settings = settings_;
    r.params = doc_->params();
    r.photo = doc_->image();
    r.photoPath = doc_->sourcePath();
    r.previewFrames = kPreviewFrames;
    r.previewSize = kPreviewSize;
    preview_ = std::make_unique<ClipJob>(r, controller_);
    madeImages_.clear();
    timeline_->setMadeFrames(0);
    connect(preview_.get(), &ClipJob::frameReady, this, &MotionPanel::frameMade);
    connect(preview_.get(), &ClipJob::failed, this, [this](const QString& why) {
        Q_EMIT message(tr("The motion preview failed: %1").arg(why));
    });
    preview_->start();
}

void MotionPanel::frameMade(int frame, const QImage& image) {
    if (frame >= madeImages_.size()) madeImages_.resize(frame + 1);
    madeImages_[frame] = image;
    timeline_->setMadeFrames(madeFrames());
    if (frame == timeline_->currentFrame()) Q_EMIT showFrame(image);
    Q_EMIT framesMade(madeFrames());
}

int MotionPanel::madeFrames() const {
    int n = 0;
    while (n < madeImages_.size() && !madeImages_[n].isNull()) ++n;
    return n;
}

void MotionPanel::showCurrentFrame() {
    const int f = timeline_->currentFrame();
    if (f < madeImages_.size() && !madeImages_[f].isNull()) Q_EMIT showFrame(madeImages_[f]);
}

void MotionPanel::setPlaying(bool playing) {
    if (playing == player_.isActive()) return;
    if (playing) {
        const double fps = settings_.mode == ClipSettings::Mode::Video ? 25 : settings_.fps;
        player_.start(std::max(1, int(std::lround(1000.0 / fps))));
    } else {
        player_.stop();
    }
    const QSignalBlocker quiet(play_);
    play_->setChecked(playing);
}

void MotionPanel::advancePlayback() {
    const int made = madeFrames();
    if (made == 0) return;
    const int next = timeline_->currentFrame() + 1;
    timeline_->setCurrentFrame(next < made ? next : 0);
}

}  // namespace inceptionist::ui

namespace inceptionist::ui {

namespace {

QString timeLeft(double seconds) {
    if (seconds < 0) return {};
    if (seconds < 90) return MotionPanel::tr("about %1 s left").arg(std::max(1, int(seconds)));
    if (seconds < 5400) return MotionPanel::tr("about %1 min left").arg(int(seconds / 60 + 0.5));
    return MotionPanel::tr("about %1 h left").arg(seconds / 3600, 0, 'f', 1);
}

}  // namespace

bool MotionPanel::rendering() const { return render_ && render_->running(); }

void MotionPanel::renderDialog() {
    QString filters =
        tr("MP4 video, H.264 (*.mp4);;WebM video, VP9 (*.webm);;Folder of PNG frames (*)");
    // GIF is offered where the clip writer knows it.
    bool gif = false;
    try {
        gif = clipFormatFor("clip.gif") != ClipFormat::PngSequence;
    } catch (const Error&) {
    }
    if (gif) filters += tr(";;GIF (*.gif)");
    QString filter;
    QString f =
        QFileDialog::getSaveFileName(this, tr("Render the clip"), QString(), filters, &filter);
    if (f.isEmpty()) return;
    const QString suffix = QFileInfo(f).suffix();
    if (filter.contains("PNG") && !suffix.isEmpty())
        f = QFileInfo(f).absolutePath() + "/" + QFileInfo(f).completeBaseName();
    else if (suffix.isEmpty())
        for (const char* ext : {"mp4", "webm", "gif"})
            if (filter.contains(QString("*.") + ext)) f += QString(".") + ext;
    startRender(f);
}

bool MotionPanel::startRender(const QString& output) {
    if (rendering()) return false;
    try {
        settings_.validate();
        checkClipOutput(output.toStdString());
        if (settings_.mode == ClipSettings::Mode::Video && settings_.video.empty())
            throw Error(ErrorKind::Parameter, "choose a video to dream first");
        if (settings_.mode == ClipSettings::Mode::ZoomJourney && doc_->image().isNull())
            throw Error(ErrorKind::Input, "open a photo to start the journey from");
    } catch (const Error& e) {
        Q_EMIT message(tr("The clip cannot be rendered: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
    // The render has the worker to itself after the canvas: the preview waits.
    previewDelay_.stop();
    preview_.reset();
    setPlaying(false);
    ClipRequest r;
    r.settings = settings_;
    r.params = doc_->params();
    r.photo = doc_->image();
    r.photoPath = doc_->sourcePath();
    r.output = output;
    render_ = std::make_unique<ClipJob>(r, controller_);
    madeImages_.clear();
    timeline_->setMadeFrames(0);
    connect(render_.get(), &ClipJob::frameReady, this, &MotionPanel::frameMade);
    connect(render_.get(), &ClipJob::progressChanged, this,
            [this](double fraction, const QString& label, double secondsLeft) {
                renderProgress_->setValue(int(fraction * 1000));
                const QString left = timeLeft(secondsLeft);
                renderStatus_->setText(left.isEmpty() ? label : label + " · " + left);
            });
    connect(render_.get(), &ClipJob::finished, this,
            [this](const QString& out, const QString& note) {
                renderEnded(tr("Wrote %1").arg(QFileInfo(out).fileName()));
                Q_EMIT rendered(out, note);
            });
    connect(render_.get(), &ClipJob::failed, this, [this](const QString& why) {
        renderEnded(tr("The render failed"));
        Q_EMIT message(tr("The clip could not be rendered: %1").arg(why));
    });
    connect(render_.get(), &ClipJob::cancelled, this, [this] {
        renderEnded(tr("Stopped after %1 frames; render again to go on").arg(madeFrames()));
    });
    renderProgress_->setValue(0);
    renderProgress_->setVisible(true);
    renderStatus_->setText(tr("Starting…"));
    renderButton_->setEnabled(false);
    stopButton_->setEnabled(true);
    render_->start();
    return true;
}

void MotionPanel::stopRender() {
    if (rendering()) render_->cancel();
}

void MotionPanel::renderEnded(const QString& status) {
    renderProgress_->setVisible(false);
    renderStatus_->setText(status);
    renderButton_->setEnabled(true);
    stopButton_->setEnabled(false);
}

}  // namespace inceptionist::ui
