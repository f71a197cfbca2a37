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
// The steps' parameters are copied on the GUI thread and made into JSON on the autosave's
// thread too, each distinct set once (HistoryParams).
//
// Bound: the history saved is at most the undo steps whose images together fit the document's
// undo bound in bytes (Document::undoMemoryBudget(), as held in memory), the oldest left out
// first: the autosave never writes more than the in-memory history.

#include <exception>
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

// The parameters of a history, each distinct set once: a step names them by their index in
// the table. A chain of kept dreams grows by one set per keep, and every image step holds its
// whole chain twice, so the table keeps the file linear in the number of steps. Used on the
// save's thread.
class HistoryParams {
public:
    nlohmann::json add(const DreamParams& params);
    nlohmann::json addAll(const std::vector<DreamParams>& list);
    const nlohmann::json& table() const { return table_; }

private:
    nlohmann::json table_ = nlohmann::json::array();
    std::map<std::string, int> index_;  // by the set's JSON text
};

// A saved step, made into JSON on the save's thread from what it copied on the GUI thread.
using StepWriter = std::function<nlohmann::json(HistoryParams&)>;

// A saved history's images, decoded before its steps are rebuilt. Decoding the PNGs is most of a
// restore (0.2-0.6 s for ten keeps at the working size, seconds at print sizes), so it runs on
// any thread (the window's restore: a file task, ui/widgets/session_restore.h) and only the
// steps are built on the GUI thread, from the pixels. A file that could not be read keeps what
// reading it threw, thrown again when a step refers to it, so a damaged image costs the steps
// that use it exactly as reading it there did.
struct SavedImages {
    std::map<std::string, std::string> files;            // a key of the save → its file name
    std::map<std::string, QImage> pixels;                // by file name
    std::map<std::string, std::exception_ptr> failures;  // by file name

    // Reads `file` under `folder` unless it was read: its pixels, or it throws what reading it
    // threw (Error(Input) naming the file), now and every time after. On any thread.
    QImage read(const QString& folder, const std::string& file);
    // The pixels of `file`; throws what reading it threw, or Error(Input) for a file not read.
    QImage decoded(const std::string& file) const;
};

// A saved history read back: the images by the keys of that save (one snapshot per file, shared
// by every step that uses it) and the parameters by their index.
class RestoredHistory {
public:
    // `images`: decoded beforehand; `params`: the history's table.
    RestoredHistory(Document* doc, SavedImages images, const nlohmann::json& params);
    // Null reference: no image. Throws Error(Input) naming the file that could not be read, or
    // the reference that names no file.
    SnapshotPtr snapshot(const nlohmann::json& ref);
    QImage image(const nlohmann::json& ref);
    // Throws Error(Input) for an index out of the table or a malformed set.
    DreamParams params(const nlohmann::json& ref);
    std::vector<DreamParams> paramsList(const nlohmann::json& refs);

private:
    const std::string& fileOf(const nlohmann::json& ref) const;

    Document* doc_;
    SavedImages images_;
    std::map<std::string, SnapshotPtr> read_;  // by file name
    nlohmann::json paramsTable_;
    std::map<int, DreamParams> paramsRead_;
};

// One undo command type's saved form.
struct UndoStepCodec {
    std::string kind;
    // What the step's JSON is made from, taken now (GUI thread), its images added to `images`;
    // an empty writer when the step is not of this kind.
    std::function<StepWriter(const QUndoCommand&, HistoryImages&)> encode;
    // The step back; throws Error(Input) for a malformed one.
    std::function<std::unique_ptr<QUndoCommand>(Document*, const nlohmann::json&, RestoredHistory&)>
        decode;
};
const std::vector<UndoStepCodec>& undoStepCodecs();

// The undo stack of `doc` as it stands, within `boundBytes` of images (taken from the steps next
// to the index outwards: the steps that redo first, then those that undo), the images added to
// `images`, which may already hold the session's own. Cheap: the JSON is made by toJson().
struct PendingHistory {
    int index = 0;
    std::vector<StepWriter> steps;
    // {"index", "steps", "params"}; on any thread.
    nlohmann::json toJson() const;
};
PendingHistory saveUndoHistory(Document& doc, qint64 boundBytes, HistoryImages& images);

// Replaces the undo stack of `doc` by the saved one, at its index, and shows that state with
// `params` as the current parameters; false (nothing changed) for a history without steps.
// Reads no file: its images are `images`, decoded beforehand. Throws Error(Input) for a
// malformed history, or what reading one of its images threw (the document is then as it was,
// with an empty undo stack).
bool restoreUndoHistory(Document& doc, const nlohmann::json& history, SavedImages images,
                        const DreamParams& params);

}  // namespace inceptionist::ui
