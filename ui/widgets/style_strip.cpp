#include "ui/widgets/style_strip.h"

#include <QFileInfo>
#include <QLabel>
#include <QVBoxLayout>

#include "ui/model/document.h"
#include "ui/model/dream_controller.h"
#include "ui/widgets/thumbnail_view.h"

namespace inceptionist::ui {

namespace {

constexpr int kRestartDelayMs = 300;  // as the explorer's: settle after a slider drag
constexpr int kMaxCachedCells = 64;

}  // namespace

const std::vector<double>& StyleStrip::strengths() {
    static const std::vector<double> s = {1, 3, 10, 30, 100};
    return s;
}

StyleStrip::StyleStrip(DreamController* controller, Document* document, QWidget* parent)
    : QWidget(parent), controller_(controller), doc_(document) {
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    hint_ = new QLabel(this);
    hint_->setWordWrap(true);
    column->addWidget(hint_);
    view_ = new ThumbnailView(kCellSize, this);
    view_->setObjectName("styleStrip");
    view_->setToolTip(
        tr("The photo painted small at five strengths and after each painting alone (at most "
           "%1 iterations each). Click one to use its setting.")
            .arg(kMaxIterations));
    column->addWidget(view_, 1);

    restartTimer_.setSingleShot(true);
    restartTimer_.setInterval(kRestartDelayMs);
    connect(&restartTimer_, &QTimer::timeout, this, &StyleStrip::restart);
    connect(doc_, &Document::imageChanged, this, &StyleStrip::scheduleRestart);
    connect(doc_, &Document::paramsChanged, this, &StyleStrip::scheduleRestart);
    connect(view_, &ThumbnailView::chosen, this, [this](const QVariant& v) { choose(v.toInt()); });
    // The controller passes on only the newest generation's results: while this strip is
    // active, that is its own.
    connect(controller_, &DreamController::backgroundProgress, this,
            [this](const QString& key, double f) {
                if (active_) view_->setProgress(key, f);
            });
    connect(controller_, &DreamController::backgroundDream, this,
            [this](const QString& key, const QImage& image) {
                if (!active_) return;
                if (cache_.size() >= kMaxCachedCells) cache_.clear();
                cache_.insert(key, image);
                view_->setImage(key, image);
            });
    connect(controller_, &DreamController::backgroundFailed, this,
            [this](const QString& key, const QString& message) {
                if (active_) view_->setError(key, message);
            });
}

void StyleStrip::setActive(bool active) {
    if (active == active_) return;
    active_ = active;
    if (active)
        restart();
    else
        controller_->stopBackground();
}

void StyleStrip::scheduleRestart() {
    if (active_) restartTimer_.start();
}

DreamParams StyleStrip::cellParams(int index) const {
    DreamParams p = doc_->params();
    const int strengthCells = static_cast<int>(strengths().size());
    if (index < strengthCells) {
        p.style.styleWeight = strengths()[index];
    } else if (index - strengthCells < static_cast<int>(p.style.images.size())) {
        StyleImage alone = p.style.images[index - strengthCells];
        alone.weight = 1.0;
        p.style.images = {alone};
    }
    return p;
}

void StyleStrip::restart() {
    restartTimer_.stop();
    if (!active_) return;
    const DreamParams& current = doc_->params();
    std::vector<BackgroundJob> jobs;
    if (current.mode != "style" || current.style.images.empty() || doc_->image().isNull()) {
        hint_->setText(
            tr("Add a painting in the Style panel to see the photo painted at five "
               "strengths and after each painting alone."));
        hint_->show();
        view_->clear();
        controller_->startBackground({});
        return;
    }
    hint_->hide();
    const int cells = static_cast<int>(strengths().size() + current.style.images.size());
    QStringList labels, keys;
    QVariantList values;
    std::vector<DreamParams> params;
    for (int i = 0; i < cells; ++i) {
        DreamParams p = cellParams(i);
        p.workingSize = kCellSize;
        p.style.iterations = std::min(p.style.iterations, kMaxIterations);
        const bool strengthCell = i < static_cast<int>(strengths().size());
        labels << (strengthCell
                       ? tr("Strength %1").arg(p.style.styleWeight)
                       : tr("%1 alone")
                             .arg(QFileInfo(QString::fromStdString(p.style.images.front().path))
                                      .fileName()));
        keys << QStringLiteral("style|%1|%2")
                    .arg(doc_->imageKey())
                    .arg(QString::fromStdString(p.toJson().dump()));
        values << i;
        params.push_back(p);
    }
    bool same = view_->count() == cells;
    for (int i = 0; same && i < cells; ++i)
        same = view_->item(i)->data(ThumbnailView::KeyRole).toString() == keys[i];
    if (!same) view_->setItems(labels, keys, values);
    for (int i = 0; i < cells; ++i) {
        if (cache_.contains(keys[i]))
            view_->setImage(keys[i], cache_.value(keys[i]));
        else
            jobs.push_back(
                {BackgroundJob::Kind::Dream, 0, keys[i], params[size_t(i)], doc_->image()});
    }
    // The cell whose setting is the current one.
    view_->clearSelection();
    for (int i = 0; i < static_cast<int>(strengths().size()); ++i)
        if (strengths()[size_t(i)] == current.style.styleWeight) view_->setCurrentRow(i);
    controller_->startBackground(std::move(jobs));
}

void StyleStrip::choose(int index) {
    const DreamParams p = cellParams(index);
    doc_->editParams(p, fieldOf(ParamId::Style));
}

}  // namespace inceptionist::ui
