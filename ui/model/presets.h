#pragma once
// Presets: named parameter sets in the shared JSON schema. Built-in ones ship inside the
// program; the person's own are JSON files in the application's data folder, and any preset
// file can be loaded.

#include <QImage>
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

// Where a preset of the person's own named `name` is kept: its name made safe for a file name.
QString userPresetFile(const QString& name);

// The picture shown for a preset: a PNG beside its file (same name), written when the preset is
// saved from a dream. Null when there is none.
QImage presetThumbnail(const Preset& preset);
// Writes `picture`, scaled to kPresetThumbnailSize on its long side, beside `presetFile`
// atomically. Throws Error(Output).
constexpr int kPresetThumbnailSize = 160;
void writePresetThumbnail(const QString& presetFile, const QImage& picture);

// Gives a preset of the person's own a new name: the name inside the file and the file's own
// name (and its thumbnail's). Returns the preset as it is now. Throws Error(Parameter) for a
// built-in preset, an empty name or one another preset has; Error(Output) if the files cannot
// be written. The old file is removed only after the new one is written.
Preset renamePreset(const Preset& preset, const QString& newName);
// Removes a preset of the person's own, with its thumbnail: to the desktop's trash where there
// is one. Throws Error(Parameter) for a built-in preset, Error(Output) if it cannot be removed.
void deletePreset(const Preset& preset);

}  // namespace inceptionist::ui
