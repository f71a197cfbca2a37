#pragma once
// The explorer's figures, measured in the real window (offscreen): time to the first layer
// thumbnail after opening the explorer, time to the whole grid, and the longest the GUI event
// loop was kept waiting meanwhile.

namespace inceptionist::bench {

int explorerSection(int argc, char** argv);

}  // namespace inceptionist::bench
