#pragma once
// The options of `inceptionist-cli style` and the parameters they give: the shared fields
// (model, size, seed, tile size, device) and the `style` section (core/params/style_params.h).

#include <QCommandLineParser>

#include "core/params/dream_params.h"

namespace inceptionist::cli {

void addStyleOptions(QCommandLineParser& parser);
// A preset or an earlier export's parameters first (--preset, --preset-from), then each option
// given. Always mode "style". Throws Error(Parameter) for a bad option, Error(Input) for an
// unreadable preset image.
DreamParams styleParamsFrom(const QCommandLineParser& parser);

}  // namespace inceptionist::cli
