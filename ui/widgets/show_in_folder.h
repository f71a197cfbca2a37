#pragma once
// "Show in Folder" after an export or a print: opens the folder that holds the file in the
// desktop's file manager.

#include <functional>

#include <QString>

namespace inceptionist::ui {

// Opens the folder of `file` (QDesktopServices, so the desktop's own file manager); false if
// the desktop could not.
bool showInFolder(const QString& file);

// Replaces what showInFolder does (tests: no file manager is started); empty restores it.
void setShowInFolderHandler(std::function<bool(const QString& file)> handler);

}  // namespace inceptionist::ui
