#include "app/cli_style_params.h"

#include "app/cli_params.h"
#include "core/io/image_io.h"
#include "core/params/errors.h"

namespace inceptionist::cli {
namespace {

[[noreturn]] void bad(const std::string& what) { throw Error(ErrorKind::Parameter, what); }

QStringList splitList(const QString& text) {
    QStringList parts = text.split(',', Qt::SkipEmptyParts);
    for (auto& p : parts) p = p.trimmed();
    return parts;
}

}  // namespace

void addStyleOptions(QCommandLineParser& p) {
    const StyleParams d;
    p.addOptions({
        {"style", "A painting, as IMG or IMG:WEIGHT; repeat for a blend.", "img"},
        {"size", "Long side of the result in pixels (default 512).", "px"},
        {"iterations",
         "L-BFGS iterations, two thirds at two thirds of the size (default " +
             QString::number(d.iterations) + ").",
         "n"},
        {"style-weight", "Weight of the style (default 10).", "x"},
        {"content-weight", "Weight of the photo's content (default 1).", "x"},
        {"tv-weight", "Weight of smoothness, total variation (default 0).", "x"},
        {"style-scale",
         "Size of the painting relative to the result: larger gives larger strokes (default 1).",
         "x"},
        {"preserve-colors",
         "Keep the photo's colours: luminance (transfer brightness only) or histogram (the "
         "painting recoloured to the photo's colours first).",
         "how"},
        {"init", "Start from the photo (content) or from seeded noise (noise).", "content|noise"},
        {"seed", "Random seed (noise start).", "n"},
        {"model",
         "Model to paint with (default inception_v3; an added VGG-19 gets the classic layers).",
         "id"},
        {"style-layers", "Style layers, comma-separated (default: the model's choice).", "list"},
        {"content-layer", "Content layer (default: the model's choice).", "layer"},
        {"tile-size", "Largest tile of the gradient, in pixels (default 512).", "px"},
        {"device", "cpu, cuda or cuda:N.", "device"},
        {"preset", "Read parameters from a JSON preset file.", "file"},
        {"preset-from", "Reuse the parameters embedded in an image made earlier.", "image"},
        {"print-size",
         "Go on coarse to fine up to this many pixels on the long side, evaluated in tiles.", "px"},
    });
}

DreamParams styleParamsFrom(const QCommandLineParser& parser) {
    DreamParams p;
    if (parser.isSet("preset") && parser.isSet("preset-from"))
        bad("give --preset or --preset-from, not both");
    std::vector<std::string> warnings;
    if (parser.isSet("preset"))
        p = DreamParams::fromFile(parser.value("preset").toStdString(), &warnings);
    if (parser.isSet("preset-from")) {
        const std::string file = parser.value("preset-from").toStdString();
        const std::string text = readImageMetadata(file);
        if (text.empty())
            throw Error(ErrorKind::Input, file + ": holds no Inceptionist parameters");
        try {
            p = DreamParams::fromJson(nlohmann::json::parse(text), &warnings);
        } catch (const nlohmann::json::exception& e) {
            throw Error(ErrorKind::Input,
                        file + ": embedded parameters are malformed (" + e.what() + ")");
        }
    }
    for (const auto& w : warnings)
        std::fprintf(stderr, "inceptionist-cli: warning: %s\n", w.c_str());
    p.mode = "style";
    StyleParams& s = p.style;
    if (parser.isSet("style")) {
        s.images.clear();
        for (const QString& v : parser.values("style"))
            s.images.push_back(parseStyleImage(v.toStdString()));
    }
    if (parser.isSet("size")) p.workingSize = number<int>(parser, "size");
    if (parser.isSet("iterations")) s.iterations = number<int>(parser, "iterations");
    if (parser.isSet("style-weight")) s.styleWeight = number<double>(parser, "style-weight");
    if (parser.isSet("content-weight")) s.contentWeight = number<double>(parser, "content-weight");
    if (parser.isSet("tv-weight")) s.tvWeight = number<double>(parser, "tv-weight");
    if (parser.isSet("style-scale")) s.styleScale = number<double>(parser, "style-scale");
    if (parser.isSet("preserve-colors"))
        s.preserveColors = parser.value("preserve-colors").toStdString();
    if (parser.isSet("init")) s.init = parser.value("init").toStdString();
    if (parser.isSet("seed")) p.seed = number<uint64_t>(parser, "seed");
    if (parser.isSet("model")) p.model = parser.value("model").toStdString();
    if (parser.isSet("style-layers")) {
        s.styleLayers.clear();
        for (const QString& l : splitList(parser.value("style-layers")))
            s.styleLayers.push_back(l.toStdString());
    }
    if (parser.isSet("content-layer")) s.contentLayer = parser.value("content-layer").toStdString();
    if (parser.isSet("tile-size")) p.tileSize = number<int>(parser, "tile-size");
    if (parser.isSet("device")) p.device = parser.value("device").toStdString();
    if (s.images.empty()) bad("give at least one painting with --style IMG[:WEIGHT]");
    p.validate();
    return p;
}

}  // namespace inceptionist::cli
