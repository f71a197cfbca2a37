#pragma once
// The explorer in Style mode: the photo painted small at five strengths, from weak to strong,
// and once after each painting alone, side by side, so an artist chooses the look rather than a
// number. Clicking a cell takes its setting (the strength, or that painting alone) as one undo
// step. The cells are made on the worker behind the canvas's own work, like the explorer's,
// with at most kMaxIterations iterations each; results for unchanged inputs are reused.

#include <QHash>
#include <QTimer>
#include <QWidget>

#include "core/params/dream_params.h"

class QLabel;

namespace inceptionist::ui {

class DreamController;
class Document;
class ThumbnailView;

class StyleStrip : public QWidget {
    Q_OBJECT
public:
    static constexpr int kCellSize = 160;      // px, long side of a cell's picture
    static constexpr int kMaxIterations = 20;  // per cell: a sketch of the full transfer
    // The strengths (style weight against content weight 1) of the five cells.
    static const std::vector<double>& strengths();

    StyleStrip(DreamController* controller, Document* document, QWidget* parent = nullptr);

    // While inactive (the dock hidden, or Dream mode) nothing is computed.
    void setActive(bool active);
    bool active() const { return active_; }
    ThumbnailView* view() const { return view_; }
    // The parameters cell `index` stands for (its strength, or its painting alone).
    DreamParams cellParams(int index) const;

private:
    void scheduleRestart();
    void restart();
    void choose(int index);

    DreamController* controller_;
    Document* doc_;
    ThumbnailView* view_;
    QLabel* hint_;
    QTimer restartTimer_;
    bool active_ = false;
    QHash<QString, QImage> cache_;  // by key: image, model and the cell's parameters
};

}  // namespace inceptionist::ui
