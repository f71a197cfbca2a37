#include "ui/model/presets.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
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

}  // namespace inceptionist::ui
