#include "ui/model/style_change.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QStringList>

namespace inceptionist::ui {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("undo", text); }

QString fileName(const std::string& path) {
    return QFileInfo(QString::fromStdString(path)).fileName();
}

QString number(double v) { return QString::number(v, 'g', 4); }

const StyleImage* find(const std::vector<StyleImage>& images, const std::string& path) {
    for (const auto& i : images)
        if (i.path == path) return &i;
    return nullptr;
}

}  // namespace

QString describeStyleChange(const StyleParams& before, const StyleParams& after) {
    QStringList parts;
    for (const auto& i : after.images)
        if (const StyleImage* old = find(before.images, i.path); !old)
            parts << tr("Add style image %1").arg(fileName(i.path));
        else if (old->weight != i.weight)
            parts << tr("Change weight of %1 %2 → %3")
                         .arg(fileName(i.path), number(old->weight), number(i.weight));
    for (const auto& i : before.images)
        if (!find(after.images, i.path)) parts << tr("Remove style image %1").arg(fileName(i.path));
    auto changed = [&](const char* what, const QString& from, const QString& to) {
        if (from != to) parts << tr("Change %1 %2 → %3").arg(tr(what), from, to);
    };
    changed("style strength", number(before.styleWeight), number(after.styleWeight));
    changed("content weight", number(before.contentWeight), number(after.contentWeight));
    changed("smoothness", number(before.tvWeight), number(after.tvWeight));
    changed("style scale", number(before.styleScale), number(after.styleScale));
    changed("iterations", QString::number(before.iterations), QString::number(after.iterations));
    changed("preserve colours", QString::fromStdString(before.preserveColors),
            QString::fromStdString(after.preserveColors));
    changed("start", QString::fromStdString(before.init), QString::fromStdString(after.init));
    if (parts.isEmpty()) return tr("Change style");
    return parts.join(QStringLiteral("; "));
}

QString styleSettingChanged(const StyleParams& before, const StyleParams& after) {
    if (before.images.size() != after.images.size()) return {};
    QStringList keys;
    for (size_t i = 0; i < after.images.size(); ++i) {
        if (before.images[i].path != after.images[i].path) return {};
        if (before.images[i].weight != after.images[i].weight)
            keys << "weight:" + QString::fromStdString(after.images[i].path);
    }
    StyleParams rest = after;
    rest.images = before.images;
    const nlohmann::json a = before.toJson(), b = rest.toJson();
    for (const auto& [key, value] : b.items())
        if (a.at(key) != value) keys << QString::fromStdString(key);
    return keys.size() == 1 ? keys.front() : QString();
}

}  // namespace inceptionist::ui
