#include "ui/widgets/layer_mix_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableWidget>
#include <QVBoxLayout>

namespace inceptionist::ui {

namespace {
enum Column { kLayer, kWeight, kChannels };
constexpr double kMaxWeight = 10.0;
}  // namespace

LayerMixDialog::LayerMixDialog(const ModelManifest& model,
                               const std::vector<LayerObjective>& current, QWidget* parent)
    : QDialog(parent), model_(model) {
    setWindowTitle(tr("Mix Layers"));
    table_ = new QTableWidget(int(model.layers.size()), 3, this);
    table_->setHorizontalHeaderLabels({tr("Layer"), tr("Weight"), tr("Channels (empty: all)")});
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setSectionResizeMode(kLayer, QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(kChannels, QHeaderView::Stretch);
    for (int row = 0; row < int(model.layers.size()); ++row) {
        const OfferedLayer& l = model.layers[size_t(row)];
        auto* tick = new QCheckBox(tr("%1 (%2 channels%3)")
                                       .arg(QString::fromStdString(l.name))
                                       .arg(l.channels)
                                       .arg(l.imagenet ? QString() : tr(", fine-tuned")),
                                   table_);
        auto* weight = new QDoubleSpinBox(table_);
        weight->setRange(0.05, kMaxWeight);
        weight->setSingleStep(0.1);
        weight->setValue(1.0);
        weight->setToolTip(tr("How much this layer counts against the others"));
        auto* channels = new QLineEdit(table_);
        channels->setPlaceholderText(tr("all"));
        channels->setToolTip(
            tr("Channel numbers 0 to %1, separated by commas").arg(l.channels - 1));
        table_->setCellWidget(row, kLayer, tick);
        table_->setCellWidget(row, kWeight, weight);
        table_->setCellWidget(row, kChannels, channels);
    }
    for (const auto& l : current) {
        QStringList channels;
        for (int c : l.channels) channels << QString::number(c);
        setLayer(QString::fromStdString(l.name), true, l.weight, channels.join(", "));
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(
        tr("The dream excites every ticked layer at once, each as strongly as its weight says."),
        this));
    layout->addWidget(table_, 1);
    layout->addWidget(buttons);
    resize(560, 480);
}

int LayerMixDialog::rowOf(const QString& layer) const {
    for (int row = 0; row < int(model_.layers.size()); ++row)
        if (QString::fromStdString(model_.layers[size_t(row)].name) == layer) return row;
    return -1;
}

void LayerMixDialog::setLayer(const QString& layer, bool on, double weight,
                              const QString& channels) {
    const int row = rowOf(layer);
    if (row < 0) return;
    static_cast<QCheckBox*>(table_->cellWidget(row, kLayer))->setChecked(on);
    static_cast<QDoubleSpinBox*>(table_->cellWidget(row, kWeight))->setValue(weight);
    static_cast<QLineEdit*>(table_->cellWidget(row, kChannels))->setText(channels);
}

std::vector<LayerObjective> LayerMixDialog::layers() const {
    std::vector<LayerObjective> out;
    for (int row = 0; row < int(model_.layers.size()); ++row) {
        if (!static_cast<QCheckBox*>(table_->cellWidget(row, kLayer))->isChecked()) continue;
        const OfferedLayer& l = model_.layers[size_t(row)];
        LayerObjective o{
            l.name, static_cast<QDoubleSpinBox*>(table_->cellWidget(row, kWeight))->value(), {}};
        const QString text = static_cast<QLineEdit*>(table_->cellWidget(row, kChannels))->text();
        for (const QString& part : text.split(',', Qt::SkipEmptyParts)) {
            bool ok = false;
            const int c = part.trimmed().toInt(&ok);
            if (ok && c >= 0 && c < l.channels) o.channels.push_back(c);
        }
        out.push_back(o);
    }
    return out;
}

}  // namespace inceptionist::ui
