#pragma once
// Mixing layers, as the command line's repeated --layer allows: tick the layers to dream with,
// give each a weight and, if wanted, the channels to excite.

#include <vector>

#include <QDialog>

#include "core/model/model_manifest.h"
#include "core/params/dream_params.h"

class QTableWidget;

namespace inceptionist::ui {

class LayerMixDialog : public QDialog {
    Q_OBJECT
public:
    LayerMixDialog(const ModelManifest& model, const std::vector<LayerObjective>& current,
                   QWidget* parent = nullptr);

    // The ticked layers, in the model's order; channels out of a layer's range are left out.
    std::vector<LayerObjective> layers() const;
    // For tests and scripts: ticks `layer` with `weight` and `channels` ("3, 17" or empty).
    void setLayer(const QString& layer, bool on, double weight = 1.0, const QString& channels = {});

private:
    int rowOf(const QString& layer) const;

    ModelManifest model_;
    QTableWidget* table_;
};

}  // namespace inceptionist::ui
