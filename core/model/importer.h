#pragma once
// One entry point for every model format: `importModel` looks at the path it is given (a model
// file, or a folder holding one) and hands it to the importer that reads that format. Each
// importer turns its file into a ModelGraph and does its own layout conversions; the compiler
// never sees the format. A new format is one entry in the table in importer.cpp.

#include <filesystem>
#include <string>

#include "core/model/model_graph.h"
#include "core/params/cancel_token.h"

namespace inceptionist {

// The model file at `path`: `path` itself when an importer reads files like it (by extension),
// else the model file of the folder `path` (e.g. `model.json`; the importer table's order
// decides where a folder holds several). Empty if there is none.
std::filesystem::path findModelFile(const std::filesystem::path& path);

// Reads the model at `path` (a file or a folder, as for findModelFile). Throws Error(Model)
// naming the file, and the layer or weight where one is to blame. `cancel`, where given, is
// checked while the weights are read (between files and weights); a cancelled import throws
// Error(Cancelled).
ModelGraph importModel(const std::filesystem::path& path, const CancelToken* cancel = nullptr);

// A quick look at the model at `path` without reading its weights: the file parses and every
// file it refers to is there with the size it should have. Throws Error(Model) as importModel
// would. For listing models, where a full import of each would be slow.
void checkModelFiles(const std::filesystem::path& path);

// The name a model file like `file` has inside a model folder ("model.onnx"), by its format;
// empty where no importer reads it.
std::string modelFileNameInFolder(const std::filesystem::path& file);

}  // namespace inceptionist
