#pragma once
// The explorer: small dreams of the current image side by side, one per layer of the model,
// one per channel of a layer (strongest first, paged), per class, per seed or per strength, so an
// artist chooses by effect rather than by name; and an A/B comparison of two pinned settings on the
// canvas. The work queues behind the canvas's own dreams; results for unchanged inputs are reused.

#include <optional>

#include <QHash>
#include <QTimer>
#include <QWidget>

#include "core/model/model_manifest.h"
#include "core/params/dream_params.h"
#include "core/render/explorer.h"
#include "ui/model/dream_worker.h"

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;

namespace inceptionist::ui {

class ClassGrid;
class DreamController;
class Document;
class ThumbnailView;

class ExplorerPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr int kChannelsPerPage = 12;

    ExplorerPanel(DreamController* controller, Document* document,
                  std::vector<ModelManifest> models, QWidget* parent = nullptr);

    // The models offered changed (another models folder was chosen).
    void setModels(std::vector<ModelManifest> models);
    // While inactive (the dock hidden) nothing is computed.
    void setActive(bool active);
    bool active() const { return active_; }

    QTabWidget* tabs() const { return tabs_; }
    ThumbnailView* layerView() const { return layers_; }
    ThumbnailView* channelView() const { return channels_; }
    QComboBox* channelLayerBox() const { return channelLayer_; }
    void showChannelPage(int page);
    ClassGrid* classGrid() const { return classGrid_; }
    // The variations pages: the current settings with other seeds, and at other strengths.
    ThumbnailView* seedView() const { return seeds_; }
    ThumbnailView* strengthView() const { return strengths_; }
    static constexpr int kSeedsPerGrid = 8;

    // Writes the visible grid as a labelled contact sheet. Throws Error(Output). Returns what
    // the person should know: empty, or that thumbnails were still unfinished (the sheet's
    // title says so too).
    QString exportSheet(const QString& path);

    void pin(bool asB);
    void setComparing(bool on);

Q_SIGNALS:
    void layerChosen(QString layer);
    void channelChosen(QString layer, int channel);
    void classChosen(QString cls);
    void seedChosen(quint64 seed);
    void strengthChosen(double stepSize, int steps);
    void compareReady(QImage a, QImage b);
    // Of the A and B dreams together, while they are made.
    void compareProgress(double fraction);
    void compareEnded();
    void message(QString text);

private:
    void scheduleRestart();
    void restart();
    void restartLayers(std::vector<BackgroundJob>& jobs);
    void restartChannels(std::vector<BackgroundJob>& jobs);
    void restartCompare(std::vector<BackgroundJob>& jobs);
    // Replaces the worker's explorer queue with `jobs` and the A/B pair when comparing.
    void queue(std::vector<BackgroundJob> jobs);
    void showChannelThumbnails(std::vector<BackgroundJob>& jobs);
    QString basisKey() const;
    QString rankingKey() const;
    const ModelManifest* model() const;
    void remember(const QString& key, const QImage& image);
    void exportSheetDialog();
    // Selects the thumbnails of the layer or channel the dream uses now.
    void highlightChosen();
    // The Classes page (class_grid.h): its tab, and its thumbnails.
    void addClassesTab();
    void restartClasses(std::vector<BackgroundJob>& jobs);
    // The Seeds and Strengths pages (variations of the current settings).
    void addVariationTabs();
    void restartSeeds(std::vector<BackgroundJob>& jobs);
    void restartStrengths(std::vector<BackgroundJob>& jobs);
    // Shows `thumbs` in `view` (keys from their whole parameters), selects `chosen`, and queues
    // the cells not cached.
    void showVariations(ThumbnailView* view, const std::vector<Thumbnail>& thumbs,
                        const QVariantList& values, const QVariant& chosen,
                        std::vector<BackgroundJob>& jobs);

    DreamController* controller_;
    Document* doc_;
    std::vector<ModelManifest> models_;
    bool active_ = false;
    QTimer restartTimer_;

    QTabWidget* tabs_;
    ThumbnailView* layers_;
    ThumbnailView* channels_;
    QComboBox* channelLayer_;
    QPushButton* prevPage_;
    QPushButton* nextPage_;
    QLabel* pageLabel_;
    int page_ = 0;
    QLabel* pinnedA_;
    QLabel* pinnedB_;
    QPushButton* compare_;
    QProgressBar* compareBar_;
    double progressA_ = 0, progressB_ = 0;

    QHash<QString, QImage> cache_;
    QStringList cacheOrder_;
    QHash<QString, std::vector<int>> rankings_;
    std::optional<DreamParams> a_, b_;
    QImage compareA_, compareB_;
    ClassGrid* classGrid_ = nullptr;
    ThumbnailView* seeds_ = nullptr;
    ThumbnailView* strengths_ = nullptr;
    QWidget* seedsPage_ = nullptr;
    QWidget* strengthsPage_ = nullptr;
    // The grids stay put while the current seed or strength is one of their cells, so a click
    // moves the highlight rather than the grid.
    std::vector<uint64_t> shownSeeds_;
    std::vector<double> shownStepSizes_;
    std::vector<int> shownStepCounts_;
};

}  // namespace inceptionist::ui
