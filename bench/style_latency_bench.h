#pragma once

namespace inceptionist::bench {

// In the real window (offscreen), live mode, with a painting set: from pressing the Style tab to
// the first preview of the transfer on the canvas, and to the finished picture, at the working
// size (--size N, default 384; the window's default is 512). --screenshot FILE saves the window
// with the finished picture.
int styleLatencySection(int argc, char** argv);

}  // namespace inceptionist::bench
