#pragma once
// Presets > Manage Presets…: the built-in presets and the person's own, with their thumbnails;
// apply one, rename or delete one's own (to the trash). The active preset is marked.

#include <vector>

#include <QDialog>

#include "ui/model/presets.h"

class QListWidget;
class QPushButton;

namespace inceptionist::ui {

class PresetManager : public QDialog {
    Q_OBJECT
public:
    // `active`: the name of the preset the window's settings came from, or empty.
    explicit PresetManager(const QString& active, QWidget* parent = nullptr);

    QListWidget* list() const { return list_; }
    const std::vector<Preset>& presets() const { return presets_; }
    // The window's settings now come from the preset called `name`.
    void setActive(const QString& name);
    // Selects the preset called `name`; false if there is none.
    bool select(const QString& name);
    // What the buttons do, for the selected preset. Failures show in a message box and change
    // nothing; true when done.
    bool renameSelected(const QString& newName);
    bool deleteSelected();

Q_SIGNALS:
    void applyRequested(inceptionist::ui::Preset preset);
    // A preset was renamed or deleted: menus that list presets are out of date.
    void presetsChanged();
    // The active preset has a new name (or, empty, was deleted).
    void activeRenamed(QString name);

private:
    void reload(const QString& selectName);
    void updateButtons();
    const Preset* selected() const;
    void askRename();
    void askDelete();

    QString active_;
    std::vector<Preset> presets_;
    QListWidget* list_;
    QPushButton* apply_;
    QPushButton* rename_;
    QPushButton* delete_;
};

}  // namespace inceptionist::ui
