#include "app/cli_commands.h"

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <numeric>

#include <QCommandLineParser>

#include "app/cli_params.h"
#include "app/cli_style_params.h"
#include "app/exit_codes.h"
#include "app/terminal_progress.h"
#include "core/engine/compiler.h"
#include "core/engine/network.h"
#include "core/engine/thread_policy.h"
#include "core/io/image_io.h"
#include "core/model/class_names.h"
#include "core/model/classifier_head.h"
#include "core/model/importer.h"
#include "core/model/model_install.h"
#include "core/model/model_store.h"
#include "core/params/dream_chain.h"
#include "core/params/errors.h"
#include "core/render/dreamer.h"
#include "core/render/explorer.h"
#include "core/render/print_plan.h"
#include "core/render/style_transfer.h"

namespace inceptionist::cli {

namespace {

// Ctrl-C (or SIGTERM) stops the dream within one tile; no output file is written.
CancelToken& interruptToken() {
    static CancelToken token;
    return token;
}
void onInterrupt(int) { interruptToken().cancel(); }

int report(const Error& e) {
    std::fprintf(stderr, "inceptionist-cli: %s error: %s\n", errorKindName(e.kind()), e.what());
    return exitCodeFor(e.kind());
}

// Parses `args`; on a usage problem prints it and returns false with `code` set.
bool parse(QCommandLineParser& parser, const QStringList& args, int minPositional,
           int maxPositional, const char* synopsis, int& code) {
    parser.addHelpOption();
    if (!parser.parse(args)) {
        std::fprintf(stderr, "inceptionist-cli: %s\n", qPrintable(parser.errorText()));
        code = kUsage;
        return false;
    }
    if (parser.isSet("help")) {
        // Qt's usage line names the program alone; it should name the command too.
        QString help = parser.helpText();
        const int end = help.indexOf('\n');
        help.replace(0, end, QStringLiteral("Usage: ") + QString::fromUtf8(synopsis));
        std::printf("%s\n", qPrintable(help));
        code = kOk;
        return false;
    }
    const auto n = parser.positionalArguments().size();
    if (n < minPositional || n > maxPositional) {
        std::fprintf(stderr, "inceptionist-cli: usage: %s\n", synopsis);
        code = kUsage;
        return false;
    }
    return true;
}

void addModelsDirOption(QCommandLineParser& parser) {
    parser.addOption({"models-dir",
                      "Folder holding the models (default: $INCEPTIONIST_MODELS or the build's).",
                      "dir"});
}

std::filesystem::path modelsDir(const QCommandLineParser& parser) {
    return modelsDirectory(parser.value("models-dir").toStdString());
}

void addModelFileOption(QCommandLineParser& parser) {
    parser.addOption({"model-file",
                      "Use this model file (.onnx, .h5) directly instead of an installed model; "
                      "its layers and preprocessing are guessed as 'models add' would.",
                      "file"});
}

// The model a command runs: --model-file, or the installed (or added) model `id`.
std::shared_ptr<Network> loadNetwork(const QCommandLineParser& parser, const std::string& id,
                                     const std::string& device) {
    if (!parser.isSet("model-file")) return Network::load(modelPath(modelsDir(parser), id), device);
    const std::filesystem::path file = parser.value("model-file").toStdString();
    if (!std::filesystem::is_regular_file(file))
        throw Error(ErrorKind::Model, file.string() + ": no such model file");
    ModelGraph graph = importModel(file);
    ModelManifest manifest = describeModel(file, graph);
    return compile(std::move(graph), std::move(manifest), device);
}

// With --model-file and no layer chosen, the file's own default layers replace the default
// model's.
void useModelDefaults(const QCommandLineParser& parser, const Network& network,
                      DreamParams& params) {
    if (!parser.isSet("model-file")) return;
    params.model = network.manifest().id;
    if (parser.isSet("layer") || parser.isSet("preset") || parser.isSet("preset-from")) return;
    if (network.manifest().defaultLayers.empty()) return;
    params.layers.clear();
    for (const auto& l : network.manifest().defaultLayers) params.layers.push_back({l, 1.0, {}});
}

}  // namespace

int dreamCommand(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Dream an image and write the result.");
    parser.addPositionalArgument(
        "IN", "Image to dream on (ignored with --noise, apart from its shape; may be '-' then).");
    parser.addPositionalArgument("OUT", "Output file: .png, .jpg or .tif.");
    addDreamOptions(parser);
    addModelsDirOption(parser);
    addModelFileOption(parser);
    parser.addOptions(
        {{"bits", "Bits per channel of the output, 8 or 16 (PNG and TIFF).", "n", "8"},
         {"quality", "JPEG quality, 1 to 100.", "n", "95"},
         {"dpi", "Resolution to store in the output file, in dots per inch.", "n"},
         {"progress-lines", "Report progress as 'progress FRACTION LABEL' lines on stderr."}});
    int code = kOk;
    if (!parse(parser, args, 2, 2, "inceptionist-cli dream IN OUT [options]", code)) return code;
    const QString in = parser.positionalArguments()[0];
    const std::string out = parser.positionalArguments()[1].toStdString();
    try {
        std::vector<DreamParams> kept;  // replayed first: the chain of an earlier export
        DreamParams params = dreamParamsFrom(parser, &kept);
        if (params.mode == "style")
            throw Error(ErrorKind::Parameter,
                        "these parameters are a style transfer: use inceptionist-cli style");
        std::shared_ptr<Network> network;
        if (parser.isSet("model-file")) {  // its id and default layers go into the parameters
            network = loadNetwork(parser, params.model, params.device);
            useModelDefaults(parser, *network, params);
        }
        WriteOptions write;
        write.bitDepth = parser.value("bits").toInt();
        write.jpegQuality = std::clamp(parser.value("quality").toInt(), 1, 100);
        write.metadata = DreamChain{kept, params}.toJson().dump();
        if (parser.isSet("dpi")) {
            bool ok = false;
            write.dpi = parser.value("dpi").toDouble(&ok);
            if (!ok || write.dpi <= 0 || write.dpi > 100000)
                throw Error(ErrorKind::Parameter,
                            "--dpi must be a positive number of dots per inch");
        }
        cv::Mat source =
            params.startFromNoise && in == "-" ? cv::Mat() : readImage(in.toStdString());
        if (parser.isSet("print-size")) {  // said before the model loads, not hours later
            const double aspect = source.empty() ? 1.0 : double(source.cols) / source.rows;
            const int longSide = params.workingSize;
            refusePrintBeyondMemory(params,
                                    aspect >= 1 ? longSide : int(std::lround(longSide * aspect)),
                                    aspect >= 1 ? int(std::lround(longSide / aspect)) : longSide);
        }
        std::vector<DreamParams> steps = kept;
        steps.push_back(params);

        TerminalProgress bar(parser.isSet("progress-lines"));
        std::signal(SIGINT, onInterrupt);
        std::signal(SIGTERM, onInterrupt);
        cv::Mat result = source;
        source.release();  // at print size every copy counts
        for (size_t i = 0; i < steps.size(); ++i) {
            const DreamParams& step = steps[i];
            if (!network || network->manifest().id != step.model ||
                network->device() != step.device)
                network =
                    i + 1 == steps.size()
                        ? loadNetwork(parser, step.model, step.device)
                        : Network::load(modelPath(modelsDir(parser), step.model), step.device);
            const std::string prefix = steps.size() > 1 ? "dream " + std::to_string(i + 1) + "/" +
                                                              std::to_string(steps.size()) + ", "
                                                        : std::string();
            DreamCallbacks callbacks;
            callbacks.progress = [&](const DreamProgress& p) {
                char label[128];
                if (p.tiles > 1 && p.tile > 0)
                    std::snprintf(label, sizeof label, "%soctave %d/%d, step %d/%d, tile %d/%d",
                                  prefix.c_str(), p.octave + 1, p.octaves, p.step + 1, p.steps,
                                  p.tile, p.tiles);
                else
                    std::snprintf(label, sizeof label, "%soctave %d/%d, step %d/%d", prefix.c_str(),
                                  p.octave + 1, p.octaves, p.step, p.steps);
                bar.update((i + workFraction(p, step.octaveScale)) / steps.size(), label);
            };
            callbacks.tileDone = callbacks.progress;
            try {
                result = dream(*network, result, step, callbacks, interruptToken());
            } catch (...) {
                bar.finish();
                throw;
            }
        }
        bar.finish();
        // For scripts (and the tests): the threading the engine used, whatever the environment.
        if (parser.isSet("progress-lines"))
            std::fprintf(stderr, "threading %s\n", ThreadPolicy::instance().describe().c_str());
        writeImage(out, result, write);
        return kOk;
    } catch (const Error& e) {
        return report(e);
    }
}

int inspectCommand(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Show a layer's shape and its strongest channels for an image.");
    parser.addPositionalArgument("IMAGE", "Image to look at.");
    addModelsDirOption(parser);
    addModelFileOption(parser);
    parser.addOptions({{"model", "Model (default inception_v3).", "id", "inception_v3"},
                       {{"l", "layer"}, "Layer to inspect.", "layer"},
                       {"top", "How many channels to list (0: all).", "k", "10"},
                       {"size", "Long side the image is resized to, as for a dream.", "px", "512"},
                       {"device", "cpu, cuda or cuda:N.", "device", "cpu"},
                       {"json", "Print JSON instead of text."}});
    int code = kOk;
    if (!parse(parser, args, 1, 1, "inceptionist-cli inspect IMAGE --layer L [options]", code))
        return code;
    if (!parser.isSet("layer")) {
        std::fprintf(stderr, "inceptionist-cli: inspect needs --layer\n");
        return kUsage;
    }
    try {
        bool ok = false;
        const int top = parser.value("top").toInt(&ok);
        if (!ok || top < 0)
            throw Error(ErrorKind::Parameter, "--top must be a whole number, 0 or more");
        const int size = parser.value("size").toInt(&ok);
        if (!ok || size < 16 || size > 32768)
            throw Error(ErrorKind::Parameter, "--size must be between 16 and 32768");
        const std::string layer = parser.value("layer").toStdString();
        const cv::Mat image =
            resizeLongSide(readImage(parser.positionalArguments()[0].toStdString()), size);
        auto network = loadNetwork(parser, parser.value("model").toStdString(),
                                   parser.value("device").toStdString());
        const int node = network->graph().require(layer);
        const LayerShape shape = network->graph().layerShape(node, image.rows, image.cols);
        const std::vector<float> means = network->channelMeans(image, layer);
        std::vector<int> order(means.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
                         [&](int a, int b) { return means[a] > means[b]; });
        if (top > 0 && static_cast<size_t>(top) < order.size()) order.resize(top);
        if (parser.isSet("json")) {
            nlohmann::json j{{"model", network->manifest().id},
                             {"layer", layer},
                             {"input", {image.cols, image.rows}},
                             {"shape", shape.spatial ? nlohmann::json{shape.h, shape.w, shape.c}
                                                     : nlohmann::json{shape.c}},
                             {"channels", nlohmann::json::array()}};
            for (int c : order) j["channels"].push_back({{"index", c}, {"mean", means[c]}});
            std::printf("%s\n", j.dump(2).c_str());
        } else {
            std::printf("%s %s at %dx%d input: ", network->manifest().displayName.c_str(),
                        layer.c_str(), image.cols, image.rows);
            if (shape.spatial)
                std::printf("%lld x %lld x %lld (H x W x channels)\n", (long long)shape.h,
                            (long long)shape.w, (long long)shape.c);
            else
                std::printf("%lld values\n", (long long)shape.c);
            std::printf("%6s  %12s\n", "channel", "mean");
            for (int c : order) std::printf("%7d  %12.6f\n", c, means[c]);
        }
        return kOk;
    } catch (const Error& e) {
        return report(e);
    }
}

namespace {

// inceptionist-cli models add FILE [--name NAME] [--preprocess KIND] [--input-size N]
int modelsAddCommand(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Check a model file and add it to your models (" +
                                     QString::fromStdString(userModelsDirectory().string()) +
                                     "), with its layers and preprocessing guessed.");
    parser.addPositionalArgument("FILE", "Model file: .onnx (with its external data), or .h5.");
    addModelsDirOption(parser);
    parser.addOptions(
        {{"name", "Name of the model (default: the file's name).", "name"},
         {"preprocess",
          "How pixels are prepared: caffe (BGR, mean subtracted), imagenet (RGB / 255, ImageNet "
          "mean and deviation), tf ([-1, 1]) or unit ([0, 1]). Default: guessed.",
          "kind"},
         {"input-size", "Side of the input the model was made for (default: as the file says).",
          "px"}});
    int code = kOk;
    if (!parse(parser, args, 1, 1,
               "inceptionist-cli models add FILE [--name NAME] [--preprocess "
               "caffe|imagenet|tf|unit] [--input-size N]",
               code))
        return code;
    try {
        AddModelOptions options;
        options.name = parser.value("name").toStdString();
        if (parser.isSet("preprocess"))
            options.preprocessing = parsePreprocessing(parser.value("preprocess").toStdString());
        if (parser.isSet("input-size")) {
            bool ok = false;
            options.inputSize = parser.value("input-size").toInt(&ok);
            if (!ok || options.inputSize < 16 || options.inputSize > 8192)
                throw Error(ErrorKind::Parameter, "--input-size must be between 16 and 8192");
        }
        const auto m = addModel(parser.positionalArguments()[0].toStdString(), options,
                                userModelsDirectory(), modelsDir(parser));
        std::printf("added %s (%s): preprocessing %s, input %d px, %zu layers, default %s\n",
                    m.id.c_str(), m.displayName.c_str(), preprocessingName(m.preprocessing),
                    m.inputSize, m.layers.size(),
                    m.defaultLayers.empty() ? "-" : m.defaultLayers[0].c_str());
        return kOk;
    } catch (const Error& e) {
        return report(e);
    }
}

int modelsRemoveCommand(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Remove a model you added.");
    parser.addPositionalArgument("NAME", "The model's name, as 'models' lists it.");
    int code = kOk;
    if (!parse(parser, args, 1, 1, "inceptionist-cli models remove NAME", code)) return code;
    try {
        removeModel(parser.positionalArguments()[0].toStdString(), userModelsDirectory());
        return kOk;
    } catch (const Error& e) {
        return report(e);
    }
}

}  // namespace

int modelsCommand(const QStringList& args) {
    if (args.size() > 1 && (args[1] == "add" || args[1] == "remove")) {
        QStringList rest = args;
        const QString sub = rest.takeAt(1);
        return sub == "add" ? modelsAddCommand(rest) : modelsRemoveCommand(rest);
    }
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "List the installed models with their layers and channel counts.");
    addModelsDirOption(parser);
    parser.addOption({"json", "Print JSON instead of text."});
    int code = kOk;
    if (!parse(parser, args, 0, 0, "inceptionist-cli models [--models-dir DIR] [--json]", code))
        return code;
    try {
        const auto dir = modelsDir(parser);
        std::vector<ModelProblem> problems;
        const auto models = availableModels(dir, &problems);
        // A broken model folder is skipped, not fatal: say which and why, away from the listing.
        for (const auto& p : problems)
            std::fprintf(stderr, "inceptionist-cli: skipped model folder %s: %s\n",
                         p.folder.c_str(), p.problem.c_str());
        if (parser.isSet("json")) {
            nlohmann::json list = nlohmann::json::array();
            for (const auto& m : models) {
                nlohmann::json layers = nlohmann::json::array();
                for (const auto& l : m.layers)
                    layers.push_back({{"name", l.name},
                                      {"channels", l.channels},
                                      {"imagenet", l.imagenet},
                                      {"note", l.note}});
                list.push_back({{"id", m.id},
                                {"name", m.displayName},
                                {"source", m.source},
                                {"licence", m.licence},
                                {"preprocessing", preprocessingName(m.preprocessing)},
                                {"layers", layers}});
            }
            std::printf("%s\n", list.dump(2).c_str());
            return kOk;
        }
        if (models.empty()) {
            std::fprintf(stderr, "inceptionist-cli: no models in %s (run models/fetch-models.sh)\n",
                         dir.c_str());
            return kModel;
        }
        for (const auto& m : models) {
            std::printf("%s  (%s)\n  %s\n  source: %s; licence: %s\n", m.id.c_str(),
                        m.displayName.c_str(), m.description.c_str(), m.source.c_str(),
                        m.licence.c_str());
            for (const auto& l : m.layers)
                std::printf("    %-22s %5d channels  %s%s%s\n", l.name.c_str(), l.channels,
                            l.imagenet ? "ImageNet" : "fine-tuned", l.note.empty() ? "" : "  - ",
                            l.note.c_str());
        }

        return kOk;
    } catch (const Error& e) {
        return report(e);
    }
}

namespace {

// The cells of `sheet --classes`: each class checked against the model's head (a clear error
// before any dreaming) and labelled with its name.
std::vector<Thumbnail> classCells(const Network& network, const DreamParams& base,
                                  const QString& list, int thumb) {
    const ClassifierHead head = findClassifierHead(network.graph());
    const auto names = classNamesFor(network.manifest(), head.classes);
    std::vector<std::string> classes;
    for (const QString& c : list.split(',', Qt::SkipEmptyParts))
        classes.push_back(c.trimmed().toStdString());
    auto cells = classThumbnails(base, classes, thumb);
    for (auto& cell : cells) {
        const int i = classIndex(names, head.classes, cell.label);
        cell.label = i < static_cast<int>(names.size()) ? names[i] : "class " + std::to_string(i);
    }
    return cells;
}

}  // namespace

int sheetCommand(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Make a contact sheet of small dreams of an image: one per offered layer of the model, or "
        "one per "
        "channel of a layer, strongest channels first.");
    parser.addPositionalArgument("IN", "Image to dream on.");
    parser.addPositionalArgument("OUT", "Contact sheet to write: .png, .jpg or .tif.");
    addDreamOptions(parser);
    addModelsDirOption(parser);
    addModelFileOption(parser);
    parser.addOptions(
        {{"layers", "Layers to show, comma-separated (default: every layer the model offers).",
          "list"},
         {"channels-of", "Show channels of this layer instead of layers.", "layer"},
         {"classes",
          "Show these classes instead of layers, each drawn alone: names or numbers, "
          "comma-separated (the model needs a classifier head).",
          "list"},
         {"seeds",
          "Show the current settings with N seeds instead of layers: --seed and the N-1 after it.",
          "n"},
         {"strengths",
          "Show the current settings at half, the same and twice --step-size (columns) and "
          "--steps (rows) instead of layers."},
         {"top", "How many channels to show.", "k", "12"},
         {"first", "Rank of the first channel shown (0: the strongest), to page through them.", "n",
          "0"},
         {"thumb", "Long side of each small dream, in pixels.", "px",
          QString::number(kThumbnailSize)},
         {"columns", "Cells per row.", "n", "4"},
         {"progress-lines", "Report progress as 'progress FRACTION LABEL' lines on stderr."}});
    int code = kOk;
    if (!parse(parser, args, 2, 2, "inceptionist-cli sheet IN OUT [options]", code)) return code;
    try {
        DreamParams base = dreamParamsFrom(parser);
        auto positiveInt = [&](const char* name, int lo, int hi) {
            bool ok = false;
            const int v = parser.value(name).toInt(&ok);
            if (!ok || v < lo || v > hi)
                throw Error(ErrorKind::Parameter, std::string("--") + name + " must be between " +
                                                      std::to_string(lo) + " and " +
                                                      std::to_string(hi));
            return v;
        };
        const int thumb = positiveInt("thumb", 32, 2048), columns = positiveInt("columns", 1, 64);
        int sheetColumns = columns;  // a strength grid: one column per step size
        const cv::Mat source = readImage(parser.positionalArguments()[0].toStdString());
        auto network = loadNetwork(parser, base.model, base.device);
        useModelDefaults(parser, *network, base);
        std::vector<Thumbnail> cells;
        const std::string channelsOf = parser.value("channels-of").toStdString();
        const std::string image =
            std::filesystem::path(parser.positionalArguments()[0].toStdString())
                .filename()
                .string();
        std::string title = sheetTitle(network->manifest().displayName, image, channelsOf);
        if (!channelsOf.empty()) {
            const int top = positiveInt("top", 1, 4096), first = positiveInt("first", 0, 1 << 20);
            const auto ranked = rankChannels(
                network->channelMeans(resizeLongSide(source, base.workingSize), channelsOf));
            cells = channelThumbnails(base, channelsOf, ranked, static_cast<size_t>(first),
                                      static_cast<size_t>(top), thumb);
        } else if (parser.isSet("classes")) {
            cells = classCells(*network, base, parser.value("classes"), thumb);
            // A head on a flattened feature map needs its input's size: the cells grow to it.
            const int minimum =
                cells.empty() ? 0 : PreparedDream(*network, cells.front().params).minimumSize();
            const int side = classThumbnailSide(thumb, minimum, source.cols, source.rows);
            if (side != thumb) cells = classCells(*network, base, parser.value("classes"), side);
            title = network->manifest().displayName + " - " + image + " - classes";
        } else if (parser.isSet("seeds")) {
            const int count = positiveInt("seeds", 1, 256);
            cells = seedThumbnails(base, variationSeeds(base.seed, count), thumb);
            title = network->manifest().displayName + " - " + image + " - seeds";
        } else if (parser.isSet("strengths")) {
            const auto sizes = strengthStepSizes(base.stepSize);
            cells = strengthThumbnails(base, sizes, strengthStepCounts(base.steps), thumb);
            title = network->manifest().displayName + " - " + image +
                    " - step size (across) x steps (down)";
            if (!parser.isSet("columns")) sheetColumns = static_cast<int>(sizes.size());
        } else if (parser.isSet("layers")) {
            std::vector<std::string> names;
            for (const QString& name : parser.value("layers").split(',', Qt::SkipEmptyParts))
                names.push_back(name.trimmed().toStdString());
            cells = layerThumbnails(base, names, thumb);
        } else {
            cells = layerThumbnails(base, network->manifest(), thumb);
        }
        if (cells.empty())
            throw Error(ErrorKind::Parameter, "nothing to show: no layers or channels were chosen");
        TerminalProgress bar(parser.isSet("progress-lines"));
        std::signal(SIGINT, onInterrupt);
        std::signal(SIGTERM, onInterrupt);
        std::vector<cv::Mat> images;
        std::vector<std::string> labels;
        for (size_t i = 0; i < cells.size(); ++i) {
            DreamCallbacks callbacks;
            callbacks.progress = [&](const DreamProgress& p) {
                bar.update((i + workFraction(p, cells[i].params.octaveScale)) / cells.size(),
                           cells[i].label);
            };
            images.push_back(dream(*network, source, cells[i].params, callbacks, interruptToken()));
            labels.push_back(cells[i].label);
        }
        bar.finish();
        WriteOptions write;
        write.metadata = base.toJson().dump();
        writeImage(parser.positionalArguments()[1].toStdString(),
                   contactSheet(images, labels, title, sheetColumns), write);
        return kOk;
    } catch (const Error& e) {
        return report(e);
    }
}

}  // namespace inceptionist::cli

namespace inceptionist::cli {

int styleCommand(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Paint a photo in the manner of one or more paintings (style transfer).");
    parser.addPositionalArgument("CONTENT", "The photo.");
    parser.addPositionalArgument("OUT", "Output file: .png, .jpg or .tif.");
    addStyleOptions(parser);
    addModelsDirOption(parser);
    addModelFileOption(parser);
    parser.addOptions(
        {{"bits", "Bits per channel of the output, 8 or 16 (PNG and TIFF).", "n", "8"},
         {"quality", "JPEG quality, 1 to 100.", "n", "95"},
         {"progress-lines", "Report progress as 'progress FRACTION LABEL' lines on stderr."}});
    int code = kOk;
    if (!parse(parser, args, 2, 2,
               "inceptionist-cli style CONTENT OUT --style IMG[:WEIGHT] ... [options]", code))
        return code;
    const std::string in = parser.positionalArguments()[0].toStdString();
    const std::string out = parser.positionalArguments()[1].toStdString();
    try {
        DreamParams params = styleParamsFrom(parser);
        int printSize = 0;
        if (parser.isSet("print-size")) {
            bool ok = false;
            printSize = parser.value("print-size").toInt(&ok);
            if (!ok || printSize < 16 || printSize > 32768)
                throw Error(ErrorKind::Parameter, "--print-size must be between 16 and 32768");
        }
        WriteOptions write;
        write.bitDepth = parser.value("bits").toInt();
        write.jpegQuality = std::clamp(parser.value("quality").toInt(), 1, 100);
        const cv::Mat content = readImage(in);
        // --model-file: its id goes into the parameters; its style layers are chosen by the
        // transfer (a VGG-19's classic ones).
        auto network = loadNetwork(parser, params.model, params.device);
        if (parser.isSet("model-file")) params.model = network->manifest().id;
        write.metadata = params.toJson().dump();
        // The paintings are read here, before any work: a bad one stops with no output.
        const PreparedStyle style(*network, params);
        refuseStyleBeyondMemory(style, content.size(), printSize);

        TerminalProgress bar(parser.isSet("progress-lines"));
        StyleCallbacks callbacks;
        callbacks.progress = [&](const StyleProgress& p) {
            char label[128];
            if (p.tiles > 1 && p.tile > 0)
                std::snprintf(label, sizeof label, "stage %d/%d, iteration %d/%d, tile %d/%d",
                              p.stage + 1, p.stages, p.iteration + 1, p.iterations, p.tile,
                              p.tiles);
            else
                std::snprintf(label, sizeof label, "stage %d/%d, iteration %d/%d", p.stage + 1,
                              p.stages, p.iteration, p.iterations);
            bar.update(static_cast<double>(p.iterationsDone) / std::max(1, p.iterationsTotal),
                       label);
        };
        callbacks.tileDone = callbacks.progress;
        std::signal(SIGINT, onInterrupt);
        std::signal(SIGTERM, onInterrupt);
        cv::Mat result;
        try {
            result = style.run(content, callbacks, interruptToken(), printSize);
        } catch (...) {
            bar.finish();
            throw;
        }
        bar.finish();
        writeImage(out, result, write);
        return kOk;
    } catch (const Error& e) {
        return report(e);
    }
}

}  // namespace inceptionist::cli
