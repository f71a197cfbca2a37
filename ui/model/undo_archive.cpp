#include "ui/model/undo_archive.h"

#include <QDir>
#include <QUndoStack>

#include "core/io/image_io.h"
#include "core/params/errors.h"
#include "ui/model/document.h"
#include "ui/model/image_convert.h"
#include "ui/model/mask_change.h"
#include "ui/model/undo_commands.h"

namespace inceptionist::ui {

namespace {

template <class Command>
UndoStepCodec codecOf(const char* kind) {
    return {kind,
            [](const QUndoCommand& step, HistoryImages& images) -> StepWriter {
                const auto* command = dynamic_cast<const Command*>(&step);
                if (!command) return {};
                return command->saved(images);
            },
            [](Document* doc, const nlohmann::json& j, RestoredHistory& history)
                -> std::unique_ptr<QUndoCommand> { return Command::fromJson(doc, j, history); }};
}

constexpr const char* kMacro = "macro";

// A step (and the steps of a macro); empty when one of them has no saved form.
StepWriter encodeStep(const QUndoCommand& step, HistoryImages& images) {
    if (step.childCount() > 0) {
        std::vector<StepWriter> children;
        for (int i = 0; i < step.childCount(); ++i) {
            StepWriter child = encodeStep(*step.child(i), images);
            if (!child) return {};
            children.push_back(std::move(child));
        }
        return [text = step.text().toStdString(),
                children = std::move(children)](HistoryParams& params) {
            nlohmann::json steps = nlohmann::json::array();
            for (const StepWriter& child : children) steps.push_back(child(params));
            return nlohmann::json{{"kind", kMacro}, {"text", text}, {"steps", steps}};
        };
    }
    for (const UndoStepCodec& codec : undoStepCodecs())
        if (StepWriter writer = codec.encode(step, images))
            return [writer = std::move(writer), kind = codec.kind](HistoryParams& params) {
                nlohmann::json j = writer(params);
                j["kind"] = kind;
                return j;
            };
    return {};
}

// Pushes a saved step (a macro with its steps) on the stack, which redoes it.
void pushStep(Document& doc, QUndoStack& stack, const nlohmann::json& j, RestoredHistory& history) {
    const std::string kind = j.at("kind").get<std::string>();
    if (kind == kMacro) {
        stack.beginMacro(QString::fromStdString(j.at("text").get<std::string>()));
        for (const auto& child : j.at("steps")) pushStep(doc, stack, child, history);
        stack.endMacro();
        return;
    }
    for (const UndoStepCodec& codec : undoStepCodecs())
        if (codec.kind == kind) {
            stack.push(codec.decode(&doc, j, history).release());
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
        codecOf<MaskChangeCommand>("mask"),
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

nlohmann::json HistoryParams::add(const DreamParams& params) {
    nlohmann::json j = params.toJson();
    const auto [it, added] = index_.emplace(j.dump(), int(table_.size()));
    if (added) table_.push_back(std::move(j));
    return it->second;
}

nlohmann::json HistoryParams::addAll(const std::vector<DreamParams>& list) {
    nlohmann::json refs = nlohmann::json::array();
    for (const DreamParams& p : list) refs.push_back(add(p));
    return refs;
}

QImage SavedImages::read(const QString& folder, const std::string& file) {
    if (const auto failed = failures.find(file); failed != failures.end())
        std::rethrow_exception(failed->second);
    if (const auto done = pixels.find(file); done != pixels.end()) return done->second;
    try {
        const QImage image =
            toQImage(readImage(QDir(folder).filePath(QString::fromStdString(file)).toStdString()));
        pixels.emplace(file, image);
        return image;
    } catch (...) {
        failures.emplace(file, std::current_exception());
        throw;
    }
}

QImage SavedImages::decoded(const std::string& file) const {
    if (const auto failed = failures.find(file); failed != failures.end())
        std::rethrow_exception(failed->second);
    const auto done = pixels.find(file);
    if (done == pixels.end())
        throw Error(ErrorKind::Input, "the undo history's image " + file + " was not read");
    return done->second;
}

RestoredHistory::RestoredHistory(Document* doc, SavedImages images, const nlohmann::json& params)
    : doc_(doc), images_(std::move(images)), paramsTable_(params) {}

const std::string& RestoredHistory::fileOf(const nlohmann::json& ref) const {
    const auto it = images_.files.find(ref.get<std::string>());
    if (it == images_.files.end())
        throw Error(ErrorKind::Input, "an undo step refers to image " + ref.get<std::string>() +
                                          ", which is not saved");
    return it->second;
}

SnapshotPtr RestoredHistory::snapshot(const nlohmann::json& ref) {
    if (ref.is_null()) return nullptr;
    const std::string& file = fileOf(ref);
    SnapshotPtr& read = read_[file];
    if (!read) read = doc_->makeSnapshot(images_.decoded(file));
    return read;
}

QImage RestoredHistory::image(const nlohmann::json& ref) {
    const SnapshotPtr s = snapshot(ref);
    return s ? s->image() : QImage();
}

DreamParams RestoredHistory::params(const nlohmann::json& ref) {
    const int i = ref.get<int>();
    if (i < 0 || i >= int(paramsTable_.size()))
        throw Error(ErrorKind::Input, "an undo step refers to parameters " + std::to_string(i) +
                                          ", which are not saved");
    auto it = paramsRead_.find(i);
    if (it == paramsRead_.end())
        it = paramsRead_.emplace(i, DreamParams::fromJson(paramsTable_[size_t(i)])).first;
    return it->second;
}

std::vector<DreamParams> RestoredHistory::paramsList(const nlohmann::json& refs) {
    std::vector<DreamParams> list;
    for (const auto& ref : refs) list.push_back(params(ref));
    return list;
}

PendingHistory saveUndoHistory(Document& doc, qint64 boundBytes, HistoryImages& images) {
    const QUndoStack& stack = *doc.undoStack();
    const int index = stack.index();
    // One step's images are taken whole or not at all; the steps next to the index come first.
    auto take = [&](int i) -> StepWriter {
        HistoryImages own;
        StepWriter writer = encodeStep(*stack.command(i), own);
        if (!writer || !images.absorb(own, boundBytes)) return {};
        return writer;
    };
    std::vector<StepWriter> redo;
    for (int i = index; i < stack.count(); ++i) {
        StepWriter writer = take(i);
        if (!writer) break;
        redo.push_back(std::move(writer));
    }
    std::vector<StepWriter> undo;  // newest first
    for (int i = index - 1; i >= 0; --i) {
        StepWriter writer = take(i);
        if (!writer) break;
        undo.push_back(std::move(writer));
    }
    PendingHistory pending;
    pending.index = int(undo.size());
    pending.steps.assign(std::make_move_iterator(undo.rbegin()),
                         std::make_move_iterator(undo.rend()));
    for (auto& writer : redo) pending.steps.push_back(std::move(writer));
    return pending;
}

nlohmann::json PendingHistory::toJson() const {
    HistoryParams params;
    nlohmann::json list = nlohmann::json::array();
    for (const StepWriter& step : steps) list.push_back(step(params));
    return {{"index", index}, {"steps", list}, {"params", params.table()}};
}

bool restoreUndoHistory(Document& doc, const nlohmann::json& history, SavedImages images,
                        const DreamParams& params) {
    try {
        const auto& steps = history.at("steps");
        const int index = history.at("index").get<int>();
        if (!steps.is_array() || index < 0 || index > int(steps.size()))
            throw Error(ErrorKind::Input, "the undo history's index is out of its steps");
        if (steps.empty()) return false;
        RestoredHistory restored(&doc, std::move(images), history.at("params"));
        doc.rebuildHistory(
            [&](QUndoStack& stack) {
                for (const auto& step : steps) pushStep(doc, stack, step, restored);
            },
            index, params);
        return true;
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::Input,
                    std::string("the undo history is damaged (") + e.what() + ")");
    }
}

}  // namespace inceptionist::ui
