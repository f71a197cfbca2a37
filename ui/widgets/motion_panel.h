#pragma once
// The Motion panel: a clip made from the open photo (a zoom journey) or from a film (a dreamed
// video). It sets the clip's length, frame rate and camera motion (zoom, rotation, pan; blend and
// flow for a video), and keeps its keyframes on the timeline: each one is the document's dream
// parameters and the motion here, set at the timeline's current frame.

#include <QImage>
#include <QWidget>

#include "core/motion/clip_settings.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace inceptionist::ui {

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

Q_SIGNALS:
    // The clip changed (for the autosave).
    void settingsChanged();
    void message(QString text);

private:
    void buildControls();
    // The controls' values into settings_.
    void readControls();
    void showSettings();
    void chooseVideo();
    void keyframesChanged();

    DreamController* controller_;
    Document* doc_;
    ClipSettings settings_;
    bool showing_ = false;  // controls being set from settings_: their signals are not edits

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
};

}  // namespace inceptionist::ui
