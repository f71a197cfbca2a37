#pragma once
// The dock where an artist sets up a dream: model, layer, channel and the ascent parameters,
// each with a slider, a spin box and a tooltip in plain words. It shows a DreamParams snapshot
// and reports each edit as a new snapshot plus the field that changed.

#include <vector>

#include <QWidget>

#include "core/model/model_manifest.h"
#include "core/params/dream_params.h"
#include "ui/model/param_field.h"

class QCheckBox;
class QComboBox;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace inceptionist::ui {

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
    SliderSpin* octavesControl() const { return octaves_; }
    SliderSpin* stepSizeControl() const { return stepSize_; }

Q_SIGNALS:
    void edited(inceptionist::DreamParams params, inceptionist::ui::ParamField field);

private:
    void rebuildLayers();
    void updateChannelRange();
    void emitEdit(ParamField field);
    const ModelManifest* currentModel() const;

    std::vector<ModelManifest> models_;
    DreamParams params_;
    bool updating_ = false;

    QComboBox* model_;
    QComboBox* layer_;
    QCheckBox* oneChannel_;
    SliderSpin* channel_;
    SliderSpin* octaves_;
    SliderSpin* octaveScale_;
    SliderSpin* steps_;
    SliderSpin* stepSize_;
    SliderSpin* jitter_;
    QSpinBox* seed_;
    QPushButton* newSeed_;
    SliderSpin* workingSize_;
    QCheckBox* noise_;
    QLineEdit* guide_;
    QPushButton* guideBrowse_;
    QPushButton* guideClear_;
};

}  // namespace inceptionist::ui
