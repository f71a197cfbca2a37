#include "ui/widgets/shortcut_overview.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMenu>
#include <QMenuBar>
#include <QRegularExpression>
#include <QTableWidget>
#include <QVBoxLayout>

namespace inceptionist::ui {

namespace {

// "&Keep Dream" -> "Keep Dream"; "Zoom &In" -> "Zoom In"; a trailing "…" stays.
QString plainText(QString text) {
    text.remove(QRegularExpression("&(?!&)"));
    return text.replace("&&", "&");
}

void collect(const QMenu* menu, const QString& group, std::vector<ShortcutOverview::Row>& rows) {
    for (QAction* a : menu->actions()) {
        if (a->menu()) {
            collect(a->menu(), group, rows);
            continue;
        }
        if (a->isSeparator() || a->shortcuts().isEmpty()) continue;
        QStringList keys;
        for (const QKeySequence& k : a->shortcuts())
            if (!k.isEmpty()) keys << k.toString(QKeySequence::NativeText);
        if (keys.isEmpty()) continue;
        // An action whose text changes (Undo names the step: "Undo Keep dream") carries a
        // fixed name for the overview.
        const QVariant fixed = a->property("overviewName");
        const QString name = fixed.isValid() ? fixed.toString() : plainText(a->text());
        rows.push_back({group, name, keys.join(QObject::tr(" or "))});
    }
}

}  // namespace

ShortcutOverview::ShortcutOverview(const QMenuBar* menus, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Keyboard Shortcuts"));
    for (QAction* top : menus->actions())
        if (top->menu()) collect(top->menu(), plainText(top->text()), rows_);
    // Keys that belong to a widget rather than to a menu.
    const QString canvas = tr("Canvas");
    rows_.push_back({canvas, tr("Compare with the image before this dream (hold)"), tr("B")});
    rows_.push_back({canvas, tr("Compare with the photo the chain started from (hold)"),
                     QKeySequence(Qt::SHIFT | Qt::Key_B).toString(QKeySequence::NativeText)});
    rows_.push_back({canvas, tr("Zoom about the pointer"), tr("mouse wheel")});
    rows_.push_back({canvas, tr("Move the picture, or the split line"), tr("drag")});

    table_ = new QTableWidget(int(rows_.size()), 3, this);
    table_->setObjectName("shortcutTable");
    table_->setHorizontalHeaderLabels({tr("Where"), tr("Does"), tr("Keys")});
    table_->verticalHeader()->hide();
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setAlternatingRowColors(true);
    for (int r = 0; r < int(rows_.size()); ++r) {
        table_->setItem(r, 0, new QTableWidgetItem(rows_[size_t(r)].group));
        table_->setItem(r, 1, new QTableWidgetItem(rows_[size_t(r)].action));
        table_->setItem(r, 2, new QTableWidgetItem(rows_[size_t(r)].keys));
    }
    table_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    table_->resizeColumnToContents(0);
    table_->resizeColumnToContents(2);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(table_);
    layout->addWidget(buttons);
    resize(560, 520);
}

}  // namespace inceptionist::ui
