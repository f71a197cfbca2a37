#pragma once
// The clip's timeline under the canvas: a frame ruler, the keyframes as markers, the frames
// already made as a band, and the current frame as a line. Click or drag on the ruler to scrub;
// drag a marker to move its keyframe; Delete removes the selected keyframe; Left/Right, Home and
// End step through the frames; Space plays or pauses.

#include <QVector>
#include <QWidget>

namespace inceptionist::ui {

class Timeline : public QWidget {
    Q_OBJECT
public:
    explicit Timeline(QWidget* parent = nullptr);

    void setFrameCount(int frames);
    int frameCount() const { return frames_; }
    void setKeyframes(const QVector<int>& frames);
    const QVector<int>& keyframes() const { return keyframes_; }
    // Frames 0 … made-1 exist and can be shown.
    void setMadeFrames(int made);
    int madeFrames() const { return made_; }
    int currentFrame() const { return current_; }
    // Emits currentFrameChanged when it changes.
    void setCurrentFrame(int frame);
    // The keyframe last clicked, or -1.
    int selectedKeyframe() const { return selected_; }
    void selectKeyframe(int frame);

    // Where frame `frame` sits (the middle of the marker row), and the frame under x.
    QPoint pointForFrame(int frame) const;
    int frameAt(int x) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void currentFrameChanged(int frame);
    void keyframeMoved(int from, int to);
    void keyframeDeleted(int frame);
    void playToggled();

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent*) override;
    void mouseMoveEvent(QMouseEvent*) override;
    void mouseReleaseEvent(QMouseEvent*) override;
    void keyPressEvent(QKeyEvent*) override;

private:
    QRect track() const;  // the area frames are laid out on
    int keyframeNear(const QPoint& p) const;

    int frames_ = 100;
    QVector<int> keyframes_;
    int made_ = 0;
    int current_ = 0;
    int selected_ = -1;
    int dragging_ = -1;  // the keyframe being dragged, or -1
    int dragTo_ = -1;    // where it would land
    bool scrubbing_ = false;
};

}  // namespace inceptionist::ui
