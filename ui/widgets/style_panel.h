#pragma once
// The Style side of the Dream dock: the paintings a photo is painted after, each a thumbnail
// with its weight in the blend and a remove button (add with a button or drop image files onto
// the list), and the transfer's settings: working size (the dream's field), strength (style :
// content), style scale, iterations, preserve colours, start from the photo or noise, seed. Like
// the dream panel it shows a DreamParams snapshot and reports each edit as a new snapshot; the
// `style` section's edits are named for the undo history by ui/model/style_change.h.
//
// The style section is remembered between runs (QSettings "style/params") on every edit, so
// switching to Style mode later starts from the paintings last used.

#include <QHash>
#include <QPixmap>
#include <QWidget>

#include "core/params/dream_params.h"
#include "ui/model/param_field.h"

class QComboBox;
class QLabel;
class QVBoxLayout;

namespace inceptionist::ui {

class SeedSpin;
class SliderSpin;

class StylePanel : public QWidget {
    Q_OBJECT
public:
    explicit StylePanel(QWidget* parent = nullptr);

    // Shows `params` without reporting an edit.
    void setParams(const DreamParams& params);
    const DreamParams& params() const { return params_; }
    // The style section last edited here, in this run or an earlier one.
    StyleParams remembered() const;

    // Adds paintings as the Add button and drops do; a file that is not a readable image is
    // refused with message() naming it and the reason. Reports one edit for all.
    void addImages(const QStringList& paths);
    void removeImage(int index);
    void setImageWeight(int index, double weight);
    int imageCount() const { return static_cast<int>(params_.style.images.size()); }

    SliderSpin* sizeControl() const { return size_; }
    SliderSpin* strengthControl() const { return strength_; }
    SliderSpin* styleScaleControl() const { return scale_; }
    SliderSpin* iterationsControl() const { return iterations_; }
    QComboBox* preserveColoursBox() const { return preserve_; }
    QComboBox* startBox() const { return init_; }
    SeedSpin* seedControl() const { return seed_; }
    QWidget* imageList() const { return imageList_; }
    // True while the person holds a slider.
    bool dragging() const;

Q_SIGNALS:
    void edited(inceptionist::DreamParams params, inceptionist::ui::ParamField field);
    void message(QString text);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void rebuildImages();
    QPixmap thumbnail(const QString& path, QString* problem);
    void emitEdit(ParamField field);

    DreamParams params_;
    bool updating_ = false;
    QHash<QString, QPixmap> thumbnails_;

    QWidget* imageList_ = nullptr;
    QVBoxLayout* imageRows_ = nullptr;
    QLabel* dropHint_ = nullptr;
    SliderSpin* size_ = nullptr;
    SliderSpin* strength_ = nullptr;
    SliderSpin* scale_ = nullptr;
    SliderSpin* iterations_ = nullptr;
    QComboBox* preserve_ = nullptr;
    QComboBox* init_ = nullptr;
    SeedSpin* seed_ = nullptr;
};

}  // namespace inceptionist::ui
