#include "ui/widgets/style_panel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFrame>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSettings>
#include <QToolButton>

#include <nlohmann/json.hpp>

#include "core/io/image_io.h"
#include "core/params/errors.h"
#include "ui/model/image_convert.h"
#include "ui/widgets/seed_spin.h"
#include "ui/widgets/slider_spin.h"

namespace inceptionist::ui {

namespace {

constexpr int kThumbnailSide = 56;
const char* kSettingsKey = "style/params";
const ParamField kStyleField = fieldOf(ParamId::Style);

QStringList localFiles(const QMimeData* mime) {
    QStringList files;
    if (!mime || !mime->hasUrls()) return files;
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile()) files << url.toLocalFile();
    return files;
}

}  // namespace

StylePanel::StylePanel(QWidget* parent) : QWidget(parent) {
    qRegisterMetaType<ParamField>();
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);

    auto* paintings = new QGroupBox(tr("Paintings"), this);
    auto* paintingsColumn = new QVBoxLayout(paintings);
    imageList_ = new QWidget(paintings);
    imageList_->setObjectName("styleImages");
    imageList_->setAcceptDrops(true);
    imageList_->installEventFilter(this);
    imageList_->setToolTip(
        tr("The paintings whose manner the photo takes on. Drop image files "
           "here; with several, each weighs in the blend by its weight."));
    imageRows_ = new QVBoxLayout(imageList_);
    imageRows_->setContentsMargins(0, 0, 0, 0);
    dropHint_ = new QLabel(tr("Drop paintings here, or add them below."), imageList_);
    dropHint_->setAlignment(Qt::AlignCenter);
    dropHint_->setMinimumHeight(kThumbnailSide);
    dropHint_->setFrameShape(QFrame::StyledPanel);
    imageRows_->addWidget(dropHint_);
    paintingsColumn->addWidget(imageList_);
    auto* add = new QPushButton(tr("Add Painting…"), paintings);
    add->setObjectName("addStyleImage");
    add->setToolTip(tr("Choose one or more paintings to paint the photo after."));
    paintingsColumn->addWidget(add);
    column->addWidget(paintings);
    connect(add, &QPushButton::clicked, this, [this] {
        const QStringList files = QFileDialog::getOpenFileNames(
            this, tr("Add Paintings"), QString(),
            tr("Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp)"));
        if (!files.isEmpty()) addImages(files);
    });

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    column->addLayout(form);

    // The working size is the dream's own field, shown here too: a style is judged by its size.
    const ParamSpec& sizeSpec = paramSpec(ParamId::WorkingSize);
    size_ = new SliderSpin(sizeSpec.range->min, sizeSpec.range->max, 0, false, this);
    size_->setSliderRange(sizeSpec.sliderRange->min, sizeSpec.sliderRange->max);
    size_->setToolTips(
        tr("Long side of the painted picture in pixels. Larger is finer and slower; 384 px "
           "shows the first preview within a second."));
    form->addRow(tr("&Working size"), size_);
    connect(size_, &SliderSpin::valueEdited, this, [this](double v) {
        params_.workingSize = static_cast<int>(v);
        emitEdit(fieldOf(ParamId::WorkingSize));
    });

    strength_ = new SliderSpin(0.1, 1000, 1, true, this);
    strength_->setSliderRange(0.5, 200);
    strength_->setToolTips(
        tr("How much the painting counts against the photo (style : content). Higher paints "
           "more of the painting's strokes and colours over the photo's forms."));
    form->addRow(tr("S&trength"), strength_);
    connect(strength_, &SliderSpin::valueEdited, this, [this](double v) {
        params_.style.styleWeight = v;
        emitEdit(kStyleField);
    });

    scale_ = new SliderSpin(0.1, 10, 2, true, this);
    scale_->setSliderRange(0.25, 4);
    scale_->setToolTips(
        tr("The painting's size against the picture's: above 1 its brush strokes come out "
           "smaller, below 1 larger."));
    form->addRow(tr("Style &scale"), scale_);
    connect(scale_, &SliderSpin::valueEdited, this, [this](double v) {
        params_.style.styleScale = v;
        emitEdit(kStyleField);
    });

    iterations_ = new SliderSpin(1, 10000, 0, false, this);
    iterations_->setSliderRange(5, 300);
    iterations_->setToolTips(
        tr("Optimisation steps over all sizes: more paint more finely, and take longer."));
    form->addRow(tr("&Iterations"), iterations_);
    connect(iterations_, &SliderSpin::valueEdited, this, [this](double v) {
        params_.style.iterations = static_cast<int>(v);
        emitEdit(kStyleField);
    });

    preserve_ = new QComboBox(this);
    preserve_->addItem(tr("Off"), "none");
    preserve_->addItem(tr("Luminance (keep the photo's colours)"), "luminance");
    preserve_->addItem(tr("Histogram (painting in the photo's colours)"), "histogram");
    preserve_->setToolTip(
        tr("Keep the photo's colours: transfer only light and dark, or recolour the painting "
           "to the photo's colours first."));
    form->addRow(tr("Preserve &colours"), preserve_);
    connect(preserve_, &QComboBox::activated, this, [this](int i) {
        params_.style.preserveColors = preserve_->itemData(i).toString().toStdString();
        emitEdit(kStyleField);
    });

    init_ = new QComboBox(this);
    init_->addItem(tr("Photo"), "content");
    init_->addItem(tr("Noise"), "noise");
    init_->setToolTip(tr("Start from the photo (keeps its forms best) or from noise."));
    form->addRow(tr("Start &from"), init_);
    connect(init_, &QComboBox::activated, this, [this](int i) {
        params_.style.init = init_->itemData(i).toString().toStdString();
        emitEdit(kStyleField);
    });

    seed_ = new SeedSpin(this);
    seed_->setToolTip(tr("The random start (noise) and the choices that follow from it."));
    auto* newSeed = new QPushButton(tr("New seed"), this);
    auto* seedBox = new QWidget(this);
    auto* seedRow = new QHBoxLayout(seedBox);
    seedRow->setContentsMargins(0, 0, 0, 0);
    seedRow->addWidget(seed_, 1);
    seedRow->addWidget(newSeed);
    form->addRow(tr("S&eed"), seedBox);
    connect(seed_, &SeedSpin::valueChanged, this, [this](quint64 v) {
        params_.seed = v;
        emitEdit(fieldOf(ParamId::Seed));
    });
    connect(newSeed, &QPushButton::clicked, this, [this] {
        seed_->setValue(QRandomGenerator::global()->bounded(std::numeric_limits<int>::max()));
    });
    setParams(params_);
}

StyleParams StylePanel::remembered() const {
    const QString saved = QSettings().value(kSettingsKey).toString();
    if (saved.isEmpty()) return {};
    try {
        return StyleParams::fromJson(nlohmann::json::parse(saved.toStdString()));
    } catch (const std::exception&) {
        return {};  // from a version that no longer fits: start from the defaults
    }
}

void StylePanel::setParams(const DreamParams& p) {
    const bool imagesChanged =
        !(p.style.images == params_.style.images) ||
        imageRows_->count() != int(p.style.images.size()) + (p.style.images.empty() ? 1 : 0);
    params_ = p;
    updating_ = true;
    const StyleParams& s = p.style;
    size_->setValue(p.workingSize);
    strength_->setValue(s.styleWeight);
    scale_->setValue(s.styleScale);
    iterations_->setValue(s.iterations);
    {
        const QSignalBlocker blockPreserve(preserve_), blockInit(init_), blockSeed(seed_);
        preserve_->setCurrentIndex(
            std::max(0, preserve_->findData(QString::fromStdString(s.preserveColors))));
        init_->setCurrentIndex(std::max(0, init_->findData(QString::fromStdString(s.init))));
        seed_->setValue(p.seed);
    }
    if (imagesChanged) rebuildImages();
    updating_ = false;
}

void StylePanel::rebuildImages() {
    while (imageRows_->count() > 0) {
        QLayoutItem* item = imageRows_->takeAt(0);
        if (item->widget() != dropHint_) delete item->widget();
        delete item;
    }
    dropHint_->setVisible(params_.style.images.empty());
    if (params_.style.images.empty()) imageRows_->addWidget(dropHint_);
    for (size_t i = 0; i < params_.style.images.size(); ++i) {
        const StyleImage& image = params_.style.images[i];
        const QString path = QString::fromStdString(image.path);
        auto* row = new QFrame(imageList_);
        row->setObjectName("styleImageRow");
        row->setFrameShape(QFrame::StyledPanel);
        auto* layout = new QHBoxLayout(row);
        layout->setContentsMargins(4, 4, 4, 4);
        auto* thumb = new QLabel(row);
        thumb->setFixedSize(kThumbnailSide, kThumbnailSide);
        thumb->setAlignment(Qt::AlignCenter);
        QString problem;
        const QPixmap pixmap = thumbnail(path, &problem);
        if (pixmap.isNull())
            thumb->setText(tr("?"));
        else
            thumb->setPixmap(pixmap);
        thumb->setToolTip(problem.isEmpty() ? path : problem);
        layout->addWidget(thumb);
        auto* name = new QLabel(QFileInfo(path).fileName(), row);
        name->setToolTip(path);
        name->setMinimumWidth(40);
        layout->addWidget(name, 1);
        auto* weight = new QDoubleSpinBox(row);
        weight->setObjectName("styleWeight");
        weight->setRange(0, 100);
        weight->setDecimals(2);
        weight->setSingleStep(0.1);
        weight->setValue(image.weight);
        weight->setToolTip(tr("This painting's share of the blend, against the others' weights."));
        layout->addWidget(weight);
        auto* remove = new QToolButton(row);
        remove->setObjectName("removeStyleImage");
        remove->setText(QStringLiteral("✕"));
        remove->setToolTip(tr("Remove this painting."));
        layout->addWidget(remove);
        imageRows_->addWidget(row);
        const int index = static_cast<int>(i);
        connect(weight, &QDoubleSpinBox::valueChanged, this,
                [this, index](double v) { setImageWeight(index, v); });
        // Queued: the button is deleted with its row.
        connect(
            remove, &QToolButton::clicked, this, [this, index] { removeImage(index); },
            Qt::QueuedConnection);
    }
}

QPixmap StylePanel::thumbnail(const QString& path, QString* problem) {
    if (const auto it = thumbnails_.constFind(path); it != thumbnails_.constEnd()) return *it;
    QImage image;
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (size.isValid())
        reader.setScaledSize(size.scaled(kThumbnailSide, kThumbnailSide, Qt::KeepAspectRatio));
    if (!reader.read(&image)) {
        // Formats Qt does not read (16-bit TIFF, say) go through the engine's reader.
        try {
            image = toQImage(resizeLongSide(readImage(path.toStdString()), kThumbnailSide));
        } catch (const std::exception& e) {
            if (problem) *problem = QString::fromUtf8(e.what());
            return {};
        }
    }
    QPixmap pixmap = QPixmap::fromImage(image.scaled(
        kThumbnailSide, kThumbnailSide, Qt::KeepAspectRatio, Qt::SmoothTransformation));
    thumbnails_.insert(path, pixmap);
    return pixmap;
}

void StylePanel::addImages(const QStringList& paths) {
    bool added = false;
    for (const QString& path : paths) {
        const std::string p = path.toStdString();
        const auto& images = params_.style.images;
        if (std::any_of(images.begin(), images.end(), [&](auto& i) { return i.path == p; }))
            continue;  // already in the blend
        QString problem;
        if (thumbnail(path, &problem).isNull()) {
            Q_EMIT message(tr("%1 cannot be used as a painting: %2")
                               .arg(QFileInfo(path).fileName(),
                                    problem.isEmpty() ? tr("not an image") : problem));
            continue;
        }
        params_.style.images.push_back({p, 1.0});
        added = true;
    }
    if (!added) return;
    rebuildImages();
    emitEdit(kStyleField);
}

void StylePanel::removeImage(int index) {
    if (index < 0 || index >= imageCount()) return;
    params_.style.images.erase(params_.style.images.begin() + index);
    rebuildImages();
    emitEdit(kStyleField);
}

void StylePanel::setImageWeight(int index, double weight) {
    if (index < 0 || index >= imageCount()) return;
    if (params_.style.images[index].weight == weight) return;
    params_.style.images[index].weight = weight;
    emitEdit(kStyleField);
}

bool StylePanel::eventFilter(QObject* watched, QEvent* event) {
    if (watched == imageList_) {
        if (event->type() == QEvent::DragEnter) {
            auto* e = static_cast<QDragEnterEvent*>(event);
            if (!localFiles(e->mimeData()).isEmpty()) e->acceptProposedAction();
            return true;
        }
        if (event->type() == QEvent::Drop) {
            auto* e = static_cast<QDropEvent*>(event);
            const QStringList files = localFiles(e->mimeData());
            if (!files.isEmpty()) {
                e->acceptProposedAction();
                addImages(files);
            }
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

bool StylePanel::dragging() const {
    return size_->isDragging() || strength_->isDragging() || scale_->isDragging() ||
           iterations_->isDragging();
}

void StylePanel::emitEdit(ParamField field) {
    if (updating_) return;
    QSettings().setValue(kSettingsKey, QString::fromStdString(params_.style.toJson().dump()));
    Q_EMIT edited(params_, field);
}

}  // namespace inceptionist::ui
