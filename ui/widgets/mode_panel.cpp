#include "ui/widgets/mode_panel.h"

#include <QStackedWidget>
#include <QTabBar>
#include <QVBoxLayout>

#include "ui/model/document.h"
#include "ui/widgets/parameter_panel.h"
#include "ui/widgets/style_panel.h"

namespace inceptionist::ui {

ModePanel::ModePanel(ParameterPanel* dream, Document* doc, QWidget* parent)
    : QWidget(parent), doc_(doc) {
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    tabs_ = new QTabBar(this);
    tabs_->setObjectName("modeBar");
    tabs_->setExpanding(true);
    tabs_->setDocumentMode(true);
    tabs_->addTab(tr("Dream"));
    tabs_->addTab(tr("Style"));
    tabs_->setTabToolTip(0, tr("DeepDream: the network's own patterns grow in the photo."));
    tabs_->setTabToolTip(1, tr("Style transfer: the photo painted in the manner of paintings."));
    column->addWidget(tabs_);
    stack_ = new QStackedWidget(this);
    style_ = new StylePanel(stack_);
    stack_->addWidget(dream);
    stack_->addWidget(style_);
    column->addWidget(stack_);

    connect(tabs_, &QTabBar::currentChanged, this, [this](int index) {
        stack_->setCurrentIndex(index);
        setStyleMode(index == 1);
        Q_EMIT modeSwitched();
    });
    connect(style_, &StylePanel::edited, doc_,
            [this](const DreamParams& p, ParamField field) { doc_->editParams(p, field); });
    connect(doc_, &Document::paramsChanged, this, &ModePanel::showParams);
    showParams();
}

bool ModePanel::styleMode() const { return doc_->params().mode == "style"; }

void ModePanel::setStyleMode(bool style) {
    if (style == styleMode()) return;
    DreamParams p = doc_->params();
    if (style) {
        dreamMode_ = p.mode;
        classes_ = p.classes;
        p.mode = "style";
        p.classes.clear();  // classes belong to mode "class" only
        if (p.style.images.empty()) p.style = style_->remembered();
    } else {
        p.mode = dreamMode_;
        p.classes = dreamMode_ == "class" ? classes_ : std::vector<ClassObjective>{};
        if (p.mode == "class" && p.classes.empty()) p.mode = "dream";
    }
    doc_->editParams(p, ParamField::Mode);
}

void ModePanel::showParams() {
    const DreamParams& p = doc_->params();
    const bool style = p.mode == "style";
    style_->setParams(p);
    {
        const QSignalBlocker block(tabs_);
        tabs_->setCurrentIndex(style ? 1 : 0);
    }
    stack_->setCurrentIndex(style ? 1 : 0);
    if (style != shownStyle_) {
        shownStyle_ = style;
        Q_EMIT styleModeChanged(style);
    }
}

}  // namespace inceptionist::ui
