#pragma once
// Models the user adds: a model file (ONNX, or another format an importer reads as one file) is
// checked by importing it, copied into the user's model folder under the XDG data directory with
// a generated manifest (preprocessing guessed, the layers worth dreaming with their channel
// counts), and listed beside the installed models from then on. Also the manifest of a model
// file used directly (`--model-file`). No libtorch here.

#include <filesystem>
#include <optional>
#include <string>

#include "core/model/model_graph.h"
#include "core/model/model_manifest.h"

namespace inceptionist {

// $XDG_DATA_HOME/inceptionist/models, or ~/.local/share/inceptionist/models.
std::filesystem::path userModelsDirectory();

struct AddModelOptions {
    std::string name;                            // folder and id; empty: from the file name
    std::optional<Preprocessing> preprocessing;  // empty: guessed
    int inputSize = 0;                           // 0: as the file declares, else 224
};

// The manifest a model file gets: `graph` is the file imported. Recognises the model zoo's
// GoogLeNet (its Caffe layer names: the classic DeepDream layers and `inception_4c/output` by
// default, Caffe preprocessing); elsewhere offers the outputs of convolutions (after their
// activation), concatenations and residual additions, and guesses the preprocessing from the
// file's producer (PyTorch: imagenet; Caffe: caffe; Keras: tf).
ModelManifest describeModel(const std::filesystem::path& file, const ModelGraph& graph,
                            const AddModelOptions& options = {});

// Imports `file` (a clear Error(Model) if it cannot be read), then copies it and what it refers
// to (ONNX external data) into `userDir/NAME` with its manifest: all in a temporary folder
// renamed into place at the end, so a model folder is either complete or absent. Throws
// Error(Parameter) for a bad name or one that is already taken (in `userDir` or `installedDir`),
// Error(Output) where the folder cannot be written. Returns the manifest written.
ModelManifest addModel(const std::filesystem::path& file, const AddModelOptions& options,
                       const std::filesystem::path& userDir,
                       const std::filesystem::path& installedDir = {});

// Removes `userDir/NAME`. Throws Error(Parameter) where there is no such model added by the user.
void removeModel(const std::string& name, const std::filesystem::path& userDir);

}  // namespace inceptionist
