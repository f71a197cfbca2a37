#pragma once
// Presets: named parameter sets in the shared JSON schema. Built-in ones ship inside the
// program; the person's own are JSON files in the application's data folder, and any preset
// file can be loaded.

#include <QString>
#include <QStringList>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/params/dream_params.h"

namespace inceptionist::ui {

struct Preset {
    QString name;
    QString description;
    DreamParams params;
    // The `motion` section: a clip's settings (core/motion/clip_settings.h), or null.
    nlohmann::json motion;
    QString file;  // where it came from
    bool builtIn = false;
    // Keys from a newer version that were left out, each naming the file: for the person to see
    // when the preset is applied.
    QStringList warnings;
};

std::vector<Preset> builtInPresets();
std::vector<Preset> userPresets();
QString userPresetFolder();

// Reads a preset file: {"name", "description", "params": {...}, "motion": {...}} (motion is
// optional) or a bare parameter object.
// Throws Error(Parameter) or Error(Input) naming the file.
Preset readPreset(const QString& file);
// Writes atomically. Throws Error(Output).
void writePreset(const QString& file, const QString& name, const DreamParams& params,
                 const nlohmann::json& motion = nullptr);

}  // namespace inceptionist::ui
