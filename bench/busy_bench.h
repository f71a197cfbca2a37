#pragma once

#include <string>

namespace inceptionist::bench {

// The default dream as a whole `inceptionist-cli dream` process on an idle machine and next to
// CPU-bound processes the section starts itself; see busy_bench.cpp.
int busySection(int argc, char** argv, const std::string& modelsOverride);

// Start-up to the first step of a whole `inceptionist-cli dream`.
int startupSection(int argc, char** argv, const std::string& modelsOverride);

}  // namespace inceptionist::bench
