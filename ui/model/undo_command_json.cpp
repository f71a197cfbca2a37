// The saved forms of the undo commands (ui/model/undo_archive.h): what each step needs to be
// rebuilt after a crash, with its images by reference.

#include "core/params/errors.h"
#include "core/params/param_table.h"
#include "ui/model/undo_archive.h"
#include "ui/model/undo_commands.h"

namespace inceptionist::ui {

namespace {

using nlohmann::json;

const char* changeName(Document::ImageChange change) {
    switch (change) {
        case Document::ImageChange::NewImage:
            return "new_image";
        case Document::ImageChange::Kept:
            return "kept";
        case Document::ImageChange::Restored:
            return "restored";
    }
    return "restored";
}

Document::ImageChange changeOf(const std::string& name) {
    if (name == "new_image") return Document::ImageChange::NewImage;
    if (name == "kept") return Document::ImageChange::Kept;
    if (name == "restored") return Document::ImageChange::Restored;
    throw Error(ErrorKind::Input, "an image step's change \"" + name + "\" is unknown");
}

json paramsList(const std::vector<DreamParams>& list) {
    json out = json::array();
    for (const auto& p : list) out.push_back(p.toJson());
    return out;
}

json stateJson(const ImageState& s, HistoryImages& images) {
    json j{{"image", images.add(s.image)},
           {"path", s.path.toStdString()},
           {"original_path", s.lineage.originalPath.toStdString()},
           {"original", images.add(s.lineage.originalImage)},
           {"kept", paramsList(s.lineage.kept)},
           {"photo", images.add(s.lineage.photo)},
           {"dream", images.add(s.dream)}};
    if (s.dream) j["dream_params"] = s.dreamParams.toJson();
    return j;
}

ImageState stateOf(const json& j, RestoredImages& images) {
    ImageState s;
    s.image = images.snapshot(j.at("image"));
    s.path = QString::fromStdString(j.at("path").get<std::string>());
    s.lineage.originalPath = QString::fromStdString(j.at("original_path").get<std::string>());
    s.lineage.originalImage = images.image(j.at("original"));
    for (const auto& p : j.at("kept")) s.lineage.kept.push_back(DreamParams::fromJson(p));
    s.lineage.photo = images.image(j.at("photo"));
    s.dream = images.snapshot(j.at("dream"));
    if (s.dream) s.dreamParams = DreamParams::fromJson(j.at("dream_params"));
    return s;
}

// By name, not number: the parameter table grows.
std::string fieldKey(ParamField field) {
    if (const auto id = paramIdOf(field)) return paramSpec(*id).key;
    return field == ParamField::Channel ? "channel" : "everything";
}

ParamField fieldOfKey(const std::string& key) {
    if (key == "channel") return ParamField::Channel;
    if (key == "everything") return ParamField::Everything;
    if (const ParamSpec* spec = paramSpecForKey(key)) return fieldOf(spec->id);
    throw Error(ErrorKind::Input, "a parameter step names an unknown parameter, \"" + key + "\"");
}

}  // namespace

json ImageCommand::toJson(HistoryImages& images) const {
    return {{"text", text().toStdString()},
            {"change", changeName(firstChange_)},
            {"before", stateJson(before_, images)},
            {"after", stateJson(after_, images)}};
}

std::unique_ptr<ImageCommand> ImageCommand::fromJson(Document* doc, const json& j,
                                                     RestoredImages& images) {
    return std::make_unique<ImageCommand>(doc, stateOf(j.at("before"), images),
                                          stateOf(j.at("after"), images),
                                          changeOf(j.at("change").get<std::string>()),
                                          QString::fromStdString(j.at("text").get<std::string>()));
}

json ParamsCommand::toJson(HistoryImages&) const {
    return {{"text", text().toStdString()},
            {"field", fieldKey(field_)},
            {"before", before_.toJson()},
            {"after", after_.toJson()}};
}

std::unique_ptr<ParamsCommand> ParamsCommand::fromJson(Document* doc, const json& j,
                                                       RestoredImages&) {
    auto step = std::make_unique<ParamsCommand>(
        doc, DreamParams::fromJson(j.at("before")), DreamParams::fromJson(j.at("after")),
        fieldOfKey(j.at("field").get<std::string>()),
        QString::fromStdString(j.at("text").get<std::string>()));
    step->closed_ = true;
    return step;
}

}  // namespace inceptionist::ui
