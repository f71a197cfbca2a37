#pragma once
// The undo history in the autosaved session: every step on the stack, in order, with the index,
// as JSON whose images are references to files of the session folder, and back.
//
// One serialised form per undo command type, listed in undoStepCodecs() (undo_archive.cpp): a
// new command type adds its toJson/fromJson and one line there. A stack holding a step of a
// type not listed is saved from the step above it on (the steps below cannot be rebuilt
// without it); macros (QUndoStack::beginMacro) are saved with their steps.
//
// Images: collected on the GUI thread as shared QImages (or, for a snapshot spilled to disk,
// the name of its spill file), so the pixels are read, encoded and written on the autosave's
// thread. Each distinct image is one reference however many steps use it; the autosave names
// its file by a hash of its pixels, so an image is written once across saves and restarts.
//
// Bound: the history saved is at most the undo steps whose images together fit the document's
// undo bound in bytes (Document::undoMemoryBudget(), as held in memory), the oldest left out
// first: the autosave never writes more than the in-memory history.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <QImage>
#include <nlohmann/json.hpp>

#include "core/params/dream_params.h"
#include "ui/model/image_snapshot.h"

class QUndoCommand;

namespace inceptionist::ui {

class Document;

// The images a save references, by a key of that save (the image's cache key).
class HistoryImages {
public:
    struct Entry {
        ImageSnapshot::Frozen pixels;  // read on the save's thread
        SnapshotPtr owner;             // keeps a spill file alive until then
        qint64 bytes = 0;              // as held in memory
    };

    // A reference to the image: its key as a string, or null for no image.
    nlohmann::json add(const SnapshotPtr& snapshot);
    nlohmann::json add(const QImage& image);
    // Takes `other`'s images if the distinct images then fit in `bound` bytes; else takes none.
    bool absorb(const HistoryImages& other, qint64 bound);

    qint64 bytes() const { return bytes_; }
    const std::map<std::string, Entry>& entries() const { return entries_; }

private:
    void insert(const std::string& key, Entry entry);

    std::map<std::string, Entry> entries_;
    qint64 bytes_ = 0;
};

// The images of a saved session read back, by the keys of that save: each file once, one
// snapshot per file, shared by every step that uses it.
class RestoredImages {
public:
    // `files`: key → file name, `folder`: where they are.
    RestoredImages(Document* doc, QString folder, std::map<std::string, std::string> files);
    // Null reference: no image. Throws Error(Input) naming the file that cannot be read, or the
    // reference that names no file.
    SnapshotPtr snapshot(const nlohmann::json& ref);
    QImage image(const nlohmann::json& ref);

private:
    const std::string& fileOf(const nlohmann::json& ref) const;

    Document* doc_;
    QString folder_;
    std::map<std::string, std::string> files_;
    std::map<std::string, SnapshotPtr> read_;  // by file name
};

// One undo command type's saved form.
struct UndoStepCodec {
    std::string kind;
    // The step as JSON, or nullopt when it is not of this kind.
    std::function<std::optional<nlohmann::json>(const QUndoCommand&, HistoryImages&)> encode;
    // The step back; throws Error(Input) for a malformed one.
    std::function<std::unique_ptr<QUndoCommand>(Document*, const nlohmann::json&, RestoredImages&)>
        decode;
};
const std::vector<UndoStepCodec>& undoStepCodecs();

// The undo stack of `doc` as {"index", "steps"}, within `boundBytes` of images (taken from the
// steps next to the index outwards: the steps that redo first, then those that undo), the images
// added to `images`, which may already hold the session's own.
nlohmann::json saveUndoHistory(Document& doc, qint64 boundBytes, HistoryImages& images);

// Replaces the undo stack of `doc` by the saved one, at its index, and shows that state with
// `params` as the current parameters; false (nothing changed) for a history without steps.
// Throws Error(Input) for a malformed history (the stack is then left empty).
bool restoreUndoHistory(Document& doc, const nlohmann::json& history, RestoredImages& images,
                        const DreamParams& params);

}  // namespace inceptionist::ui
