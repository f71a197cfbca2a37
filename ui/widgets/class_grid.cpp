#include "ui/widgets/class_grid.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

#include "core/model/class_names.h"
#include "core/render/explorer.h"
#include "ui/widgets/class_picker.h"
#include "ui/widgets/thumbnail_view.h"

namespace inceptionist::ui {

namespace {
constexpr int kSearchSettleMs = 250;  // typing a name is one search, not one per letter
}

ClassGrid::ClassGrid(int thumbnailSize, QWidget* parent) : QWidget(parent) {
    search_ = new QLineEdit(this);
    search_->setPlaceholderText(tr("Search classes: name or number"));
    search_->setClearButtonEnabled(true);
    search_->setToolTip(tr("Show the classes whose names contain this text (the first %1). "
                           "Empty: the classes the dream draws, then well-known ones.")
                            .arg(kClassesPerPage));
    unavailable_ = new QLabel(this);
    unavailable_->setWordWrap(true);
    unavailable_->hide();
    view_ = new ThumbnailView(thumbnailSize, this);
    view_->setToolTip(
        tr("The network asked to draw each class into the current image. Click one to draw that "
           "class."));
    export_ = new QPushButton(tr("Export Contact Sheet…"), this);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(search_);
    layout->addWidget(unavailable_);
    layout->addWidget(view_, 1);
    layout->addWidget(export_, 0, Qt::AlignRight);

    auto* settle = new QTimer(this);
    settle->setSingleShot(true);
    settle->setInterval(kSearchSettleMs);
    connect(search_, &QLineEdit::textChanged, settle, qOverload<>(&QTimer::start));
    connect(search_, &QLineEdit::returnPressed, this, [this, settle] {
        settle->stop();
        Q_EMIT searchChanged();
    });
    connect(settle, &QTimer::timeout, this, &ClassGrid::searchChanged);
}

std::vector<std::string> ClassGrid::shownClasses(const std::vector<std::string>& names, int count,
                                                 const std::vector<ClassObjective>& chosen) const {
    std::vector<std::string> shown;
    std::vector<int> indices;
    auto add = [&](int index) {
        if (index < 0 || index >= count || static_cast<int>(shown.size()) >= kClassesPerPage)
            return;
        if (std::find(indices.begin(), indices.end(), index) != indices.end()) return;
        indices.push_back(index);
        shown.push_back(classSpec(names, count, index));
    };
    if (!search_->text().trimmed().isEmpty()) {
        for (int i : matchClasses(names, count, search_->text())) add(i);
        return shown;
    }
    auto indexOf = [&](const std::string& spec) {
        try {
            return classIndex(names, count, spec);
        } catch (const std::exception&) {
            return -1;
        }
    };
    for (const auto& c : chosen) add(indexOf(c.name));
    if (count == 1000 && names == imagenetClassNames())
        for (const auto& c : wellKnownImagenetClasses()) add(indexOf(c));
    for (int i = 0; i < count && static_cast<int>(shown.size()) < kClassesPerPage; ++i) add(i);
    return shown;
}

QString ClassGrid::labelOf(const std::vector<std::string>& names, int count,
                           const std::string& spec) {
    int index = -1;
    try {
        index = classIndex(names, count, spec);
    } catch (const std::exception&) {
    }
    if (index >= 0 && index < static_cast<int>(names.size()))
        return QString::fromStdString(names[index]);
    return index >= 0 ? tr("class %1").arg(index) : QString::fromStdString(spec);
}

void ClassGrid::setUnavailable(const QString& why) {
    unavailable_->setText(why);
    unavailable_->setVisible(!why.isEmpty());
    search_->setEnabled(why.isEmpty());
    view_->setVisible(why.isEmpty());
    export_->setEnabled(why.isEmpty());
}

}  // namespace inceptionist::ui
