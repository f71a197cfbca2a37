#include "ui/widgets/show_in_folder.h"

#include <QDesktopServices>
#include <QFileInfo>
#include <QUrl>

namespace inceptionist::ui {

namespace {
std::function<bool(const QString&)>& handler() {
    static std::function<bool(const QString&)> h;
    return h;
}
}  // namespace

bool showInFolder(const QString& file) {
    if (handler()) return handler()(file);
    return QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(file).absolutePath()));
}

void setShowInFolderHandler(std::function<bool(const QString& file)> h) {
    handler() = std::move(h);
}

}  // namespace inceptionist::ui
