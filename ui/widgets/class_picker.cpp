#include "ui/widgets/class_picker.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "core/model/class_names.h"

namespace inceptionist::ui {

namespace {

// As classIndex compares names: without regard to case, '_' and ' ' alike.
QString normalised(QString s) { return s.replace('_', ' ').trimmed().toLower(); }

enum Column { NameColumn, WeightColumn, RemoveColumn };

}  // namespace

std::vector<int> matchClasses(const std::vector<std::string>& names, int count,
                              const QString& text) {
    const QString wanted = normalised(text);
    bool isNumber = false;
    const int number = wanted.toInt(&isNumber);
    std::vector<int> ranked[4];
    for (int i = 0; i < count; ++i) {
        const QString name = i < static_cast<int>(names.size())
                                 ? normalised(QString::fromStdString(names[i]))
                                 : QString();
        if (wanted.isEmpty() || (isNumber && number == i) || name == wanted)
            ranked[0].push_back(i);
        else if (name.startsWith(wanted))
            ranked[1].push_back(i);
        else if (name.contains(' ' + wanted))
            ranked[2].push_back(i);
        else if (name.contains(wanted))
            ranked[3].push_back(i);
    }
    std::vector<int> all;
    for (const auto& r : ranked) all.insert(all.end(), r.begin(), r.end());
    return all;
}

std::string classSpec(const std::vector<std::string>& names, int count, int index) {
    if (index < static_cast<int>(names.size())) {
        try {
            if (classIndex(names, count, names[index]) == index) return names[index];
        } catch (const std::exception&) {
        }
    }
    return std::to_string(index);
}

ClassPicker::ClassPicker(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    search_ = new QLineEdit(this);
    search_->setPlaceholderText(tr("Search classes: name or number"));
    search_->setClearButtonEnabled(true);
    search_->setToolTip(
        tr("Type part of a class name (\"barb\") or its number; Enter adds the "
           "top match."));
    layout->addWidget(search_);

    matchList_ = new QListWidget(this);
    matchList_->setMaximumHeight(fontMetrics().height() * 6);
    matchList_->setToolTip(tr("Double-click or press Enter to draw this class."));
    layout->addWidget(matchList_);

    chosen_ = new QTableWidget(0, 3, this);
    chosen_->setHorizontalHeaderLabels({tr("Class"), tr("Weight"), QString()});
    chosen_->horizontalHeader()->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
    chosen_->horizontalHeader()->setSectionResizeMode(WeightColumn, QHeaderView::ResizeToContents);
    chosen_->horizontalHeader()->setSectionResizeMode(RemoveColumn, QHeaderView::ResizeToContents);
    chosen_->verticalHeader()->hide();
    chosen_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    chosen_->setSelectionMode(QAbstractItemView::NoSelection);
    chosen_->setMaximumHeight(fontMetrics().height() * 7);
    chosen_->setToolTip(
        tr("The classes the network draws, each pushed with its weight. Remove "
           "them all to dream with layers again."));
    layout->addWidget(chosen_);

    others_ = new QCheckBox(tr("Minus the others"), this);
    others_->setToolTip(
        tr("Also push every other class down, so the picture shows the chosen "
           "classes rather than whatever the network likes best."));
    layout->addWidget(others_);

    connect(search_, &QLineEdit::textChanged, this, &ClassPicker::refilter);
    connect(search_, &QLineEdit::returnPressed, this, &ClassPicker::addTopMatch);
    connect(matchList_, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { addClass(item->data(Qt::UserRole).toInt()); });
    connect(others_, &QCheckBox::toggled, this, [this] {
        if (!updating_) Q_EMIT edited(true);
    });
    setHead({}, 0, QString());
}

void ClassPicker::setHead(std::vector<std::string> names, int count, const QString& modelName) {
    if (count == count_ && names == names_ && modelName == modelName_) return;
    modelName_ = modelName;
    names_ = std::move(names);
    count_ = count;
    setEnabled(count_ > 0);
    setToolTip(count_ > 0
                   ? tr("%1 tells %2 classes apart: pick the ones it should draw.")
                         .arg(modelName)
                         .arg(count_)
                   : tr("%1 has no classifier head (a Dense layer before a softmax), so it "
                        "cannot draw classes. Choose a model that classifies, such as one added "
                        "with its ImageNet head.")
                         .arg(modelName.isEmpty() ? tr("This model") : modelName));
    refilter();
    rebuildChosen();
}

QString ClassPicker::label(int index) const {
    if (index < 0 || index >= count_) return QString();
    if (index < static_cast<int>(names_.size()))
        return QStringLiteral("%1  ·  %2").arg(QString::fromStdString(names_[index])).arg(index);
    return tr("class %1").arg(index);
}

int ClassPicker::indexOf(const ClassObjective& c) const {
    try {
        return classIndex(names_, count_, c.name);
    } catch (const std::exception&) {
        return -1;
    }
}

bool ClassPicker::others() const { return others_->isChecked(); }

void ClassPicker::refilter() {
    matchList_->clear();
    for (int i : matches(search_->text())) {
        auto* item = new QListWidgetItem(label(i), matchList_);
        item->setData(Qt::UserRole, i);
    }
    if (matchList_->count() > 0) matchList_->setCurrentRow(0);
}

void ClassPicker::addTopMatch() {
    if (matchList_->count() == 0) return;
    addClass(matchList_->item(0)->data(Qt::UserRole).toInt());
    search_->clear();
}

void ClassPicker::addClass(int index) {
    if (index < 0 || index >= count_) return;
    for (const auto& c : classes_)
        if (indexOf(c) == index) return;
    classes_.push_back({classSpec(names_, count_, index), 1.0});
    rebuildChosen();
    Q_EMIT edited(false);
}

void ClassPicker::setClasses(const std::vector<ClassObjective>& classes, bool others) {
    updating_ = true;
    others_->setChecked(others);
    // Every edit comes back from the document: rebuilding then would take away the weight box
    // being typed in.
    if (classes != classes_) {
        classes_ = classes;
        rebuildChosen();
    }
    updating_ = false;
}

void ClassPicker::rebuildChosen() {
    chosen_->setRowCount(static_cast<int>(classes_.size()));
    for (int row = 0; row < static_cast<int>(classes_.size()); ++row) {
        const ClassObjective& c = classes_[row];
        const int index = indexOf(c);
        auto* name = new QTableWidgetItem(
            index >= 0 ? label(index)
                       : tr("%1 (not a class of this model)").arg(QString::fromStdString(c.name)));
        chosen_->setItem(row, NameColumn, name);

        auto* weight = new QDoubleSpinBox(chosen_);
        weight->setRange(-100, 100);
        weight->setDecimals(2);
        weight->setSingleStep(0.1);
        weight->setValue(c.weight);
        weight->setToolTip(tr("How strongly this class is pushed; negative pushes it away."));
        chosen_->setCellWidget(row, WeightColumn, weight);
        connect(weight, &QDoubleSpinBox::valueChanged, this, [this, row](double v) {
            if (updating_ || row >= static_cast<int>(classes_.size())) return;
            classes_[row].weight = v;
            Q_EMIT edited(false);
        });

        auto* remove = new QPushButton(tr("Remove"), chosen_);
        remove->setToolTip(tr("Stop drawing this class."));
        chosen_->setCellWidget(row, RemoveColumn, remove);
        connect(remove, &QPushButton::clicked, this, [this, row] {
            if (row >= static_cast<int>(classes_.size())) return;
            classes_.erase(classes_.begin() + row);
            // Rebuilt after this button's signal has returned: it is one of the table's cells.
            QMetaObject::invokeMethod(this, &ClassPicker::rebuildChosen, Qt::QueuedConnection);
            Q_EMIT edited(false);
        });
    }
}

}  // namespace inceptionist::ui
