#pragma once

namespace inceptionist::bench {

// From releasing a slider in the window (live mode) to the first preview of the new dream.
int latencySection(int argc, char** argv);

}  // namespace inceptionist::bench
