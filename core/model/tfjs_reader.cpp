#include "core/model/tfjs_reader.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#include <opencv2/core.hpp>

#include "core/params/errors.h"

namespace inceptionist {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

[[noreturn]] void fail(const fs::path& file, const std::string& what) {
    throw Error(ErrorKind::Model, file.string() + ": " + what);
}

// Reads all of `file` into `into`, which holds its size as the file system reported it.
void readBytesInto(const fs::path& file, char* into, size_t size) {
    std::ifstream in(file, std::ios::binary);
    if (!in) fail(file, "cannot open weight file");
    in.read(into, static_cast<std::streamsize>(size));
    if (static_cast<size_t>(in.gcount()) != size || in.peek() != std::ifstream::traits_type::eof())
        fail(file, "weight file changed while it was read");
}

size_t elementCount(const std::vector<int64_t>& shape) {
    size_t n = 1;
    for (auto d : shape) n *= static_cast<size_t>(d);
    return n;
}

// How one weight's values are stored in the shards: float32, uint8, uint16 or float16.
std::string storageType(const fs::path& file, const json& entry) {
    const std::string name = entry.value("name", std::string("?"));
    const std::string dtype = entry.value("dtype", std::string("float32"));
    const json* quant = entry.contains("quantization") ? &entry["quantization"] : nullptr;
    const std::string storage = quant ? quant->value("dtype", std::string()) : dtype;
    if (dtype != "float32")
        fail(file, "weight " + name + " has dtype '" + dtype + "'; only float32 is supported");
    if (storage != "float32" && storage != "uint8" && storage != "uint16" && storage != "float16")
        fail(file, "weight " + name + " has unsupported storage type '" + storage + "'");
    return storage;
}

size_t storageWidth(const std::string& storage) {
    return storage == "float32" ? 4 : storage == "uint8" ? 1 : 2;
}

// Decodes one weight from its bytes in the group buffer. Quantized values map back to floats as
// `q * scale + min`; float16 goes through OpenCV's half-float conversion.
FloatTensor decodeWeight(const fs::path& file, const json& entry, const char* data,
                         size_t available, size_t& consumed, bool withoutOpenCv) {
    FloatTensor t;
    const std::string name = entry.value("name", std::string("?"));
    t.shape = entry.at("shape").get<std::vector<int64_t>>();
    for (auto d : t.shape)
        if (d < 0) fail(file, "weight " + name + " has a negative dimension");
    const size_t count = elementCount(t.shape);
    const json* quant = entry.contains("quantization") ? &entry["quantization"] : nullptr;
    const std::string storage = storageType(file, entry);
    consumed = count * storageWidth(storage);
    if (consumed > available)
        fail(file, "weight " + name + " needs " + std::to_string(consumed) +
                       " bytes but the weight shards end after " + std::to_string(available));
    t.values.resize(count);
    if (storage == "float32") {
        std::memcpy(t.values.data(), data, consumed);
    } else if (storage == "float16") {
        if (withoutOpenCv) fail(file, "float16 weights are decoded with OpenCV, not available yet");
        cv::Mat half(1, static_cast<int>(count), CV_16F, const_cast<char*>(data));
        cv::Mat full(1, static_cast<int>(count), CV_32F, t.values.data());
        half.convertTo(full, CV_32F);
    } else {
        const double scale = quant->value("scale", 1.0);
        const double minimum = quant->value("min", 0.0);
        if (storage == "uint8") {
            // 256 possible values: a table of them, computed as each value was, is several times
            // faster than the arithmetic per weight (most of loading the default models).
            float table[256];
            for (int v = 0; v < 256; ++v) table[v] = static_cast<float>(v * scale + minimum);
            auto* q = reinterpret_cast<const uint8_t*>(data);
            for (size_t i = 0; i < count; ++i) t.values[i] = table[q[i]];
        } else {
            uint16_t q = 0;
            for (size_t i = 0; i < count; ++i) {
                std::memcpy(&q, data + 2 * i, 2);  // shards are little-endian, as is this host
                t.values[i] = static_cast<float>(q * scale + minimum);
            }
        }
    }
    return t;
}

void checkCancel(const CancelToken* cancel) {
    if (cancel && cancel->cancelled()) throw Error(ErrorKind::Cancelled, "model load cancelled");
}

void readWeightGroup(const fs::path& modelJson, const json& group, TfjsModel& model,
                     const CancelToken* cancel, bool withoutOpenCv) {
    const fs::path dir = modelJson.parent_path();
    // The shards one after the other, each read straight into its place.
    std::vector<std::pair<fs::path, size_t>> shards;
    size_t total = 0;
    for (const auto& p : group.at("paths")) {
        const fs::path shard = dir / p.get<std::string>();
        std::error_code ec;
        const size_t size = fs::file_size(shard, ec);
        if (ec)
            fail(shard,
                 "weight shard is missing (listed in " + modelJson.filename().string() + ")");
        shards.emplace_back(shard, size);
        total += size;
    }
    std::vector<char> buffer(total);
    size_t at = 0;
    for (const auto& [shard, size] : shards) {
        checkCancel(cancel);
        readBytesInto(shard, buffer.data() + at, size);
        at += size;
    }
    const fs::path lastShard = dir / group.at("paths").back().get<std::string>();
    size_t offset = 0;
    for (const auto& entry : group.at("weights")) {
        checkCancel(cancel);
        size_t consumed = 0;
        FloatTensor t = decodeWeight(lastShard, entry, buffer.data() + offset,
                                     buffer.size() - offset, consumed, withoutOpenCv);
        offset += consumed;
        model.weights[entry.at("name").get<std::string>()] = std::move(t);
    }
    if (offset != buffer.size())
        fail(lastShard, "weight shards hold " + std::to_string(buffer.size()) +
                            " bytes but the manifest describes " + std::to_string(offset));
}

json readModelJson(const fs::path& modelJson) {
    std::ifstream in(modelJson);
    if (!in) fail(modelJson, "cannot open model file");
    json doc;
    try {
        doc = json::parse(in);
    } catch (const json::exception& e) {
        fail(modelJson, std::string("malformed JSON: ") + e.what());
    }
    if (!doc.is_object() || !doc.contains("modelTopology"))
        fail(modelJson, "not a TensorFlow.js layers model (no 'modelTopology')");
    return doc;
}

// The Keras topology of a parsed model.json, without its weights.
TfjsModel topologyOf(const json& doc, const fs::path& modelJson) {
    TfjsModel model;
    model.source = modelJson;
    const json& topology = doc["modelTopology"];
    if (!topology.is_object()) fail(modelJson, "'modelTopology' is not an object");
    try {
        model.kerasVersion = topology.value("keras_version", std::string());
    } catch (const json::exception& e) {
        fail(modelJson, std::string("unexpected structure: ") + e.what());
    }
    parseKerasModelConfig(topology.contains("model_config") ? topology["model_config"] : topology,
                          model);
    return model;
}

}  // namespace

void checkTfjsModelFiles(const fs::path& modelJson) {
    const json doc = readModelJson(modelJson);
    try {
        if (!doc.contains("weightsManifest")) fail(modelJson, "no 'weightsManifest'");
        const fs::path dir = modelJson.parent_path();
        for (const auto& group : doc["weightsManifest"]) {
            size_t stored = 0;
            for (const auto& p : group.at("paths")) {
                const fs::path shard = dir / p.get<std::string>();
                std::error_code ec;
                const auto size = fs::file_size(shard, ec);
                if (ec)
                    fail(shard, "weight shard is missing (listed in " +
                                    modelJson.filename().string() + ")");
                stored += size;
            }
            const fs::path lastShard = dir / group.at("paths").back().get<std::string>();
            size_t described = 0;
            for (const auto& entry : group.at("weights")) {
                size_t count = 1;
                for (auto d : entry.at("shape").get<std::vector<int64_t>>())
                    count *= static_cast<size_t>(std::max<int64_t>(d, 0));
                described += count * storageWidth(storageType(lastShard, entry));
            }
            if (described != stored)
                fail(lastShard, "weight shards hold " + std::to_string(stored) +
                                    " bytes but the manifest describes " +
                                    std::to_string(described));
        }
    } catch (const json::exception& e) {
        fail(modelJson, std::string("unexpected structure: ") + e.what());
    }
}

TfjsModel readTfjsTopology(const fs::path& modelJson) {
    return topologyOf(readModelJson(modelJson), modelJson);
}

TfjsModel readTfjsModel(const fs::path& modelJson, const CancelToken* cancel, bool withoutOpenCv) {
    const json doc = readModelJson(modelJson);
    TfjsModel model = topologyOf(doc, modelJson);
    try {
        if (!doc.contains("weightsManifest")) fail(modelJson, "no 'weightsManifest'");
        for (const auto& group : doc["weightsManifest"])
            readWeightGroup(modelJson, group, model, cancel, withoutOpenCv);
    } catch (const json::exception& e) {
        fail(modelJson, std::string("unexpected structure: ") + e.what());
    }
    return model;
}

}  // namespace inceptionist
