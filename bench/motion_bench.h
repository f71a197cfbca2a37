#pragma once
// Motion figures: a 512 px zoom-journey frame and its parts (warp, dream, frame file, encode),
// optical flow and warping for a video frame, the coherence of a dreamed panning clip with and
// without flow (`motion`); colour and memory over 300 feedback frames at 160 px
// (`motion-drift`); resident memory over a 1000-frame zoom journey at 128 px (`motion-memory`);
// a 10 s 480p clip with sound dreamed end to end (`motion-clip`). Each prints the machine's
// load and processor time beside the wall clock, since the development machine is shared.

#include <filesystem>

namespace inceptionist::bench {

void motionSection(const std::filesystem::path& modelsDir);
void motionDriftSection(const std::filesystem::path& modelsDir);
void motionMemorySection(const std::filesystem::path& modelsDir, int frames = 1000, int size = 128);
void motionClipSection(const std::filesystem::path& modelsDir);

}  // namespace inceptionist::bench
