#pragma once
// The subcommands of inceptionist-cli. Each takes the arguments after the command name
// (argument 0 is the program) and returns the process exit code.

#include <QStringList>

namespace inceptionist::cli {

int dreamCommand(const QStringList& args);
int inspectCommand(const QStringList& args);
int modelsCommand(const QStringList& args);
int sheetCommand(const QStringList& args);
int styleCommand(const QStringList& args);
// In cli_motion.cpp.
int animateCommand(const QStringList& args);
int videoCommand(const QStringList& args);

}  // namespace inceptionist::cli
