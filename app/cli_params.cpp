#include "app/cli_params.h"

#include <cstdio>

#include "core/io/image_io.h"
#include "core/params/dream_chain.h"
#include "core/params/dream_mask.h"
#include "core/params/errors.h"
#include "core/params/param_table.h"
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

}  // namespace

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

template int number<int>(const QCommandLineParser&, const char*);
template double number<double>(const QCommandLineParser&, const char*);
template uint64_t number<uint64_t>(const QCommandLineParser&, const char*);

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

ClassObjective parseClassSpec(const std::string& spec) {
    ClassObjective o;
    o.name = spec;
    if (auto colon = spec.rfind(':'); colon != std::string::npos) {
        bool ok = false;
        o.weight = QString::fromStdString(spec.substr(colon + 1)).toDouble(&ok);
        if (!ok) bad("--class " + spec + ": the weight after ':' is not a number");
        o.name = spec.substr(0, colon);
    }
    if (o.name.empty()) bad("--class " + spec + ": no class name or index");
    return o;
}

namespace {

// "Number of octaves. 1 to 16, default 4." from the table.
QString helpText(const ParamSpec& spec) {
    QString text = QString::fromUtf8(spec.cliHelp);
    if (spec.range)
        text += QStringLiteral(" %1 to %2")
                    .arg(QString::fromStdString(formatNumber(spec.range->min)),
                         QString::fromStdString(formatNumber(spec.range->max)));
    if (!std::holds_alternative<bool DreamParams::*>(spec.member)) {
        const std::string byDefault = defaultText(spec);
        if (!byDefault.empty())
            text += (spec.range ? QStringLiteral(", default ") : QStringLiteral(" Default ")) +
                    QString::fromStdString(byDefault) + '.';
        else if (spec.range)
            text += '.';
    }
    return text;
}

void readOption(const QCommandLineParser& parser, const ParamSpec& spec, DreamParams& p) {
    const char* flag = spec.cliFlag;
    std::visit(
        [&](auto member) {
            using M = decltype(member);
            if constexpr (std::is_same_v<M, std::string DreamParams::*>)
                p.*member = parser.value(flag).toStdString();
            else if constexpr (std::is_same_v<M, bool DreamParams::*>)
                p.*member = true;
            else if constexpr (std::is_same_v<M, int DreamParams::*>)
                p.*member = number<int>(parser, flag);
            else if constexpr (std::is_same_v<M, double DreamParams::*>)
                p.*member = number<double>(parser, flag);
            else if constexpr (std::is_same_v<M, uint64_t DreamParams::*>)
                p.*member = number<uint64_t>(parser, flag);
        },
        spec.member);
}

void printWarnings(const std::vector<std::string>& warnings) {
    for (const auto& w : warnings)
        std::fprintf(stderr, "inceptionist-cli: warning: %s\n", w.c_str());
}

}  // namespace

void addDreamOptions(QCommandLineParser& p) {
    p.addOptions({
        {"preset", "Read parameters from a JSON preset file.", "file"},
        {"preset-from", "Reuse the parameters embedded in an image made earlier.", "image"},
    });
    // Every other option comes from the parameter table, in its order.
    for (const ParamSpec& spec : paramTable()) {
        if (spec.id == ParamId::Layers) {
            p.addOptions({
                {{"l", "layer"},
                 "Layer to excite, as NAME[:WEIGHT][@CH,CH...]; repeat for several.",
                 "layer"},
                {"channels", "Channels to excite in every layer given without its own.", "list"},
            });
            continue;
        }
        if (spec.id == ParamId::Classes) {
            p.addOption({"class",
                         "Class to draw, as NAME[:WEIGHT] or INDEX[:WEIGHT] (ImageNet names, or "
                         "the model's own); repeat for several. Sets --mode class.",
                         "class"});
            continue;
        }
        if (!spec.cliFlag) continue;
        if (std::holds_alternative<bool DreamParams::*>(spec.member))
            p.addOption({spec.cliFlag, helpText(spec)});
        else
            p.addOption({spec.cliFlag, helpText(spec), spec.cliValueName});
    }
    p.addOption({"print-size",
                 "Render the chosen dream as a print this many pixels on the long side, adding "
                 "octaves so the last ones work at full resolution.",
                 "px"});
}

DreamParams dreamParamsFrom(const QCommandLineParser& parser, std::vector<DreamParams>* keptChain) {
    DreamParams p;
    std::vector<DreamParams> kept;
    std::vector<std::string> warnings;
    if (parser.isSet("preset") && parser.isSet("preset-from"))
        bad("give --preset or --preset-from, not both");
    if (parser.isSet("preset"))
        p = DreamParams::fromFile(parser.value("preset").toStdString(), &warnings);
    if (parser.isSet("preset-from")) {
        const std::string file = parser.value("preset-from").toStdString();
        const std::string text = readImageMetadata(file);
        if (text.empty())
            throw Error(ErrorKind::Input, file + ": holds no Inceptionist parameters");
        try {
            std::vector<std::string> found;
            DreamChain chain = DreamChain::fromJson(nlohmann::json::parse(text), &found);
            p = chain.last;
            kept = std::move(chain.kept);
            for (const auto& w : found) warnings.push_back(file + ": " + w);
        } catch (const nlohmann::json::exception& e) {
            throw Error(ErrorKind::Input,
                        file + ": embedded parameters are malformed (" + e.what() + ")");
        }
    }
    printWarnings(warnings);
    for (const ParamSpec& spec : paramTable()) {
        if (spec.id == ParamId::Layers && parser.isSet("layer")) {
            p.layers.clear();
            for (const QString& layer : parser.values("layer"))
                p.layers.push_back(parseLayerSpec(layer.toStdString()));
        }
        if (spec.id == ParamId::Classes && parser.isSet("class")) {
            p.classes.clear();
            for (const QString& c : parser.values("class"))
                p.classes.push_back(parseClassSpec(c.toStdString()));
            if (!parser.isSet("mode")) p.mode = "class";
        }
        if (spec.cliFlag && parser.isSet(spec.cliFlag)) readOption(parser, spec, p);
    }
    // The mask file's pixels go into the parameters, so the image's metadata and a preset made
    // from it carry the mask itself.
    if (parser.isSet("mask") && !p.mask.empty()) p.mask = maskFromFile(p.mask);
    if (parser.isSet("channels")) {
        const auto channels = parseChannels(parser.value("channels").toStdString(), "--channels");
        for (auto& l : p.layers)
            if (l.channels.empty()) l.channels = channels;
    }
    p.validate();
    if (parser.isSet("print-size")) {
        const int size = number<int>(parser, "print-size");
        if (size < 16 || size > 32768) bad("--print-size must be between 16 and 32768");
        p = printParams(p, size);
        p.validate();
        for (auto& k : kept) k = printParams(k, size);
    }
    if (keptChain) *keptChain = std::move(kept);
    return p;
}

}  // namespace inceptionist::cli
