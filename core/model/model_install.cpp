#include "core/model/model_install.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include <unistd.h>

#include "core/model/importer.h"
#include "core/model/onnx_importer.h"
#include "core/params/errors.h"

namespace inceptionist {
namespace fs = std::filesystem;

namespace {

constexpr int kDefaultInputSize = 224;

// The classic DeepDream layers of the BVLC GoogLeNet, by their Caffe names.
const char* const kClassicGoogLeNetLayers[] = {
    "conv2/3x3",           "conv2/norm2",         "inception_3a/output", "inception_3b/output",
    "inception_4a/output", "inception_4b/output", "inception_4c/output", "inception_4d/output",
    "inception_4e/output", "inception_5a/output", "inception_5b/output"};

bool isZooGoogLeNet(const ModelGraph& graph) {
    return graph.find("inception_4c/output") >= 0 && graph.find("inception_3a/output") >= 0;
}

bool isConvolution(OpType op) {
    return op == OpType::Conv2D || op == OpType::DepthwiseConv2D || op == OpType::SeparableConv2D;
}

bool isActivation(OpType op) {
    return op == OpType::ReLU || op == OpType::Activation || op == OpType::Clip ||
           op == OpType::BatchNorm;
}

// The layers worth dreaming with, in graph order: concatenations and residual additions (block
// outputs), and each convolution after its batch norm and activation, unless that only feeds a
// block (the block's output is offered instead).
std::vector<int> dreamableNodes(const ModelGraph& graph) {
    const auto& nodes = graph.nodes();
    std::vector<std::vector<int>> readers(nodes.size());
    for (size_t i = 0; i < nodes.size(); ++i)
        for (int in : nodes[i].inputs) readers[in].push_back(static_cast<int>(i));
    std::set<int> offered;
    for (size_t i = 0; i < nodes.size(); ++i) {
        const OpType op = nodes[i].op;
        if (op == OpType::Concatenate || op == OpType::Add) {
            offered.insert(static_cast<int>(i));
            continue;
        }
        if (!isConvolution(op)) continue;
        int end = static_cast<int>(i);
        while (readers[end].size() == 1 && isActivation(nodes[readers[end][0]].op))
            end = readers[end][0];
        const bool feedsBlockOnly =
            !readers[end].empty() &&
            std::all_of(readers[end].begin(), readers[end].end(), [&](int r) {
                return nodes[r].op == OpType::Concatenate || nodes[r].op == OpType::Add;
            });
        if (!feedsBlockOnly) offered.insert(end);
    }
    return {offered.begin(), offered.end()};
}

std::string sanitisedName(const std::string& stem) {
    std::string name;
    for (char c : stem)
        name += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'
                    ? c
                    : '_';
    while (!name.empty() && name.front() == '.') name.erase(name.begin());
    return name.substr(0, 64);
}

void checkName(const std::string& name) {
    if (name.empty() || name.size() > 64 || name.front() == '.' ||
        name.find_first_not_of(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") !=
            std::string::npos)
        throw Error(
            ErrorKind::Parameter,
            "model name '" + name +
                "' must be 1 to 64 letters, digits, '-', '_' or '.', not starting with '.'");
}

// Copies a file, reporting a failure as Error(Output) naming both ends.
void copyFile(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    fs::create_directories(to.parent_path(), ec);
    if (!ec) fs::copy_file(from, to, ec);
    if (ec)
        throw Error(ErrorKind::Output,
                    "cannot copy " + from.string() + " to " + to.string() + ": " + ec.message());
}

}  // namespace

fs::path userModelsDirectory() {
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        return fs::path(xdg) / "inceptionist" / "models";
    const char* home = std::getenv("HOME");
    return fs::path(home && *home ? home : ".") / ".local" / "share" / "inceptionist" / "models";
}

ModelManifest describeModel(const fs::path& file, const ModelGraph& graph,
                            const AddModelOptions& options) {
    ModelManifest m;
    m.id = options.name.empty() ? sanitisedName(file.stem().string()) : options.name;
    m.displayName = m.id;
    m.source = "added from " + fs::absolute(file).lexically_normal().string();
    m.licence = "as the file's own terms (added by the user)";
    std::string producer;
    int declared = 0;
    if (file.extension() == ".onnx") {
        const OnnxFileFacts facts = onnxFileFacts(file);
        producer = facts.producer;
        if (facts.inputHeight > 0 && facts.inputHeight == facts.inputWidth)
            declared = facts.inputHeight;
    }
    m.inputSize = options.inputSize > 0 ? options.inputSize
                  : declared > 0        ? declared
                                        : kDefaultInputSize;
    const int size = m.inputSize;
    auto channels = [&](int node) -> int {
        try {
            const LayerShape s = graph.layerShape(node, size, size);
            return s.spatial ? static_cast<int>(s.c) : 0;
        } catch (const Error&) {
            return 0;  // too small at this size: not offered
        }
    };
    const bool googLeNet = isZooGoogLeNet(graph);
    if (googLeNet) {
        m.displayName = "GoogLeNet (BVLC, ONNX model zoo)";
        m.description =
            "The network of the original DeepDream; layers by their Caffe names. The classic "
            "recipe: inception_4c/output, 4 octaves of 1.4, 10 steps.";
        for (const char* layer : kClassicGoogLeNetLayers) {
            const int node = graph.find(layer);
            if (node < 0) continue;
            if (const int c = channels(node); c > 0)
                m.layers.push_back({layer, c, true,
                                    std::string(layer) == "inception_4c/output"
                                        ? "the classic DeepDream layer: dogs, pagodas, eyes"
                                        : ""});
        }
        m.defaultLayers = {"inception_4c/output"};
    } else {
        for (int node : dreamableNodes(graph))
            if (const int c = channels(node); c > 0)
                m.layers.push_back({graph.nodes()[node].name, c, true, ""});
        // Middle layers dream best; a little past the middle, as mixed4 of InceptionV3.
        if (!m.layers.empty()) m.defaultLayers = {m.layers[m.layers.size() * 6 / 10].name};
    }
    if (options.preprocessing) {
        m.preprocessing = *options.preprocessing;
    } else if (googLeNet || producer.find("caffe") != std::string::npos) {
        m.preprocessing = Preprocessing::Caffe;
    } else if (file.extension() == ".h5" || producer.find("keras") != std::string::npos ||
               producer.find("tf2onnx") != std::string::npos) {
        m.preprocessing = Preprocessing::MinusOneToOne;
    } else {
        m.preprocessing = Preprocessing::Torch;  // PyTorch exports, most ONNX files
    }
    return m;
}

ModelManifest addModel(const fs::path& file, const AddModelOptions& options,
                       const fs::path& userDir, const fs::path& installedDir) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
        throw Error(ErrorKind::Model, file.string() + ": no such model file");
    const std::string inFolder = modelFileNameInFolder(file);
    if (inFolder.empty() || file.extension() == ".json")
        throw Error(ErrorKind::Model, file.string() +
                                          ": not a model file that can be added (an ONNX .onnx "
                                          "file or a Keras .h5 file)");
    const ModelGraph graph = importModel(file);  // refuses what would not load
    AddModelOptions named = options;
    if (named.name.empty()) named.name = sanitisedName(file.stem().string());
    checkName(named.name);
    const fs::path target = userDir / named.name;
    if (fs::exists(target, ec) || (!installedDir.empty() && fs::exists(installedDir / named.name)))
        throw Error(ErrorKind::Parameter, "a model named '" + named.name +
                                              "' is already installed; choose another --name");
    ModelManifest manifest = describeModel(file, graph, named);
    fs::create_directories(userDir, ec);
    const fs::path temporary =
        userDir / ("." + named.name + ".adding-" + std::to_string(::getpid()));
    fs::remove_all(temporary, ec);
    if (!fs::create_directory(temporary, ec) || ec)
        throw Error(ErrorKind::Output, "cannot create a model folder in " + userDir.string() +
                                           (ec ? ": " + ec.message() : std::string()));
    try {
        copyFile(file, temporary / inFolder);
        if (file.extension() == ".onnx")
            for (const fs::path& data : onnxFileFacts(file).externalData)
                copyFile(file.parent_path() / data, temporary / data);
        writeModelManifest(temporary, manifest);
        fs::rename(temporary, target, ec);
        if (ec)
            throw Error(ErrorKind::Output,
                        "cannot move the new model into " + target.string() + ": " + ec.message());
    } catch (...) {
        fs::remove_all(temporary, ec);
        throw;
    }
    return manifest;
}

void removeModel(const std::string& name, const fs::path& userDir) {
    checkName(name);
    const fs::path folder = userDir / name;
    if (findModelFile(folder).empty())
        throw Error(ErrorKind::Parameter, "no model named '" + name + "' was added in " +
                                              userDir.string() +
                                              " (only models you added can be removed)");
    // Out of the list at once, then deleted.
    const fs::path doomed = userDir / ("." + name + ".removing-" + std::to_string(::getpid()));
    std::error_code ec;
    fs::rename(folder, doomed, ec);
    if (ec)
        throw Error(ErrorKind::Output, "cannot remove " + folder.string() + ": " + ec.message());
    fs::remove_all(doomed, ec);
}

}  // namespace inceptionist
