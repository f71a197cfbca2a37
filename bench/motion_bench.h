#pragma once
// Motion figures: a 512 px zoom-journey frame and its parts (warp, dream, frame file, encode),
// optical flow and warping for a video frame, the coherence of a dreamed panning clip with and
// without flow (`motion`); colour and memory over 300 feedback frames at 160 px
// (`motion-drift`).

#include <filesystem>

namespace inceptionist::bench {

void motionSection(const std::filesystem::path& modelsDir);
void motionDriftSection(const std::filesystem::path& modelsDir);

}  // namespace inceptionist::bench
