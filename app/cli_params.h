#pragma once
// Turns the command line's dream options into DreamParams: defaults, then a preset file or the
// parameters embedded in an earlier image, then each option given. The options of the scalar
// parameters, their help texts and ranges come from the parameter table.

#include <QCommandLineParser>

#include "core/params/dream_params.h"

namespace inceptionist::cli {

// The value of option `name` as a number (int, double or uint64_t); throws Error(Parameter)
// naming the option when it is not one.
template <typename T>
T number(const QCommandLineParser& parser, const char* name);

void addDreamOptions(QCommandLineParser& parser);
// Throws Error(Parameter) for a malformed value, Error(Input) for an unreadable preset. Prints
// the preset's warnings (keys from a newer version, left out) to stderr. `keptChain`, when
// given, receives the dreams kept before the one returned, as embedded by `--preset-from`'s
// image (oldest first, at print size with --print-size); the options given apply to the last.
DreamParams dreamParamsFrom(const QCommandLineParser& parser,
                            std::vector<DreamParams>* keptChain = nullptr);

// "mixed4", "mixed4:0.5", "mixed4@12,40" or "mixed4:0.5@12".
LayerObjective parseLayerSpec(const std::string& spec);
// "barbell", "barbell:2", "543:0.5" (--class).
ClassObjective parseClassSpec(const std::string& spec);

}  // namespace inceptionist::cli
