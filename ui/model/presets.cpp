#include "ui/model/presets.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

#include "core/io/image_io.h"
#include "core/motion/clip_settings.h"
#include "core/params/errors.h"

namespace inceptionist::ui {

namespace {

std::vector<Preset> presetsIn(const QString& folder, bool builtIn) {
    std::vector<Preset> presets;
    const QStringList files = QDir(folder).entryList({"*.json"}, QDir::Files, QDir::Name);
    for (const QString& f : files) {
        try {
            Preset p = readPreset(folder + "/" + f);
            p.builtIn = builtIn;
            presets.push_back(p);
        } catch (const Error&) {
            // A damaged user preset is left out of the menu; loading it by hand names the problem.
        }
    }
    return presets;
}

}  // namespace

std::vector<Preset> builtInPresets() { return presetsIn(":/presets", true); }

QString userPresetFolder() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/presets";
}

std::vector<Preset> userPresets() { return presetsIn(userPresetFolder(), false); }

Preset readPreset(const QString& file) {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        throw Error(ErrorKind::Input, file.toStdString() + ": cannot open preset (" +
                                          f.errorString().toStdString() + ")");
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(f.readAll().toStdString());
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::Parameter, file.toStdString() + ": malformed JSON: " + e.what());
    }
    Preset p;
    p.file = file;
    p.name = QFileInfo(file).completeBaseName();
    std::vector<std::string> warnings;
    try {
        if (doc.is_object() && doc.contains("params")) {
            p.name = QString::fromStdString(doc.value("name", p.name.toStdString()));
            p.description = QString::fromStdString(doc.value("description", std::string()));
            p.params = DreamParams::fromJson(doc["params"], &warnings);
            if (doc.contains("motion")) {
                ClipSettings::fromJson(doc["motion"], "motion");  // refused here, by name
                p.motion = doc["motion"];
            }
        } else {
            p.params = DreamParams::fromJson(doc, &warnings);
        }
    } catch (const Error& e) {
        throw Error(e.kind(), file.toStdString() + ": " + e.what());
    }
    for (const auto& w : warnings) p.warnings << file + ": " + QString::fromStdString(w);
    return p;
}

void writePreset(const QString& file, const QString& name, const DreamParams& params,
                 const nlohmann::json& motion) {
    nlohmann::json doc{{"name", name.toStdString()}, {"params", params.toJson()}};
    if (!motion.is_null()) doc["motion"] = motion;
    const std::string text = doc.dump(2) + "\n";
    QDir().mkpath(QFileInfo(file).absolutePath());
    writeFileAtomically(file.toStdString(), std::vector<unsigned char>(text.begin(), text.end()));
}

QString userPresetFile(const QString& name) {
    QString fileName = name.trimmed();
    fileName.replace(QRegularExpression("[^A-Za-z0-9 _-]"), "_");
    return userPresetFolder() + "/" + fileName + ".json";
}

namespace {

QString thumbnailFile(const QString& presetFile) {
    const QFileInfo info(presetFile);
    return info.absolutePath() + "/" + info.completeBaseName() + ".png";
}

void requireOwn(const Preset& preset, const char* what) {
    if (preset.builtIn || preset.file.startsWith(":"))
        throw Error(ErrorKind::Parameter, "“" + preset.name.toStdString() +
                                              "” comes with Inceptionist and cannot be " + what);
}

// Removes `file` if it exists, to the trash where the desktop has one.
void removeFile(const QString& file) {
    if (!QFileInfo::exists(file)) return;
    QFile f(file);
    if (f.moveToTrash() || f.remove()) return;
    throw Error(ErrorKind::Output,
                file.toStdString() + ": cannot remove (" + f.errorString().toStdString() + ")");
}

}  // namespace

QImage presetThumbnail(const Preset& preset) {
    if (preset.file.isEmpty()) return {};
    return QImage(thumbnailFile(preset.file));
}

void writePresetThumbnail(const QString& presetFile, const QImage& picture) {
    if (picture.isNull()) return;
    const QImage small = picture
                             .scaled(kPresetThumbnailSize, kPresetThumbnailSize,
                                     Qt::KeepAspectRatio, Qt::SmoothTransformation)
                             .convertToFormat(QImage::Format_RGB888);
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (!small.save(&buffer, "PNG"))
        throw Error(ErrorKind::Output, thumbnailFile(presetFile).toStdString() +
                                           ": the thumbnail could not be encoded");
    writeFileAtomically(thumbnailFile(presetFile).toStdString(),
                        std::vector<unsigned char>(png.begin(), png.end()));
}

Preset renamePreset(const Preset& preset, const QString& newName) {
    requireOwn(preset, "renamed");
    const QString name = newName.trimmed();
    if (name.isEmpty()) throw Error(ErrorKind::Parameter, "a preset needs a name");
    const QString file = userPresetFile(name);
    const bool sameFile =
        QFileInfo(file).absoluteFilePath() == QFileInfo(preset.file).absoluteFilePath();
    for (const Preset& other : userPresets())
        if (QFileInfo(other.file).absoluteFilePath() != QFileInfo(preset.file).absoluteFilePath() &&
            (other.name == name ||
             QFileInfo(other.file).absoluteFilePath() == QFileInfo(file).absoluteFilePath()))
            throw Error(ErrorKind::Parameter,
                        "there is already a preset named “" + name.toStdString() + "”");
    writePreset(file, name, preset.params, preset.motion);
    const QImage thumb = presetThumbnail(preset);
    if (!sameFile) {
        if (!thumb.isNull()) writePresetThumbnail(file, thumb);
        removeFile(thumbnailFile(preset.file));
        removeFile(preset.file);
    }
    Preset renamed = preset;
    renamed.name = name;
    renamed.file = file;
    return renamed;
}

void deletePreset(const Preset& preset) {
    requireOwn(preset, "deleted");
    removeFile(thumbnailFile(preset.file));
    removeFile(preset.file);
}

}  // namespace inceptionist::ui
