#include "core/model/importer.h"

#include "core/model/keras_h5_importer.h"
#include "core/model/model_read_ahead.h"
#include "core/model/onnx_importer.h"
#include "core/model/tfjs_importer.h"
#include "core/params/errors.h"

namespace inceptionist {
namespace fs = std::filesystem;

namespace {

struct Importer {
    const char* format;
    const char* fileInFolder;  // the name the format's file has in a model folder
    const char* extension;     // what a file of this format given directly ends with
    ModelGraph (*import)(const fs::path& file, const CancelToken* cancel);
    void (*check)(const fs::path& file);
};

// In order of preference where a folder holds several model files.
const Importer kImporters[] = {
    {"TensorFlow.js layers model", "model.json", ".json",
     [](const fs::path& file, const CancelToken* cancel) {
         if (auto graph = takeModelReadAhead(file)) return std::move(*graph);
         return importTfjs(readTfjsModel(file, cancel));
     },
     checkTfjsModelFiles},
    {"ONNX model", "model.onnx", ".onnx", importOnnx, checkOnnxModelFiles},
    {"Keras HDF5 model", "model.h5", ".h5", importKerasH5, checkKerasH5File},
};

const Importer* importerFor(const fs::path& file) {
    for (const auto& importer : kImporters)
        if (file.extension() == importer.extension) return &importer;
    return nullptr;
}

// The model file at `path`, or an Error(Model) saying that there is none.
fs::path requireModelFile(const fs::path& path) {
    const fs::path file = findModelFile(path);
    if (!file.empty()) return file;
    // Name the file people expect in a model folder, as the error always has.
    const fs::path expected = fs::is_directory(path) ? path / "model.json" : path;
    throw Error(ErrorKind::Model, expected.string() + ": model file not found");
}

}  // namespace

fs::path findModelFile(const fs::path& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        for (const auto& importer : kImporters)
            if (fs::is_regular_file(path / importer.fileInFolder, ec))
                return path / importer.fileInFolder;
        return {};
    }
    return fs::is_regular_file(path, ec) && importerFor(path) ? path : fs::path();
}

ModelGraph importModel(const fs::path& path, const CancelToken* cancel) {
    const fs::path file = requireModelFile(path);
    return importerFor(file)->import(file, cancel);
}

void checkModelFiles(const fs::path& path) {
    const fs::path file = requireModelFile(path);
    importerFor(file)->check(file);
}

std::string modelFileNameInFolder(const fs::path& file) {
    const Importer* importer = importerFor(file);
    return importer ? importer->fileInFolder : std::string();
}

}  // namespace inceptionist
