#include "ui/widgets/preset_manager.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QListWidget>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QVBoxLayout>

#include "core/params/errors.h"

namespace inceptionist::ui {

namespace {

// A preset with no picture of its own (the built-in ones, or one saved before there was a
// dream) gets a plain tile with its initial, so the grid stays even.
QIcon tileFor(const Preset& p) {
    QImage thumb = presetThumbnail(p);
    QPixmap tile(kPresetThumbnailSize, kPresetThumbnailSize * 3 / 4);
    tile.fill(QColor(0x2b, 0x2f, 0x36));
    QPainter painter(&tile);
    if (!thumb.isNull()) {
        const QImage fitted =
            thumb.scaled(tile.size(), Qt::KeepAspectRatio, Qt::SmoothTransformation);
        painter.drawImage((tile.width() - fitted.width()) / 2,
                          (tile.height() - fitted.height()) / 2, fitted);
    } else {
        QFont f = painter.font();
        f.setPixelSize(tile.height() / 2);
        painter.setFont(f);
        painter.setPen(QColor(0xc8, 0xd0, 0xdc));
        painter.drawText(tile.rect(), Qt::AlignCenter, p.name.left(1).toUpper());
    }
    return QIcon(tile);
}

}  // namespace

PresetManager::PresetManager(const QString& active, QWidget* parent)
    : QDialog(parent), active_(active) {
    setWindowTitle(tr("Manage Presets"));
    list_ = new QListWidget(this);
    list_->setObjectName("presetList");
    list_->setViewMode(QListView::IconMode);
    list_->setIconSize(QSize(kPresetThumbnailSize, kPresetThumbnailSize * 3 / 4));
    list_->setResizeMode(QListView::Adjust);
    list_->setMovement(QListView::Static);
    list_->setSpacing(8);
    list_->setWordWrap(true);

    apply_ = new QPushButton(tr("&Apply"), this);
    rename_ = new QPushButton(tr("&Rename…"), this);
    delete_ = new QPushButton(tr("&Delete"), this);
    delete_->setToolTip(tr("Moves the preset to the desktop's trash"));
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(apply_, &QPushButton::clicked, this, [this] {
        if (const Preset* p = selected()) Q_EMIT applyRequested(*p);
    });
    connect(list_, &QListWidget::itemActivated, this, [this] {
        if (const Preset* p = selected()) Q_EMIT applyRequested(*p);
    });
    connect(rename_, &QPushButton::clicked, this, &PresetManager::askRename);
    connect(delete_, &QPushButton::clicked, this, &PresetManager::askDelete);
    connect(list_, &QListWidget::currentRowChanged, this, &PresetManager::updateButtons);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(apply_);
    buttons->addWidget(rename_);
    buttons->addWidget(delete_);
    buttons->addStretch(1);
    buttons->addWidget(close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(list_, 1);
    layout->addLayout(buttons);
    resize(720, 480);
    reload(active_);
}

void PresetManager::reload(const QString& selectName) {
    presets_ = builtInPresets();
    for (Preset& p : userPresets()) presets_.push_back(std::move(p));
    list_->clear();
    for (const Preset& p : presets_) {
        QString label = p.name;
        if (p.name == active_) label = tr("%1 (active)").arg(p.name);
        auto* item = new QListWidgetItem(tileFor(p), label, list_);
        item->setToolTip(p.builtIn ? tr("%1\nComes with Inceptionist").arg(p.description)
                                   : tr("%1\n%2").arg(p.description, p.file).trimmed());
        if (p.name == active_) {
            QFont f = item->font();
            f.setBold(true);
            item->setFont(f);
        }
    }
    if (!select(selectName) && !presets_.empty()) list_->setCurrentRow(0);
    updateButtons();
}

void PresetManager::setActive(const QString& name) {
    const Preset* p = selected();
    const QString keep = p ? p->name : QString();
    active_ = name;
    reload(keep);
}

bool PresetManager::select(const QString& name) {
    for (size_t i = 0; i < presets_.size(); ++i)
        if (presets_[i].name == name) {
            list_->setCurrentRow(int(i));
            return true;
        }
    return false;
}

const Preset* PresetManager::selected() const {
    const int row = list_->currentRow();
    return row >= 0 && row < int(presets_.size()) ? &presets_[size_t(row)] : nullptr;
}

void PresetManager::updateButtons() {
    const Preset* p = selected();
    apply_->setEnabled(p);
    const bool own = p && !p->builtIn;
    rename_->setEnabled(own);
    delete_->setEnabled(own);
    const QString why = tr("Presets that come with Inceptionist cannot be changed");
    rename_->setToolTip(own || !p ? QString() : why);
    delete_->setToolTip(own || !p ? tr("Moves the preset to the desktop's trash") : why);
}

bool PresetManager::renameSelected(const QString& newName) {
    const Preset* p = selected();
    if (!p) return false;
    try {
        const bool wasActive = p->name == active_;
        const Preset renamed = renamePreset(*p, newName);
        if (wasActive) active_ = renamed.name;
        reload(renamed.name);
        Q_EMIT presetsChanged();
        if (wasActive) Q_EMIT activeRenamed(active_);
        return true;
    } catch (const Error& e) {
        QMessageBox::warning(this, tr("Rename Preset"), QString::fromUtf8(e.what()));
        return false;
    }
}

bool PresetManager::deleteSelected() {
    const Preset* p = selected();
    if (!p) return false;
    try {
        const bool wasActive = p->name == active_ && !p->builtIn;
        deletePreset(*p);
        if (wasActive) active_.clear();
        reload({});
        Q_EMIT presetsChanged();
        if (wasActive) Q_EMIT activeRenamed({});
        return true;
    } catch (const Error& e) {
        QMessageBox::warning(this, tr("Delete Preset"), QString::fromUtf8(e.what()));
        return false;
    }
}

void PresetManager::askRename() {
    const Preset* p = selected();
    if (!p) return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename Preset"), tr("New name:"),
                                               QLineEdit::Normal, p->name, &ok);
    if (ok && name.trimmed() != p->name) renameSelected(name);
}

void PresetManager::askDelete() {
    const Preset* p = selected();
    if (!p) return;
    if (QMessageBox::question(this, tr("Delete Preset"),
                              tr("Move the preset “%1” to the trash?").arg(p->name)) ==
        QMessageBox::Yes)
        deleteSelected();
}

}  // namespace inceptionist::ui
