#include "app/cli_params.h"

#include "core/io/image_io.h"
#include "core/params/errors.h"
#include "core/render/print_plan.h"

namespace inceptionist::cli {

namespace {

[[noreturn]] void bad(const std::string& what) { throw Error(ErrorKind::Parameter, what); }

std::vector<int> parseChannels(const std::string& list, const std::string& context) {
    std::vector<int> channels;
    for (const QString& part : QString::fromStdString(list).split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const int c = part.trimmed().toInt(&ok);
        if (!ok || c < 0) bad(context + ": '" + part.toStdString() + "' is not a channel index");
        channels.push_back(c);
    }
    return channels;
}

template <typename T>
T number(const QCommandLineParser& parser, const char* name) {
    const QString text = parser.value(name);
    bool ok = false;
    T value{};
    if constexpr (std::is_same_v<T, double>)
        value = text.toDouble(&ok);
    else if constexpr (std::is_same_v<T, uint64_t>)
        value = text.toULongLong(&ok);
    else
        value = text.toInt(&ok);
    if (!ok) bad(std::string("--") + name + ": '" + text.toStdString() + "' is not a valid number");
    return value;
}

}  // namespace

LayerObjective parseLayerSpec(const std::string& spec) {
    LayerObjective o;
    std::string rest = spec;
    if (auto at = rest.find('@'); at != std::string::npos) {
        o.channels = parseChannels(rest.substr(at + 1), "--layer " + spec);
        rest.resize(at);
    }
    if (auto colon = rest.find(':'); colon != std::string::npos) {
        bool ok = false;
        o.weight = QString::fromStdString(rest.substr(colon + 1)).toDouble(&ok);
        if (!ok) bad("--layer " + spec + ": the weight after ':' is not a number");
        rest.resize(colon);
    }
    if (rest.empty()) bad("--layer " + spec + ": no layer name");
    o.name = rest;
    return o;
}

void addDreamOptions(QCommandLineParser& p) {
    p.addOptions({
        {"preset", "Read parameters from a JSON preset file.", "file"},
        {"preset-from", "Reuse the parameters embedded in an image made earlier.", "image"},
        {"model", "Model to dream with (default inception_v3).", "id"},
        {{"l", "layer"},
         "Layer to excite, as NAME[:WEIGHT][@CH,CH...]; repeat for several.",
         "layer"},
        {"channels", "Channels to excite in every layer given without its own.", "list"},
        {"octaves", "Number of octaves.", "n"},
        {"octave-scale", "Size ratio between octaves.", "x"},
        {"steps", "Ascent steps per octave.", "n"},
        {"step-size", "Step size on pixels in [0, 1].", "x"},
        {"jitter", "Largest random shift before each step, in pixels.", "px"},
        {"seed", "Random seed.", "n"},
        {"size", "Working size: long side of the dream in pixels.", "px"},
        {"noise", "Start from seeded noise instead of the image."},
        {"guide", "Guide image whose features the dream should take on.", "image"},
        {"device", "cpu, cuda or cuda:N.", "device"},
        {"tile-size", "Largest tile of a step's gradient, in pixels (default 512).", "px"},
        {"print-size",
         "Render the chosen dream as a print this many pixels on the long side, adding "
         "octaves so the last ones work at full resolution.",
         "px"},
    });
}

DreamParams dreamParamsFrom(const QCommandLineParser& parser) {
    DreamParams p;
    if (parser.isSet("preset") && parser.isSet("preset-from"))
        bad("give --preset or --preset-from, not both");
    if (parser.isSet("preset")) p = DreamParams::fromFile(parser.value("preset").toStdString());
    if (parser.isSet("preset-from")) {
        const std::string file = parser.value("preset-from").toStdString();
        const std::string text = readImageMetadata(file);
        if (text.empty())
            throw Error(ErrorKind::Input, file + ": holds no Inceptionist parameters");
        try {
            p = DreamParams::fromJson(nlohmann::json::parse(text));
        } catch (const nlohmann::json::exception& e) {
            throw Error(ErrorKind::Input,
                        file + ": embedded parameters are malformed (" + e.what() + ")");
        }
    }
    if (parser.isSet("model")) p.model = parser.value("model").toStdString();
    if (parser.isSet("layer")) {
        p.layers.clear();
        for (const QString& spec : parser.values("layer"))
            p.layers.push_back(parseLayerSpec(spec.toStdString()));
    }
    if (parser.isSet("channels")) {
        const auto channels = parseChannels(parser.value("channels").toStdString(), "--channels");
        for (auto& l : p.layers)
            if (l.channels.empty()) l.channels = channels;
    }
    if (parser.isSet("octaves")) p.octaves = number<int>(parser, "octaves");
    if (parser.isSet("octave-scale")) p.octaveScale = number<double>(parser, "octave-scale");
    if (parser.isSet("steps")) p.steps = number<int>(parser, "steps");
    if (parser.isSet("step-size")) p.stepSize = number<double>(parser, "step-size");
    if (parser.isSet("jitter")) p.jitter = number<int>(parser, "jitter");
    if (parser.isSet("seed")) p.seed = number<uint64_t>(parser, "seed");
    if (parser.isSet("size")) p.workingSize = number<int>(parser, "size");
    if (parser.isSet("noise")) p.startFromNoise = true;
    if (parser.isSet("guide")) p.guideImage = parser.value("guide").toStdString();
    if (parser.isSet("device")) p.device = parser.value("device").toStdString();
    if (parser.isSet("tile-size")) p.tileSize = number<int>(parser, "tile-size");
    p.validate();
    if (parser.isSet("print-size")) {
        const int size = number<int>(parser, "print-size");
        if (size < 16 || size > 32768) bad("--print-size must be between 16 and 32768");
        p = printParams(p, size);
        p.validate();
    }
    return p;
}

}  // namespace inceptionist::cli
