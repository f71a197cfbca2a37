#include "ui/widgets/parameter_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSpinBox>
#include <QStandardItemModel>

#include "ui/widgets/slider_spin.h"

namespace inceptionist::ui {

namespace {

QString layerLabel(const OfferedLayer& l) {
    QString label = QString::fromStdString(l.name) + QStringLiteral("  ·  %1 ch").arg(l.channels);
    if (!l.note.empty()) label += QStringLiteral("  ·  ") + QString::fromStdString(l.note);
    return label;
}

QString joinedLayers(const DreamParams& p) {
    QStringList names;
    for (const auto& l : p.layers) names << QString::fromStdString(l.name);
    return names.join(" + ");
}

}  // namespace

ParameterPanel::ParameterPanel(QWidget* parent) : QWidget(parent) {
    qRegisterMetaType<ParamField>();
    auto* form = new QFormLayout(this);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    model_ = new QComboBox(this);
    model_->setToolTip(
        tr("The network that dreams. InceptionV3 gives the richest dreams; MobileNetV2 is "
           "about four times faster, good for quick previews."));
    form->addRow(tr("&Model"), model_);

    layer_ = new QComboBox(this);
    layer_->setToolTip(
        tr("Which layer of the network to excite. Low layers paint strokes and textures, "
           "middle layers eyes, fur and buildings, deep layers animal parts and objects. "
           "Layers marked fine-tuned were retrained for another task."));
    form->addRow(tr("&Layer"), layer_);

    oneChannel_ = new QCheckBox(tr("One channel only"), this);
    oneChannel_->setToolTip(
        tr("Excite a single feature detector of the layer instead of all of them."));
    channel_ = new SliderSpin(0, 767, 0, false, this);
    channel_->setToolTips(
        tr("The feature detector (channel) to excite; each one draws its own motif."));
    auto* channelBox = new QWidget(this);
    auto* channelRow = new QVBoxLayout(channelBox);
    channelRow->setContentsMargins(0, 0, 0, 0);
    channelRow->addWidget(oneChannel_);
    channelRow->addWidget(channel_);
    form->addRow(tr("&Channel"), channelBox);

    octaves_ = new SliderSpin(1, 10, 0, false, this);
    octaves_->setToolTips(
        tr("How many sizes the dream grows through, smallest first. More octaves give "
           "larger structures."));
    form->addRow(tr("&Octaves"), octaves_);
    octaveScale_ = new SliderSpin(1.1, 2.0, 2, false, this);
    octaveScale_->setToolTips(tr("Size ratio between one octave and the next."));
    form->addRow(tr("Octave &scale"), octaveScale_);
    steps_ = new SliderSpin(1, 60, 0, false, this);
    steps_->setToolTips(
        tr("Ascent steps at each octave. More steps make stronger dreams and take longer."));
    form->addRow(tr("S&teps"), steps_);
    stepSize_ = new SliderSpin(0.001, 0.1, 3, true, this);
    stepSize_->setToolTips(
        tr("How far each step changes the pixels. Larger is bolder and grainier."));
    form->addRow(tr("Step si&ze"), stepSize_);
    jitter_ = new SliderSpin(0, 64, 0, false, this);
    jitter_->setToolTips(
        tr("Random shift of the image before each step, in pixels. It hides the network's "
           "grid and keeps patterns from locking in place."));
    form->addRow(tr("&Jitter"), jitter_);

    seed_ = new QSpinBox(this);
    seed_->setRange(0, std::numeric_limits<int>::max());
    seed_->setToolTip(
        tr("Random seed. The same seed and settings give the same dream, pixel for pixel."));
    newSeed_ = new QPushButton(tr("New seed"), this);
    newSeed_->setToolTip(tr("Pick a random seed for a different variation."));
    auto* seedBox = new QWidget(this);
    auto* seedRow = new QHBoxLayout(seedBox);
    seedRow->setContentsMargins(0, 0, 0, 0);
    seedRow->addWidget(seed_, 1);
    seedRow->addWidget(newSeed_);
    form->addRow(tr("S&eed"), seedBox);
    qobject_cast<QLabel*>(form->labelForField(seedBox))->setBuddy(seed_);

    workingSize_ = new SliderSpin(128, 2048, 0, false, this);
    workingSize_->setToolTips(tr("Long side of the dream in pixels. Larger is finer and slower."));
    form->addRow(tr("&Working size"), workingSize_);

    noise_ = new QCheckBox(tr("Start from noise"), this);
    noise_->setToolTip(
        tr("Dream from seeded noise instead of the photo: pure imagination of the network."));
    form->addRow(QString(), noise_);

    guide_ = new QLineEdit(this);
    guide_->setReadOnly(true);
    guide_->setPlaceholderText(tr("none"));
    guide_->setToolTip(
        tr("A guide image: the dream takes on the features the network sees in it."));
    guideBrowse_ = new QPushButton(tr("Choose…"), this);
    guideClear_ = new QPushButton(tr("Clear"), this);
    auto* guideBox = new QWidget(this);
    auto* guideRow = new QHBoxLayout(guideBox);
    guideRow->setContentsMargins(0, 0, 0, 0);
    guideRow->addWidget(guide_, 1);
    guideRow->addWidget(guideBrowse_);
    guideRow->addWidget(guideClear_);
    form->addRow(tr("&Guide"), guideBox);
    qobject_cast<QLabel*>(form->labelForField(guideBox))->setBuddy(guideBrowse_);

    connect(model_, &QComboBox::activated, this, [this](int index) {
        const std::string id = model_->itemData(index).toString().toStdString();
        if (id == params_.model) return;
        params_.model = id;
        params_.layers.clear();
        if (const ModelManifest* m = currentModel())
            for (const auto& l : m->defaultLayers) params_.layers.push_back({l, 1.0, {}});
        if (params_.layers.empty() && currentModel() && !currentModel()->layers.empty())
            params_.layers.push_back({currentModel()->layers.front().name, 1.0, {}});
        rebuildLayers();
        updateChannelRange();
        emitEdit(ParamField::Model);
    });
    connect(layer_, &QComboBox::activated, this, [this](int index) {
        const QString name = layer_->itemData(index).toString();
        if (name.isEmpty()) return;  // the combined entry: nothing changes
        params_.layers = {{name.toStdString(), 1.0, {}}};
        if (oneChannel_->isChecked())
            params_.layers[0].channels = {static_cast<int>(channel_->value())};
        updateChannelRange();
        rebuildLayers();
        emitEdit(ParamField::Layer);
    });
    auto applyChannel = [this] {
        if (params_.layers.size() != 1) return;
        params_.layers[0].channels.clear();
        if (oneChannel_->isChecked())
            params_.layers[0].channels = {static_cast<int>(channel_->value())};
        channel_->setEnabled(oneChannel_->isChecked());
        emitEdit(ParamField::Channel);
    };
    connect(oneChannel_, &QCheckBox::toggled, this, applyChannel);
    connect(channel_, &SliderSpin::valueEdited, this, [applyChannel] { applyChannel(); });
    auto bindInt = [this](SliderSpin* w, int DreamParams::*field, ParamField id) {
        connect(w, &SliderSpin::valueEdited, this, [this, field, id](double v) {
            params_.*field = static_cast<int>(std::lround(v));
            emitEdit(id);
        });
    };
    auto bindDouble = [this](SliderSpin* w, double DreamParams::*field, ParamField id) {
        connect(w, &SliderSpin::valueEdited, this, [this, field, id](double v) {
            params_.*field = v;
            emitEdit(id);
        });
    };
    bindInt(octaves_, &DreamParams::octaves, ParamField::Octaves);
    bindDouble(octaveScale_, &DreamParams::octaveScale, ParamField::OctaveScale);
    bindInt(steps_, &DreamParams::steps, ParamField::Steps);
    bindDouble(stepSize_, &DreamParams::stepSize, ParamField::StepSize);
    bindInt(jitter_, &DreamParams::jitter, ParamField::Jitter);
    bindInt(workingSize_, &DreamParams::workingSize, ParamField::WorkingSize);
    connect(seed_, &QSpinBox::valueChanged, this, [this](int v) {
        params_.seed = static_cast<uint64_t>(v);
        emitEdit(ParamField::Seed);
    });
    connect(newSeed_, &QPushButton::clicked, this, [this] {
        seed_->setValue(QRandomGenerator::global()->bounded(std::numeric_limits<int>::max()));
    });
    connect(noise_, &QCheckBox::toggled, this, [this](bool on) {
        params_.startFromNoise = on;
        emitEdit(ParamField::Noise);
    });
    connect(guideBrowse_, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(
            this, tr("Choose a guide image"), QString(),
            tr("Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp)"));
        if (file.isEmpty()) return;
        params_.guideImage = file.toStdString();
        guide_->setText(file);
        emitEdit(ParamField::Guide);
    });
    connect(guideClear_, &QPushButton::clicked, this, [this] {
        if (params_.guideImage.empty()) return;
        params_.guideImage.clear();
        guide_->clear();
        emitEdit(ParamField::Guide);
    });
}

void ParameterPanel::setModels(const std::vector<ModelManifest>& models) {
    models_ = models;
    updating_ = true;
    model_->clear();
    for (const auto& m : models_)
        model_->addItem(QString::fromStdString(m.displayName), QString::fromStdString(m.id));
    updating_ = false;
    setParams(params_);
}

const ModelManifest* ParameterPanel::currentModel() const {
    for (const auto& m : models_)
        if (m.id == params_.model) return &m;
    return nullptr;
}

void ParameterPanel::rebuildLayers() {
    updating_ = true;
    layer_->clear();
    const ModelManifest* m = currentModel();
    if (params_.layers.size() > 1) layer_->addItem(joinedLayers(params_), QString());
    auto* items = qobject_cast<QStandardItemModel*>(layer_->model());
    bool fineTunedHeader = false;
    if (m) {
        for (const auto& l : m->layers) {
            if (!l.imagenet && !fineTunedHeader) {
                layer_->insertSeparator(layer_->count());
                layer_->addItem(tr("Fine-tuned layers (not ImageNet)"), QString());
                items->item(layer_->count() - 1)->setEnabled(false);
                fineTunedHeader = true;
            }
            layer_->addItem(layerLabel(l), QString::fromStdString(l.name));
            layer_->setItemData(
                layer_->count() - 1,
                l.imagenet ? tr("Keeps its ImageNet weights") : tr("Fine-tuned for another task"),
                Qt::ToolTipRole);
        }
    }
    if (params_.layers.size() == 1) {
        const int i = layer_->findData(QString::fromStdString(params_.layers[0].name));
        if (i >= 0)
            layer_->setCurrentIndex(i);
        else
            layer_->insertItem(0, QString::fromStdString(params_.layers[0].name),
                               QString::fromStdString(params_.layers[0].name));
        if (i < 0) layer_->setCurrentIndex(0);
    } else {
        layer_->setCurrentIndex(0);
    }
    updating_ = false;
}

void ParameterPanel::updateChannelRange() {
    int channels = 0;
    if (const ModelManifest* m = currentModel(); m && params_.layers.size() == 1)
        for (const auto& l : m->layers)
            if (l.name == params_.layers[0].name) channels = l.channels;
    const bool single = params_.layers.size() == 1 && channels > 0;
    oneChannel_->setEnabled(single);
    channel_->setRange(0, std::max(0, channels - 1));
    channel_->setEnabled(single && oneChannel_->isChecked());
}

void ParameterPanel::setParams(const DreamParams& p) {
    params_ = p;
    updating_ = true;
    const QSignalBlocker blockers[] = {QSignalBlocker(model_), QSignalBlocker(oneChannel_),
                                       QSignalBlocker(seed_), QSignalBlocker(noise_)};
    model_->setCurrentIndex(std::max(0, model_->findData(QString::fromStdString(p.model))));
    rebuildLayers();
    updating_ = true;
    const bool hasChannel = p.layers.size() == 1 && !p.layers[0].channels.empty();
    oneChannel_->setChecked(hasChannel);
    updateChannelRange();
    if (hasChannel) channel_->setValue(p.layers[0].channels[0]);
    octaves_->setValue(p.octaves);
    octaveScale_->setValue(p.octaveScale);
    steps_->setValue(p.steps);
    stepSize_->setValue(p.stepSize);
    jitter_->setValue(p.jitter);
    seed_->setValue(
        static_cast<int>(p.seed % static_cast<uint64_t>(std::numeric_limits<int>::max())));
    workingSize_->setValue(p.workingSize);
    noise_->setChecked(p.startFromNoise);
    guide_->setText(QString::fromStdString(p.guideImage));
    updating_ = false;
}

bool ParameterPanel::dragging() const {
    for (const SliderSpin* s :
         {channel_, octaves_, octaveScale_, steps_, stepSize_, jitter_, workingSize_})
        if (s->isDragging()) return true;
    return false;
}

void ParameterPanel::emitEdit(ParamField field) {
    if (updating_) return;
    Q_EMIT edited(params_, field);
}

}  // namespace inceptionist::ui
