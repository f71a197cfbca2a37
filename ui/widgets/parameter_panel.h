#pragma once
// The dock where an artist sets up a dream: model, layer, channel and the ascent parameters,
// each with a slider, a spin box and a tooltip in plain words. It shows a DreamParams snapshot
// and reports each edit as a new snapshot plus the field that changed. Its rows, their order,
// labels, tooltips and ranges come from the parameter table (core/params/param_table.h); the
// model and layer rows are built by hand, because a model change resets the layers and a layer
// carries its channels.

#include <array>
#include <vector>

#include <QWidget>

#include "core/model/model_manifest.h"
#include "core/params/dream_params.h"
#include "core/params/param_table.h"
#include "ui/model/param_field.h"

class QCheckBox;
class QComboBox;
class QLineEdit;
class QFormLayout;
class QPushButton;

namespace inceptionist::ui {

class ClassPicker;
class SeedSpin;
class SliderSpin;

class ParameterPanel : public QWidget {
    Q_OBJECT
public:
    explicit ParameterPanel(QWidget* parent = nullptr);

    void setModels(const std::vector<ModelManifest>& models);
    // Shows `params` without reporting an edit.
    void setParams(const DreamParams& params);
    const DreamParams& params() const { return params_; }
    // True while the person holds a slider: edits then come in a stream.
    bool dragging() const;

    QComboBox* layerBox() const { return layer_; }
    // The slider of a field whose panel widget is a slider; nullptr for others.
    SliderSpin* control(ParamId id) const { return sliders_[static_cast<size_t>(id)]; }
    SliderSpin* octavesControl() const { return control(ParamId::Octaves); }
    SliderSpin* stepSizeControl() const { return control(ParamId::StepSize); }
    SeedSpin* seedControl() const { return seed_; }
    ClassPicker* classPicker() const { return classPicker_; }

Q_SIGNALS:
    void edited(inceptionist::DreamParams params, inceptionist::ui::ParamField field);

private:
    void addModelRow(QFormLayout* form, const ParamSpec& spec);
    void addLayerRows(QFormLayout* form, const ParamSpec& spec);
    void addSliderRow(QFormLayout* form, const ParamSpec& spec);
    void addSeedRow(QFormLayout* form, const ParamSpec& spec);
    void addCheckBoxRow(QFormLayout* form, const ParamSpec& spec);
    void addImageFileRow(QFormLayout* form, const ParamSpec& spec);
    void rebuildLayers();
    void chooseMix(const QString& entry);
    void updateChannelRange();
    void emitEdit(ParamField field);
    const ModelManifest* currentModel() const;
    // The class picker (class_picker.h): its row, and showing the current model's head.
    void addClassRow(QFormLayout* form);
    void showClasses();
    void dropClassesOfOtherHead(int previousHeadClasses);

    std::vector<ModelManifest> models_;
    DreamParams params_;
    bool updating_ = false;

    QComboBox* model_ = nullptr;
    QComboBox* layer_ = nullptr;
    QCheckBox* oneChannel_ = nullptr;
    SliderSpin* channel_ = nullptr;
    SeedSpin* seed_ = nullptr;
    // By ParamId; nullptr where the field has another widget or none.
    std::array<SliderSpin*, kParamCount> sliders_{};
    std::array<QCheckBox*, kParamCount> checkBoxes_{};
    std::array<QLineEdit*, kParamCount> files_{};
    ClassPicker* classPicker_ = nullptr;
};

}  // namespace inceptionist::ui
