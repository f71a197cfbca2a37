#include "ui/model/undo_archive.h"

#include <QDir>
#include <QUndoStack>

#include "core/io/image_io.h"
#include "core/params/errors.h"
#include "ui/model/document.h"
#include "ui/model/image_convert.h"
#include "ui/model/undo_commands.h"

namespace inceptionist::ui {

namespace {

template <class Command>
UndoStepCodec codecOf(const char* kind) {
    return {kind,
            [](const QUndoCommand& step, HistoryImages& images) -> std::optional<nlohmann::json> {
                const auto* command = dynamic_cast<const Command*>(&step);
                if (!command) return std::nullopt;
                return command->toJson(images);
            },
            [](Document* doc, const nlohmann::json& j, RestoredImages& images)
                -> std::unique_ptr<QUndoCommand> { return Command::fromJson(doc, j, images); }};
}

constexpr const char* kMacro = "macro";

// A step (and the steps of a macro), or nullopt when one of them has no saved form.
std::optional<nlohmann::json> encodeStep(const QUndoCommand& step, HistoryImages& images) {
    if (step.childCount() > 0) {
        nlohmann::json steps = nlohmann::json::array();
        for (int i = 0; i < step.childCount(); ++i) {
            auto child = encodeStep(*step.child(i), images);
            if (!child) return std::nullopt;
            steps.push_back(std::move(*child));
        }
        return nlohmann::json{
            {"kind", kMacro}, {"text", step.text().toStdString()}, {"steps", steps}};
    }
    for (const UndoStepCodec& codec : undoStepCodecs())
        if (auto j = codec.encode(step, images)) {
            (*j)["kind"] = codec.kind;
            return j;
        }
    return std::nullopt;
}

// Pushes a saved step (a macro with its steps) on the stack, which redoes it.
void pushStep(Document& doc, QUndoStack& stack, const nlohmann::json& j, RestoredImages& images) {
    const std::string kind = j.at("kind").get<std::string>();
    if (kind == kMacro) {
        stack.beginMacro(QString::fromStdString(j.at("text").get<std::string>()));
        for (const auto& child : j.at("steps")) pushStep(doc, stack, child, images);
        stack.endMacro();
        return;
    }
    for (const UndoStepCodec& codec : undoStepCodecs())
        if (codec.kind == kind) {
            stack.push(codec.decode(&doc, j, images).release());
            return;
        }
    throw Error(ErrorKind::Input, "an undo step of an unknown kind, \"" + kind + "\"");
}

}  // namespace

// The one list of undo command types with a saved form.
const std::vector<UndoStepCodec>& undoStepCodecs() {
    static const std::vector<UndoStepCodec> codecs{
        codecOf<ImageCommand>("image"),
        codecOf<ParamsCommand>("params"),
    };
    return codecs;
}

void HistoryImages::insert(const std::string& key, Entry entry) {
    if (entries_.count(key)) return;
    bytes_ += entry.bytes;
    entries_.emplace(key, std::move(entry));
}

nlohmann::json HistoryImages::add(const SnapshotPtr& snapshot) {
    if (!snapshot) return nullptr;
    const std::string key = std::to_string(snapshot->cacheKey());
    insert(key, {snapshot->freeze(), snapshot, snapshot->bytes()});
    return key;
}

nlohmann::json HistoryImages::add(const QImage& image) {
    if (image.isNull()) return nullptr;
    const std::string key = std::to_string(image.cacheKey());
    insert(key, {{image, {}, image.size(), image.format()}, nullptr, image.sizeInBytes()});
    return key;
}

bool HistoryImages::absorb(const HistoryImages& other, qint64 bound) {
    qint64 added = 0;
    for (const auto& [key, entry] : other.entries_)
        if (!entries_.count(key)) added += entry.bytes;
    if (bytes_ + added > bound) return false;
    for (const auto& [key, entry] : other.entries_) insert(key, entry);
    return true;
}

RestoredImages::RestoredImages(Document* doc, QString folder,
                               std::map<std::string, std::string> files)
    : doc_(doc), folder_(std::move(folder)), files_(std::move(files)) {}

const std::string& RestoredImages::fileOf(const nlohmann::json& ref) const {
    const auto it = files_.find(ref.get<std::string>());
    if (it == files_.end())
        throw Error(ErrorKind::Input, "an undo step refers to image " + ref.get<std::string>() +
                                          ", which is not saved");
    return it->second;
}

SnapshotPtr RestoredImages::snapshot(const nlohmann::json& ref) {
    if (ref.is_null()) return nullptr;
    const std::string& file = fileOf(ref);
    SnapshotPtr& read = read_[file];
    if (!read)
        read = doc_->makeSnapshot(toQImage(
            readImage(QDir(folder_).filePath(QString::fromStdString(file)).toStdString())));
    return read;
}

QImage RestoredImages::image(const nlohmann::json& ref) {
    const SnapshotPtr s = snapshot(ref);
    return s ? s->image() : QImage();
}

nlohmann::json saveUndoHistory(Document& doc, qint64 boundBytes, HistoryImages& images) {
    const QUndoStack& stack = *doc.undoStack();
    const int index = stack.index();
    // One step's images are taken whole or not at all; the steps next to the index come first.
    auto take = [&](int i) -> std::optional<nlohmann::json> {
        HistoryImages own;
        auto j = encodeStep(*stack.command(i), own);
        if (!j || !images.absorb(own, boundBytes)) return std::nullopt;
        return j;
    };
    std::vector<nlohmann::json> redo;
    for (int i = index; i < stack.count(); ++i) {
        auto j = take(i);
        if (!j) break;
        redo.push_back(std::move(*j));
    }
    std::vector<nlohmann::json> undo;  // newest first
    for (int i = index - 1; i >= 0; --i) {
        auto j = take(i);
        if (!j) break;
        undo.push_back(std::move(*j));
    }
    nlohmann::json steps = nlohmann::json::array();
    for (auto it = undo.rbegin(); it != undo.rend(); ++it) steps.push_back(std::move(*it));
    for (auto& j : redo) steps.push_back(std::move(j));
    return {{"index", undo.size()}, {"steps", steps}};
}

bool restoreUndoHistory(Document& doc, const nlohmann::json& history, RestoredImages& images,
                        const DreamParams& params) {
    try {
        const auto& steps = history.at("steps");
        const int index = history.at("index").get<int>();
        if (!steps.is_array() || index < 0 || index > int(steps.size()))
            throw Error(ErrorKind::Input, "the undo history's index is out of its steps");
        if (steps.empty()) return false;
        doc.rebuildHistory(
            [&](QUndoStack& stack) {
                for (const auto& step : steps) pushStep(doc, stack, step, images);
            },
            index, params);
        return true;
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::Input,
                    std::string("the undo history is damaged (") + e.what() + ")");
    }
}

}  // namespace inceptionist::ui
