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
#include <QStandardItemModel>

#include "core/model/class_names.h"
#include "ui/widgets/class_picker.h"
#include "ui/widgets/layer_mix_dialog.h"
#include "ui/widgets/seed_spin.h"
#include "ui/widgets/slider_spin.h"

namespace inceptionist::ui {

namespace {

// Layer entries that are not one layer: open the mixer, or go back to the model's default mix.
const QString kMixEntry = QStringLiteral("@mix");
const QString kDefaultMixEntry = QStringLiteral("@default-mix");

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
    for (const ParamSpec& spec : paramTable()) {
        switch (spec.widget) {
            case PanelWidget::None:
                break;
            case PanelWidget::ModelChoice:
                addModelRow(form, spec);
                break;
            case PanelWidget::Layers:
                addLayerRows(form, spec);
                break;
            case PanelWidget::Slider:
            case PanelWidget::LogSlider:
                addSliderRow(form, spec);
                break;
            case PanelWidget::SeedBox:
                addSeedRow(form, spec);
                break;
            case PanelWidget::CheckBox:
                addCheckBoxRow(form, spec);
                break;
            case PanelWidget::ImageFile:
                addImageFileRow(form, spec);
                break;
        }
    }
    addClassRow(form);
}

void ParameterPanel::addModelRow(QFormLayout* form, const ParamSpec& spec) {
    model_ = new QComboBox(this);
    model_->setToolTip(tr(spec.tooltip));
    form->addRow(tr(spec.panelLabel), model_);
    connect(model_, &QComboBox::activated, this, [this](int index) {
        const std::string id = model_->itemData(index).toString().toStdString();
        if (id == params_.model) return;
        const int previousHeadClasses = currentModel() ? currentModel()->headClasses : 0;
        params_.model = id;
        dropClassesOfOtherHead(previousHeadClasses);
        params_.layers.clear();
        if (const ModelManifest* m = currentModel())
            for (const auto& l : m->defaultLayers) params_.layers.push_back({l, 1.0, {}});
        if (params_.layers.empty() && currentModel() && !currentModel()->layers.empty())
            params_.layers.push_back({currentModel()->layers.front().name, 1.0, {}});
        rebuildLayers();
        updateChannelRange();
        emitEdit(ParamField::Model);
    });
}

void ParameterPanel::addLayerRows(QFormLayout* form, const ParamSpec& spec) {
    layer_ = new QComboBox(this);
    layer_->setToolTip(tr(spec.tooltip));
    form->addRow(tr(spec.panelLabel), layer_);

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

    connect(layer_, &QComboBox::activated, this, [this](int index) {
        const QString name = layer_->itemData(index).toString();
        if (name.isEmpty()) return;  // the combined entry: nothing changes
        if (name == kMixEntry || name == kDefaultMixEntry) return chooseMix(name);
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
}

void ParameterPanel::addSliderRow(QFormLayout* form, const ParamSpec& spec) {
    // The spin box takes every valid value; the slider may cover a narrower, practical range.
    const ParamRange range = spec.range.value_or(ParamRange{});
    auto* slider = new SliderSpin(range.min, range.max, spec.decimals,
                                  spec.widget == PanelWidget::LogSlider, this);
    const ParamRange soft = spec.panelRange();
    slider->setSliderRange(soft.min, soft.max);
    slider->setToolTips(tr(spec.tooltip));
    form->addRow(tr(spec.panelLabel), slider);
    sliders_[static_cast<size_t>(spec.id)] = slider;
    connect(slider, &SliderSpin::valueEdited, this, [this, s = &spec](double v) {
        setNumericValue(params_, *s, v);
        emitEdit(fieldOf(s->id));
    });
}

void ParameterPanel::addSeedRow(QFormLayout* form, const ParamSpec& spec) {
    const auto member = std::get<uint64_t DreamParams::*>(spec.member);
    seed_ = new SeedSpin(this);
    seed_->setToolTip(tr(spec.tooltip));
    auto* newSeed = new QPushButton(tr("New seed"), this);
    newSeed->setToolTip(tr("Pick a random seed for a different variation."));
    auto* seedBox = new QWidget(this);
    auto* seedRow = new QHBoxLayout(seedBox);
    seedRow->setContentsMargins(0, 0, 0, 0);
    seedRow->addWidget(seed_, 1);
    seedRow->addWidget(newSeed);
    form->addRow(tr(spec.panelLabel), seedBox);
    qobject_cast<QLabel*>(form->labelForField(seedBox))->setBuddy(seed_);
    connect(seed_, &SeedSpin::valueChanged, this, [this, member, id = spec.id](quint64 v) {
        params_.*member = v;
        emitEdit(fieldOf(id));
    });
    connect(newSeed, &QPushButton::clicked, this, [this] {
        seed_->setValue(QRandomGenerator::global()->bounded(std::numeric_limits<int>::max()));
    });
}

void ParameterPanel::addCheckBoxRow(QFormLayout* form, const ParamSpec& spec) {
    const auto member = std::get<bool DreamParams::*>(spec.member);
    auto* box = new QCheckBox(tr(spec.panelLabel), this);
    box->setToolTip(tr(spec.tooltip));
    form->addRow(QString(), box);
    checkBoxes_[static_cast<size_t>(spec.id)] = box;
    connect(box, &QCheckBox::toggled, this, [this, member, id = spec.id](bool on) {
        params_.*member = on;
        emitEdit(fieldOf(id));
    });
}

void ParameterPanel::addImageFileRow(QFormLayout* form, const ParamSpec& spec) {
    const auto member = std::get<std::string DreamParams::*>(spec.member);
    auto* path = new QLineEdit(this);
    path->setReadOnly(true);
    path->setPlaceholderText(tr("none"));
    path->setToolTip(tr(spec.tooltip));
    auto* browse = new QPushButton(tr("Choose…"), this);
    auto* clear = new QPushButton(tr("Clear"), this);
    auto* box = new QWidget(this);
    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(path, 1);
    row->addWidget(browse);
    row->addWidget(clear);
    form->addRow(tr(spec.panelLabel), box);
    qobject_cast<QLabel*>(form->labelForField(box))->setBuddy(browse);
    files_[static_cast<size_t>(spec.id)] = path;
    connect(browse, &QPushButton::clicked, this, [this, path, member, id = spec.id] {
        const QString file = QFileDialog::getOpenFileName(
            this, tr("Choose a guide image"), QString(),
            tr("Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp)"));
        if (file.isEmpty()) return;
        params_.*member = file.toStdString();
        path->setText(file);
        emitEdit(fieldOf(id));
    });
    connect(clear, &QPushButton::clicked, this, [this, path, member, id = spec.id] {
        if ((params_.*member).empty()) return;
        (params_.*member).clear();
        path->clear();
        emitEdit(fieldOf(id));
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

// The model's default mix stays on offer once another layer is chosen, and any mix can be made.
void ParameterPanel::chooseMix(const QString& entry) {
    const ModelManifest* m = currentModel();
    if (!m) return;
    std::vector<LayerObjective> mix;
    if (entry == kDefaultMixEntry) {
        for (const auto& l : m->defaultLayers) mix.push_back({l, 1.0, {}});
    } else {
        LayerMixDialog dialog(*m, params_.layers, this);
        if (dialog.exec() == QDialog::Accepted) mix = dialog.layers();
    }
    if (!mix.empty() && !(mix == params_.layers)) {
        params_.layers = mix;
        updateChannelRange();
        rebuildLayers();
        emitEdit(ParamField::Layer);
    } else {
        rebuildLayers();  // back to the entry of the layers in use
    }
}

void ParameterPanel::rebuildLayers() {
    updating_ = true;
    layer_->clear();
    const ModelManifest* m = currentModel();
    if (params_.layers.size() > 1) layer_->addItem(joinedLayers(params_), QString());
    if (m && m->defaultLayers.size() > 1) {
        DreamParams defaults;
        defaults.layers.clear();
        for (const auto& l : m->defaultLayers) defaults.layers.push_back({l, 1.0, {}});
        if (!(defaults.layers == params_.layers))
            layer_->addItem(tr("%1 (the default mix)").arg(joinedLayers(defaults)),
                            kDefaultMixEntry);
    }
    layer_->addItem(tr("Mix layers, weights, channels…"), kMixEntry);
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
                                       QSignalBlocker(seed_)};
    model_->setCurrentIndex(std::max(0, model_->findData(QString::fromStdString(p.model))));
    rebuildLayers();
    updating_ = true;
    const bool hasChannel = p.layers.size() == 1 && !p.layers[0].channels.empty();
    oneChannel_->setChecked(hasChannel);
    updateChannelRange();
    if (hasChannel) channel_->setValue(p.layers[0].channels[0]);
    for (const ParamSpec& spec : paramTable()) {
        const auto i = static_cast<size_t>(spec.id);
        if (sliders_[i]) sliders_[i]->setValue(numericValue(p, spec));
        if (checkBoxes_[i]) {
            const QSignalBlocker block(checkBoxes_[i]);
            checkBoxes_[i]->setChecked(p.*std::get<bool DreamParams::*>(spec.member));
        }
        if (files_[i])
            files_[i]->setText(
                QString::fromStdString(p.*std::get<std::string DreamParams::*>(spec.member)));
        if (spec.widget == PanelWidget::SeedBox)
            seed_->setValue(p.*std::get<uint64_t DreamParams::*>(spec.member));
    }
    showClasses();
    updating_ = false;
}

bool ParameterPanel::dragging() const {
    if (channel_->isDragging()) return true;
    for (const SliderSpin* s : sliders_)
        if (s && s->isDragging()) return true;
    return false;
}

void ParameterPanel::emitEdit(ParamField field) {
    if (updating_) return;
    Q_EMIT edited(params_, field);
}

// Choosing a class makes the dream draw classes; removing the last one dreams with layers again.
void ParameterPanel::addClassRow(QFormLayout* form) {
    classPicker_ = new ClassPicker(this);
    form->addRow(tr("Draw &class"), classPicker_);
    qobject_cast<QLabel*>(form->labelForField(classPicker_))->setBuddy(classPicker_->searchField());
    connect(classPicker_, &ClassPicker::edited, this, [this](bool othersOnly) {
        params_.classOthers = classPicker_->others();
        if (othersOnly) return emitEdit(fieldOf(ParamId::ClassOthers));
        params_.classes = classPicker_->classes();
        if (!params_.classes.empty())
            params_.mode = "class";
        else if (params_.mode == "class")
            params_.mode = "dream";
        layer_->setEnabled(params_.mode != "class");
        emitEdit(fieldOf(ParamId::Classes));
    });
}

void ParameterPanel::showClasses() {
    const ModelManifest* m = currentModel();
    const int count = m ? m->headClasses : 0;
    classPicker_->setHead(m ? classNamesFor(*m, count) : std::vector<std::string>(), count,
                          m ? QString::fromStdString(m->displayName) : QString());
    classPicker_->setClasses(params_.classes, params_.classOthers);
    layer_->setEnabled(params_.mode != "class");
    layer_->setToolTip(params_.mode == "class"
                           ? tr("The dream draws classes: remove them below to choose layers.")
                           : tr(paramSpec(ParamId::Layers).tooltip));
}

// Classes name the classes of one head: another model's head has others (or none).
void ParameterPanel::dropClassesOfOtherHead(int previousHeadClasses) {
    const ModelManifest* m = currentModel();
    if (m && m->headClasses == previousHeadClasses) return;
    params_.classes.clear();
    if (params_.mode == "class") params_.mode = "dream";
    showClasses();
}

}  // namespace inceptionist::ui
