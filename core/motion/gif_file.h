#pragma once
// Animated GIF output of a clip through FFmpeg's libavfilter and GIF encoder: one palette of
// 256 colours computed over all the clip's frames (palettegen), then each frame mapped to it
// with error-diffusion dithering (paletteuse, Sierra-2-4A) and encoded. Two passes over the
// frames folder, so memory stays flat however long the clip.

#include <cstddef>
#include <string>

#include "core/motion/frame_folder.h"

namespace inceptionist {

// Writes frames 0 … count-1 of `frames` to `output` (a .gif) at `fps`, looping forever. GIF
// delays are whole hundredths of a second, so a rate that does not divide 100 alternates
// between the two nearest delays. Throws Error(Output) naming the file; nothing is left under
// `output` on failure.
void writeGif(const FrameFolder& frames, size_t count, double fps, const std::string& output);

}  // namespace inceptionist
