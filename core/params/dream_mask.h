#pragma once
// The dream's mask: where the dream may grow. Stored in DreamParams::mask as a grey PNG embedded
// in a data URI, so presets, exported metadata and the autosave carry it without a file beside
// them; a path to a grey image is accepted too (the command line's --mask embeds the file's
// pixels). Decoded, a mask is CV_32FC1 in [0, 1] (1: dream, 0: photo) at the aspect of the
// photo; it is resized to each octave and feathered there.

#include <string>

#include <opencv2/core.hpp>

namespace inceptionist {

// Long side, in pixels, of a mask as stored: masks are smooth, and a feathered edge hides the
// rest, so this keeps presets and metadata small at any photo size.
constexpr int kMaskStoredLongSide = 512;

// `grey` (CV_8UC1, CV_32FC1 in [0, 1], or any image readImage returns) as the text of
// DreamParams::mask, downscaled to kMaskStoredLongSide; empty for an empty image.
std::string encodeMask(const cv::Mat& grey);
// The mask in `path` (any image; its luminance, white = dream) embedded. Throws Error(Input)
// naming the file when it cannot be read.
std::string maskFromFile(const std::string& path);
// The mask's pixels (CV_32FC1 in [0, 1]); empty for empty text. Throws Error(Parameter) for a
// malformed data URI, Error(Input) for an unreadable file.
cv::Mat decodeMask(const std::string& text);
// Throws Error(Parameter) for text that names a data URI but is not a grey PNG's.
void validateMaskText(const std::string& text);

// `mask` at `size`, feathered: a Gaussian whose radius is `featherPercent` of the long side.
cv::Mat maskAt(const cv::Mat& mask, cv::Size size, double featherPercent);

}  // namespace inceptionist
