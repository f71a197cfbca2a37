// The TF.js model importer and model manifests: the input is a model.json, then after a NUL
// byte the bytes of its one weight shard (group1-shard1of1.bin); the JSON is also read as a
// manifest.json. readTfjsModel and importTfjs must refuse anything malformed with an Error.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "core/model/model_manifest.h"
#include "core/model/tfjs_importer.h"
#include "core/model/tfjs_reader.h"
#include "core/params/errors.h"

using namespace inceptionist;
namespace fs = std::filesystem;

namespace {
void writeFile(const fs::path& path, const uint8_t* data, size_t size) {
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const fs::path dir = [] {
        fs::path d =
            fs::temp_directory_path() / ("inceptionist-fuzz-tfjs-" + std::to_string(getpid()));
        fs::create_directories(d);
        return d;
    }();
    const auto* split = static_cast<const uint8_t*>(std::memchr(data, 0, size));
    const size_t jsonSize = split ? size_t(split - data) : size;
    writeFile(dir / "model.json", data, jsonSize);
    writeFile(dir / "manifest.json", data, jsonSize);
    if (split)
        writeFile(dir / "group1-shard1of1.bin", split + 1, size - jsonSize - 1);
    else
        fs::remove(dir / "group1-shard1of1.bin");
    try {
        checkTfjsModelFiles(dir / "model.json");
        (void)importTfjs(readTfjsModel(dir / "model.json"));
    } catch (const Error&) {
    }
    try {
        (void)readModelManifest(dir);
    } catch (const Error&) {
    }
    return 0;
}
