#include "ui/widgets/explorer_panel.h"

#include <algorithm>

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

#include "core/io/image_io.h"
#include "core/model/class_names.h"
#include "core/params/errors.h"
#include "core/render/explorer.h"
#include "ui/model/document.h"
#include "ui/model/dream_controller.h"
#include "ui/model/image_convert.h"
#include "ui/widgets/class_grid.h"
#include "ui/widgets/thumbnail_view.h"

namespace inceptionist::ui {

namespace {
constexpr int kRestartDelayMs = 300;  // settle after a slider drag before throwing work away
constexpr int kCacheEntries = 400;    // thumbnails kept for unchanged inputs
constexpr int kSheetColumns = 4;

QString describe(const DreamParams& p) {
    QStringList layers;
    for (const auto& l : p.layers) {
        QString s = QString::fromStdString(l.name);
        if (!l.channels.empty()) s += QStringLiteral(" #%1").arg(l.channels.front());
        layers << s;
    }
    return QObject::tr("%1 · %2 · %3 octaves × %4 steps · step %5 · seed %6")
        .arg(QString::fromStdString(p.model), layers.join(" + "))
        .arg(p.octaves)
        .arg(p.steps)
        .arg(p.stepSize)
        .arg(p.seed);
}
}  // namespace

ExplorerPanel::ExplorerPanel(DreamController* controller, Document* document,
                             std::vector<ModelManifest> models, QWidget* parent)
    : QWidget(parent), controller_(controller), doc_(document), models_(std::move(models)) {
    tabs_ = new QTabWidget(this);

    auto* layersPage = new QWidget(this);
    layers_ = new ThumbnailView(kThumbnailSize, layersPage);
    layers_->setToolTip(
        tr("The current image dreamt with each layer. Click one to use that layer."));
    auto* exportLayers = new QPushButton(tr("Export Contact Sheet…"), layersPage);
    auto* layersLayout = new QVBoxLayout(layersPage);
    layersLayout->addWidget(layers_, 1);
    layersLayout->addWidget(exportLayers, 0, Qt::AlignRight);
    tabs_->addTab(layersPage, tr("Layers"));

    auto* channelsPage = new QWidget(this);
    channelLayer_ = new QComboBox(channelsPage);
    channelLayer_->setToolTip(
        tr("The layer whose channels are shown, strongest for this image first"));
    prevPage_ = new QPushButton(tr("◀"), channelsPage);
    nextPage_ = new QPushButton(tr("▶"), channelsPage);
    prevPage_->setToolTip(tr("Previous page of channels"));
    nextPage_->setToolTip(tr("Next page of channels"));
    pageLabel_ = new QLabel(channelsPage);
    channels_ = new ThumbnailView(kThumbnailSize, channelsPage);
    channels_->setToolTip(
        tr("The current image dreamt with one channel each. Click one to use that channel."));
    auto* exportChannels = new QPushButton(tr("Export Contact Sheet…"), channelsPage);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Layer"), channelsPage));
    bar->addWidget(channelLayer_, 1);
    bar->addWidget(prevPage_);
    bar->addWidget(pageLabel_);
    bar->addWidget(nextPage_);
    auto* channelsLayout = new QVBoxLayout(channelsPage);
    channelsLayout->addLayout(bar);
    channelsLayout->addWidget(channels_, 1);
    channelsLayout->addWidget(exportChannels, 0, Qt::AlignRight);
    tabs_->addTab(channelsPage, tr("Channels"));

    auto* comparePage = new QWidget(this);
    auto* pinA = new QPushButton(tr("Pin Current as A"), comparePage);
    auto* pinB = new QPushButton(tr("Pin Current as B"), comparePage);
    pinnedA_ = new QLabel(tr("A: not pinned"), comparePage);
    pinnedB_ = new QLabel(tr("B: not pinned"), comparePage);
    compare_ = new QPushButton(tr("Compare A | B on the Canvas"), comparePage);
    compare_->setCheckable(true);
    compare_->setEnabled(false);
    compare_->setToolTip(
        tr("Dream both at the working size and show them side by side, with a line to drag"));
    compareBar_ = new QProgressBar(comparePage);
    compareBar_->setRange(0, 1000);
    compareBar_->setFormat(tr("dreaming A and B… %p%"));
    compareBar_->hide();
    pinnedA_->setWordWrap(true);
    pinnedB_->setWordWrap(true);
    auto* compareLayout = new QVBoxLayout(comparePage);
    for (QWidget* w : {static_cast<QWidget*>(pinA), static_cast<QWidget*>(pinnedA_),
                       static_cast<QWidget*>(pinB), static_cast<QWidget*>(pinnedB_),
                       static_cast<QWidget*>(compare_), static_cast<QWidget*>(compareBar_)})
        compareLayout->addWidget(w);
    compareLayout->addStretch(1);
    tabs_->addTab(comparePage, tr("A/B Compare"));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(tabs_);
    addClassesTab();
    addVariationTabs();

    restartTimer_.setSingleShot(true);
    restartTimer_.setInterval(kRestartDelayMs);
    connect(&restartTimer_, &QTimer::timeout, this, &ExplorerPanel::restart);
    connect(tabs_, &QTabWidget::currentChanged, this, &ExplorerPanel::restart);
    connect(doc_, &Document::imageChanged, this, &ExplorerPanel::scheduleRestart);
    connect(doc_, &Document::paramsChanged, this, &ExplorerPanel::scheduleRestart);
    connect(channelLayer_, &QComboBox::activated, this, [this] {
        page_ = 0;
        restart();
    });
    connect(prevPage_, &QPushButton::clicked, this, [this] { showChannelPage(page_ - 1); });
    connect(nextPage_, &QPushButton::clicked, this, [this] { showChannelPage(page_ + 1); });
    connect(layers_, &ThumbnailView::chosen, this,
            [this](const QVariant& v) { Q_EMIT layerChosen(v.toString()); });
    connect(channels_, &ThumbnailView::chosen, this, [this](const QVariant& v) {
        Q_EMIT channelChosen(channelLayer_->currentData().toString(), v.toInt());
    });
    connect(exportLayers, &QPushButton::clicked, this, &ExplorerPanel::exportSheetDialog);
    connect(exportChannels, &QPushButton::clicked, this, &ExplorerPanel::exportSheetDialog);
    connect(pinA, &QPushButton::clicked, this, [this] { pin(false); });
    connect(pinB, &QPushButton::clicked, this, [this] { pin(true); });
    connect(compare_, &QPushButton::toggled, this, &ExplorerPanel::setComparing);

    connect(controller_, &DreamController::backgroundProgress, this,
            [this](const QString& key, double f) {
                layers_->setProgress(key, f);
                channels_->setProgress(key, f);
                classGrid_->view()->setProgress(key, f);
                seeds_->setProgress(key, f);
                strengths_->setProgress(key, f);
                if (!compare_->isChecked() || !(key.startsWith("A|") || key.startsWith("B|")))
                    return;
                (key.startsWith("A|") ? progressA_ : progressB_) = f;
                const double both = ((compareA_.isNull() ? progressA_ : 1.0) +
                                     (compareB_.isNull() ? progressB_ : 1.0)) /
                                    2;
                compareBar_->setValue(static_cast<int>(both * 1000));
                compareBar_->show();
                Q_EMIT compareProgress(both);
            });
    connect(controller_, &DreamController::backgroundDream, this,
            [this](const QString& key, const QImage& image) {
                remember(key, image);
                layers_->setImage(key, image);
                channels_->setImage(key, image);
                classGrid_->view()->setImage(key, image);
                seeds_->setImage(key, image);
                strengths_->setImage(key, image);
                if (key.startsWith("A|")) compareA_ = image;
                if (key.startsWith("B|")) compareB_ = image;
                if (compare_->isChecked() && !compareA_.isNull() && !compareB_.isNull()) {
                    compareBar_->hide();
                    Q_EMIT compareReady(compareA_, compareB_);
                }
            });
    connect(controller_, &DreamController::backgroundFailed, this,
            [this](const QString& key, const QString& message) {
                layers_->setError(key, message);
                channels_->setError(key, message);
                classGrid_->view()->setError(key, message);
                seeds_->setError(key, message);
                strengths_->setError(key, message);
                if (key.startsWith("A|") || key.startsWith("B|")) Q_EMIT this->message(message);
            });
    connect(controller_, &DreamController::backgroundRanking, this,
            [this](const QString& key, QVector<float> means) {
                rankings_[key] = rankChannels(std::vector<float>(means.begin(), means.end()));
                if (key == rankingKey()) {
                    std::vector<BackgroundJob> jobs;
                    showChannelThumbnails(jobs);
                    queue(std::move(jobs));
                }
            });
}

const ModelManifest* ExplorerPanel::model() const {
    for (const auto& m : models_)
        if (m.id == doc_->params().model) return &m;
    return nullptr;
}

void ExplorerPanel::setModels(std::vector<ModelManifest> models) {
    models_ = std::move(models);
    scheduleRestart();
}

void ExplorerPanel::setActive(bool active) {
    active_ = active;
    if (active)
        restart();
    else
        controller_->stopBackground();
}

void ExplorerPanel::scheduleRestart() {
    if (active_) restartTimer_.start();
}

QString ExplorerPanel::basisKey() const {
    DreamParams p = doc_->params();
    p.layers.clear();
    p.workingSize = kThumbnailSize;
    return QString::number(doc_->imageKey()) + QString::fromStdString(p.toJson().dump());
}

QString ExplorerPanel::rankingKey() const {
    return QStringLiteral("rank|%1|%2|%3|%4")
        .arg(doc_->imageKey())
        .arg(QString::fromStdString(doc_->params().model), channelLayer_->currentData().toString())
        .arg(doc_->params().workingSize);
}

void ExplorerPanel::remember(const QString& key, const QImage& image) {
    if (!cache_.contains(key)) cacheOrder_.append(key);
    cache_.insert(key, image);
    while (cacheOrder_.size() > kCacheEntries) cache_.remove(cacheOrder_.takeFirst());
}

void ExplorerPanel::restart() {
    restartTimer_.stop();
    if (!active_) return;
    std::vector<BackgroundJob> jobs;
    const bool haveImage = !doc_->image().isNull() || doc_->params().startFromNoise;
    if (haveImage && model()) {
        if (tabs_->currentIndex() == 0) restartLayers(jobs);
        if (tabs_->currentIndex() == 1) restartChannels(jobs);
        if (tabs_->currentWidget() == classGrid_) restartClasses(jobs);
        if (tabs_->currentWidget() == seedsPage_) restartSeeds(jobs);
        if (tabs_->currentWidget() == strengthsPage_) restartStrengths(jobs);
    }
    queue(std::move(jobs));
}

void ExplorerPanel::queue(std::vector<BackgroundJob> jobs) {
    // The queue is replaced as a whole: the pair being compared goes with every grid's jobs.
    if (compare_->isChecked()) restartCompare(jobs);
    highlightChosen();
    controller_->startBackground(std::move(jobs));
}

void ExplorerPanel::highlightChosen() {
    const auto& layers = doc_->params().layers;
    const bool single = layers.size() == 1;
    auto select = [](ThumbnailView* view, const QVariant& value) {
        view->clearSelection();
        for (int i = 0; i < view->count(); ++i)
            if (value.isValid() && view->item(i)->data(ThumbnailView::ValueRole) == value) {
                view->setCurrentItem(view->item(i));
                view->scrollToItem(view->item(i));
            }
    };
    select(layers_, single && layers.front().channels.empty()
                        ? QVariant(QString::fromStdString(layers.front().name))
                        : QVariant());
    const bool channelOfShownLayer =
        single && layers.front().channels.size() == 1 &&
        QString::fromStdString(layers.front().name) == channelLayer_->currentData().toString();
    select(channels_, channelOfShownLayer ? QVariant(layers.front().channels.front()) : QVariant());
}

void ExplorerPanel::restartLayers(std::vector<BackgroundJob>& jobs) {
    const QString basis = basisKey();
    QStringList labels, keys;
    QVariantList values;
    const auto thumbs = layerThumbnails(doc_->params(), *model());
    for (const auto& t : thumbs) {
        labels << QString::fromStdString(t.label);
        keys << basis + "|layer|" + QString::fromStdString(t.label);
        values << QString::fromStdString(t.label);
    }
    if (layers_->count() == 0 ||
        layers_->item(0)->data(ThumbnailView::KeyRole).toString() != keys.value(0))
        layers_->setItems(labels, keys, values);
    for (size_t i = 0; i < thumbs.size(); ++i) {
        if (cache_.contains(keys[int(i)])) {
            layers_->setImage(keys[int(i)], cache_.value(keys[int(i)]));
            continue;
        }
        jobs.push_back(
            {BackgroundJob::Kind::Dream, 0, keys[int(i)], thumbs[i].params, doc_->image()});
    }
}

void ExplorerPanel::restartChannels(std::vector<BackgroundJob>& jobs) {
    // The layer list follows the model; the current layer of the dream is preselected.
    const QString wanted = channelLayer_->count()
                               ? channelLayer_->currentData().toString()
                               : QString::fromStdString(doc_->params().layers.front().name);
    channelLayer_->clear();
    for (const auto& l : model()->layers)
        channelLayer_->addItem(
            QStringLiteral("%1 (%2 channels)").arg(QString::fromStdString(l.name)).arg(l.channels),
            QString::fromStdString(l.name));
    channelLayer_->setCurrentIndex(std::max(0, channelLayer_->findData(wanted)));
    const QString key = rankingKey();
    if (!rankings_.contains(key)) {
        DreamParams p = doc_->params();
        p.layers = {{channelLayer_->currentData().toString().toStdString(), 1.0, {}}};
        jobs.push_back({BackgroundJob::Kind::RankChannels, 0, key, p, doc_->image()});
        channels_->clear();
        pageLabel_->setText(tr("ranking…"));
        return;
    }
    showChannelThumbnails(jobs);
}

void ExplorerPanel::showChannelThumbnails(std::vector<BackgroundJob>& jobs) {
    const auto& ranked = rankings_.value(rankingKey());
    const int pages = std::max(1, int((ranked.size() + kChannelsPerPage - 1) / kChannelsPerPage));
    page_ = std::clamp(page_, 0, pages - 1);
    pageLabel_->setText(tr("page %1 of %2").arg(page_ + 1).arg(pages));
    prevPage_->setEnabled(page_ > 0);
    nextPage_->setEnabled(page_ + 1 < pages);
    const std::string layer = channelLayer_->currentData().toString().toStdString();
    const auto thumbs = channelThumbnails(doc_->params(), layer, ranked,
                                          size_t(page_) * kChannelsPerPage, kChannelsPerPage);
    const QString basis = basisKey();
    QStringList labels, keys;
    QVariantList values;
    for (const auto& t : thumbs) {
        labels << QString::fromStdString(t.label);
        keys << basis + "|channel|" + QString::fromStdString(t.label);
        values << t.params.layers.front().channels.front();
    }
    channels_->setItems(labels, keys, values);
    highlightChosen();
    for (size_t i = 0; i < thumbs.size(); ++i) {
        if (cache_.contains(keys[int(i)]))
            channels_->setImage(keys[int(i)], cache_.value(keys[int(i)]));
        else
            jobs.push_back(
                {BackgroundJob::Kind::Dream, 0, keys[int(i)], thumbs[i].params, doc_->image()});
    }
}

void ExplorerPanel::showChannelPage(int page) {
    page_ = page;
    std::vector<BackgroundJob> jobs;
    if (rankings_.contains(rankingKey())) {
        showChannelThumbnails(jobs);
    } else if (active_ && model()) {
        restart();  // the ranking's job comes again with the rest
        return;
    }
    queue(std::move(jobs));
}

void ExplorerPanel::pin(bool asB) {
    (asB ? b_ : a_) = doc_->params();
    (asB ? pinnedB_ : pinnedA_)->setText((asB ? tr("B: ") : tr("A: ")) + describe(doc_->params()));
    compare_->setEnabled(a_ && b_);
    if (compare_->isChecked()) restart();
}

void ExplorerPanel::restartCompare(std::vector<BackgroundJob>& jobs) {
    if (!a_ || !b_) return;
    const QString image = QString::number(doc_->imageKey());
    const QString keyA = "A|" + image + QString::fromStdString(a_->toJson().dump());
    const QString keyB = "B|" + image + QString::fromStdString(b_->toJson().dump());
    compareA_ = cache_.value(keyA);
    compareB_ = cache_.value(keyB);
    // The pair goes first: it is what the person is looking at.
    if (compareB_.isNull())
        jobs.insert(jobs.begin(),
                    BackgroundJob{BackgroundJob::Kind::Dream, 0, keyB, *b_, doc_->image()});
    if (compareA_.isNull())
        jobs.insert(jobs.begin(),
                    BackgroundJob{BackgroundJob::Kind::Dream, 0, keyA, *a_, doc_->image()});
    if (!compareA_.isNull() && !compareB_.isNull()) {
        compareBar_->hide();
        Q_EMIT compareReady(compareA_, compareB_);
        return;
    }
    // Something to see at once: the pair takes as long as two small dreams.
    progressA_ = progressB_ = 0;
    const double done = ((compareA_.isNull() ? 0.0 : 1.0) + (compareB_.isNull() ? 0.0 : 1.0)) / 2;
    compareBar_->setValue(static_cast<int>(done * 1000));
    compareBar_->show();
    Q_EMIT compareProgress(done);
}

void ExplorerPanel::setComparing(bool on) {
    if (compare_->isChecked() != on) compare_->setChecked(on);  // re-enters through toggled
    if (!on) {
        compareBar_->hide();
        Q_EMIT compareEnded();
    }
    restart();
}

QString ExplorerPanel::exportSheet(const QString& path) {
    ThumbnailView* view = tabs_->currentIndex() == 1 ? channels_ : layers_;
    const bool classes = tabs_->currentWidget() == classGrid_;
    if (classes) view = classGrid_->view();
    const bool seeds = tabs_->currentWidget() == seedsPage_;
    const bool strengths = tabs_->currentWidget() == strengthsPage_;
    if (seeds) view = seeds_;
    if (strengths) view = strengths_;
    std::vector<cv::Mat> cells;
    std::vector<std::string> labels;
    for (const auto& [label, image] : view->images()) {
        if (image.isNull()) continue;
        cells.push_back(toMat(image));
        labels.push_back(label.toStdString());
    }
    if (cells.empty())
        throw Error(ErrorKind::Output, path.toStdString() + ": no thumbnails are finished yet");
    const std::string image = doc_->sourcePath().isEmpty()
                                  ? std::string("untitled")
                                  : QFileInfo(doc_->sourcePath()).fileName().toStdString();
    const std::string channelsOf =
        tabs_->currentIndex() == 1 ? channelLayer_->currentData().toString().toStdString() : "";
    std::string title =
        sheetTitle(model() ? model()->displayName : doc_->params().model, image, channelsOf);
    if (classes)
        title =
            (model() ? model()->displayName : doc_->params().model) + " - " + image + " - classes";
    const std::string modelName = model() ? model()->displayName : doc_->params().model;
    if (seeds) title = modelName + " - " + image + " - seeds";
    if (strengths) title = modelName + " - " + image + " - step size (across) x steps (down)";
    const int total = view->count();
    const int finished = static_cast<int>(cells.size());
    if (finished < total)
        title += " - " + std::to_string(finished) + " of " + std::to_string(total) + " finished";
    WriteOptions o;
    o.metadata = doc_->params().toJson().dump();
    // A strength sheet keeps the grid's shape: a column per step size, a row per step count.
    const int columns = strengths ? std::max<int>(1, int(shownStepSizes_.size())) : kSheetColumns;
    writeImage(path.toStdString(), contactSheet(cells, labels, title, columns), o);
    if (finished == total) return {};
    return tr("%1 holds %2 of the %3 thumbnails: the others were not finished yet. Export again "
              "when the grid is complete for all of them.")
        .arg(QFileInfo(path).fileName())
        .arg(finished)
        .arg(total);
}

void ExplorerPanel::exportSheetDialog() {
    const QString file =
        QFileDialog::getSaveFileName(this, tr("Export Contact Sheet"), tr("contact-sheet.png"),
                                     tr("PNG (*.png);;JPEG (*.jpg *.jpeg);;TIFF (*.tif *.tiff)"));
    if (file.isEmpty()) return;
    try {
        const QString note = exportSheet(file);
        if (!note.isEmpty()) Q_EMIT message(note);
    } catch (const Error& e) {
        Q_EMIT message(QString::fromUtf8(e.what()));
    }
}

void ExplorerPanel::addClassesTab() {
    classGrid_ = new ClassGrid(kThumbnailSize, this);
    tabs_->addTab(classGrid_, tr("Classes"));
    connect(classGrid_, &ClassGrid::searchChanged, this, &ExplorerPanel::restart);
    connect(classGrid_->view(), &ThumbnailView::chosen, this,
            [this](const QVariant& v) { Q_EMIT classChosen(v.toString()); });
    connect(classGrid_->exportButton(), &QPushButton::clicked, this,
            &ExplorerPanel::exportSheetDialog);
}

void ExplorerPanel::restartClasses(std::vector<BackgroundJob>& jobs) {
    const ModelManifest& m = *model();
    if (m.headClasses <= 0) {
        classGrid_->view()->clear();
        classGrid_->setUnavailable(
            tr("%1 has no classifier head (a Dense layer before a softmax), so it cannot draw "
               "classes.")
                .arg(QString::fromStdString(m.displayName)));
        return;
    }
    classGrid_->setUnavailable(QString());
    const auto names = classNamesFor(m, m.headClasses);
    const auto shown = classGrid_->shownClasses(names, m.headClasses, doc_->params().classes);
    // Every cell draws its own class: the classes the dream draws now are no part of its key.
    DreamParams basisParams = doc_->params();
    basisParams.layers.clear();
    basisParams.classes.clear();
    basisParams.mode = "class";
    basisParams.workingSize = kThumbnailSize;
    const QString basis =
        QString::number(doc_->imageKey()) + QString::fromStdString(basisParams.toJson().dump());
    QStringList labels, keys;
    QVariantList values;
    const QSize image = doc_->image().size();
    const auto thumbs = classThumbnails(
        doc_->params(), shown,
        classThumbnailSide(kThumbnailSize, m.headMinimumSide, image.width(), image.height()));
    for (const auto& t : thumbs) {
        labels << ClassGrid::labelOf(names, m.headClasses, t.label);
        keys << basis + "|class|" + QString::fromStdString(t.label);
        values << QString::fromStdString(t.label);
    }
    ThumbnailView* view = classGrid_->view();
    if (view->count() != keys.size() || view->count() == 0 ||
        view->item(0)->data(ThumbnailView::KeyRole).toString() != keys.value(0))
        view->setItems(labels, keys, values);
    view->clearSelection();
    const auto& chosen = doc_->params().classes;
    for (int i = 0; i < view->count(); ++i)
        if (chosen.size() == 1 && values[i].toString().toStdString() == chosen.front().name)
            view->setCurrentItem(view->item(i));
    for (size_t i = 0; i < thumbs.size(); ++i) {
        if (cache_.contains(keys[int(i)])) {
            view->setImage(keys[int(i)], cache_.value(keys[int(i)]));
            continue;
        }
        jobs.push_back(
            {BackgroundJob::Kind::Dream, 0, keys[int(i)], thumbs[i].params, doc_->image()});
    }
}

}  // namespace inceptionist::ui

namespace inceptionist::ui {

void ExplorerPanel::addVariationTabs() {
    auto page = [this](ThumbnailView*& view, QWidget*& widget, const QString& tip, QWidget* extra) {
        widget = new QWidget(this);
        view = new ThumbnailView(kThumbnailSize, widget);
        view->setToolTip(tip);
        auto* exportSheet = new QPushButton(tr("Export Contact Sheet…"), widget);
        auto* bar = new QHBoxLayout;
        if (extra) bar->addWidget(extra);
        bar->addStretch(1);
        bar->addWidget(exportSheet);
        auto* layout = new QVBoxLayout(widget);
        layout->addWidget(view, 1);
        layout->addLayout(bar);
        connect(exportSheet, &QPushButton::clicked, this, &ExplorerPanel::exportSheetDialog);
    };
    auto* otherSeeds = new QPushButton(tr("Other Seeds"));
    otherSeeds->setObjectName("otherSeeds");
    otherSeeds->setToolTip(tr("Keep the current seed and show %1 others").arg(kSeedsPerGrid - 1));
    page(seeds_, seedsPage_,
         tr("The current settings with other seeds. Click one to use that seed."), otherSeeds);
    page(strengths_, strengthsPage_,
         tr("The current settings at half, the same and twice the step size (across) and steps "
            "(down). Click one to use both."),
         nullptr);
    tabs_->addTab(seedsPage_, tr("Seeds"));
    tabs_->addTab(strengthsPage_, tr("Strengths"));
    connect(otherSeeds, &QPushButton::clicked, this, [this] {
        // The current seed first, then the seeds after the last one shown.
        const uint64_t current = doc_->params().seed;
        const uint64_t next = shownSeeds_.empty() ? current + 1 : shownSeeds_.back() + 1;
        shownSeeds_ = variationSeeds(next, kSeedsPerGrid - 1);
        shownSeeds_.insert(shownSeeds_.begin(), current);
        restart();
    });
    connect(seeds_, &ThumbnailView::chosen, this,
            [this](const QVariant& v) { Q_EMIT seedChosen(v.toULongLong()); });
    connect(strengths_, &ThumbnailView::chosen, this, [this](const QVariant& v) {
        const QVariantList both = v.toList();
        if (both.size() == 2) Q_EMIT strengthChosen(both[0].toDouble(), both[1].toInt());
    });
}

void ExplorerPanel::showVariations(ThumbnailView* view, const std::vector<Thumbnail>& thumbs,
                                   const QVariantList& values, const QVariant& chosen,
                                   std::vector<BackgroundJob>& jobs) {
    // Each cell's key is its whole parameters: a cell made once is reused wherever it comes again.
    const QString image = QString::number(doc_->imageKey());
    QStringList labels, keys;
    for (const auto& t : thumbs) {
        labels << QString::fromStdString(t.label);
        keys << image + "|variation|" + QString::fromStdString(t.params.toJson().dump());
    }
    bool same = view->count() == keys.size();
    for (int i = 0; same && i < keys.size(); ++i)
        same = view->item(i)->data(ThumbnailView::KeyRole).toString() == keys[i];
    if (!same) view->setItems(labels, keys, values);
    view->clearSelection();
    for (int i = 0; i < view->count(); ++i)
        if (view->item(i)->data(ThumbnailView::ValueRole) == chosen)
            view->setCurrentItem(view->item(i));
    for (size_t i = 0; i < thumbs.size(); ++i) {
        if (cache_.contains(keys[int(i)]))
            view->setImage(keys[int(i)], cache_.value(keys[int(i)]));
        else
            jobs.push_back(
                {BackgroundJob::Kind::Dream, 0, keys[int(i)], thumbs[i].params, doc_->image()});
    }
}

void ExplorerPanel::restartSeeds(std::vector<BackgroundJob>& jobs) {
    const uint64_t current = doc_->params().seed;
    if (std::find(shownSeeds_.begin(), shownSeeds_.end(), current) == shownSeeds_.end())
        shownSeeds_ = variationSeeds(current, kSeedsPerGrid);
    QVariantList values;
    for (const uint64_t seed : shownSeeds_) values << QVariant::fromValue<qulonglong>(seed);
    showVariations(seeds_, seedThumbnails(doc_->params(), shownSeeds_), values,
                   QVariant::fromValue<qulonglong>(current), jobs);
}

void ExplorerPanel::restartStrengths(std::vector<BackgroundJob>& jobs) {
    const DreamParams& p = doc_->params();
    const bool shown = std::find(shownStepSizes_.begin(), shownStepSizes_.end(), p.stepSize) !=
                           shownStepSizes_.end() &&
                       std::find(shownStepCounts_.begin(), shownStepCounts_.end(), p.steps) !=
                           shownStepCounts_.end();
    if (!shown) {
        shownStepSizes_ = strengthStepSizes(p.stepSize);
        shownStepCounts_ = strengthStepCounts(p.steps);
    }
    QVariantList values;
    for (const int steps : shownStepCounts_)
        for (const double stepSize : shownStepSizes_)
            values << QVariant(QVariantList{stepSize, steps});
    showVariations(strengths_, strengthThumbnails(p, shownStepSizes_, shownStepCounts_), values,
                   QVariant(QVariantList{p.stepSize, p.steps}), jobs);
}

}  // namespace inceptionist::ui
