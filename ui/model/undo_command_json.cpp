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

// An image state as saved: its images by reference, the rest copied for the save's thread.
struct SavedState {
    json image, original, photo, dream;
    std::string path, originalPath;
    std::vector<DreamParams> kept;
    DreamParams dreamParams;

    SavedState(const ImageState& s, HistoryImages& images)
        : image(images.add(s.image)),
          original(images.add(s.lineage.originalImage)),
          photo(images.add(s.lineage.photo)),
          dream(images.add(s.dream)),
          path(s.path.toStdString()),
          originalPath(s.lineage.originalPath.toStdString()),
          kept(s.lineage.kept),
          dreamParams(s.dreamParams) {}

    json toJson(HistoryParams& params) const {
        json j{{"image", image},
               {"path", path},
               {"original_path", originalPath},
               {"original", original},
               {"kept", params.addAll(kept)},
               {"photo", photo},
               {"dream", dream}};
        if (!dream.is_null()) j["dream_params"] = params.add(dreamParams);
        return j;
    }
};

ImageState stateOf(const json& j, RestoredHistory& history) {
    ImageState s;
    s.image = history.snapshot(j.at("image"));
    s.path = QString::fromStdString(j.at("path").get<std::string>());
    s.lineage.originalPath = QString::fromStdString(j.at("original_path").get<std::string>());
    s.lineage.originalImage = history.image(j.at("original"));
    s.lineage.kept = history.paramsList(j.at("kept"));
    s.lineage.photo = history.image(j.at("photo"));
    s.dream = history.snapshot(j.at("dream"));
    if (s.dream) s.dreamParams = history.params(j.at("dream_params"));
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

std::function<json(HistoryParams&)> ImageCommand::saved(HistoryImages& images) const {
    return [text = text().toStdString(), change = changeName(firstChange_),
            before = SavedState(before_, images),
            after = SavedState(after_, images)](HistoryParams& params) -> json {
        return {{"text", text},
                {"change", change},
                {"before", before.toJson(params)},
                {"after", after.toJson(params)}};
    };
}

std::unique_ptr<ImageCommand> ImageCommand::fromJson(Document* doc, const json& j,
                                                     RestoredHistory& history) {
    return std::make_unique<ImageCommand>(doc, stateOf(j.at("before"), history),
                                          stateOf(j.at("after"), history),
                                          changeOf(j.at("change").get<std::string>()),
                                          QString::fromStdString(j.at("text").get<std::string>()));
}

std::function<json(HistoryParams&)> ParamsCommand::saved(HistoryImages&) const {
    return [text = text().toStdString(), field = fieldKey(field_), before = before_,
            after = after_](HistoryParams& params) -> json {
        return {{"text", text},
                {"field", field},
                {"before", params.add(before)},
                {"after", params.add(after)}};
    };
}

std::unique_ptr<ParamsCommand> ParamsCommand::fromJson(Document* doc, const json& j,
                                                       RestoredHistory& history) {
    auto step = std::make_unique<ParamsCommand>(
        doc, history.params(j.at("before")), history.params(j.at("after")),
        fieldOfKey(j.at("field").get<std::string>()),
        QString::fromStdString(j.at("text").get<std::string>()));
    step->closed_ = true;
    return step;
}

}  // namespace inceptionist::ui
