#pragma once
// Reading and writing images with OpenCV. Images inside the engine are CV_32FC3, RGB, values in
// [0, 1]. Writes are atomic: the file appears whole under its name or not at all.

#include <functional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace inceptionist {

// Decodes any image OpenCV reads (8 or 16 bit, grey, colour or with alpha; EXIF orientation
// applied). Throws Error(Input) naming the file for a missing, unreadable, corrupt or
// truncated file, and, before decoding, for one whose header claims more pixels than
// maxImagePixels() (core/io/image_header.h).
cv::Mat readImage(const std::string& path);

struct WriteOptions {
    int bitDepth = 8;  // 8 or 16 (PNG and TIFF)
    int jpegQuality = 95;
    std::string
        metadata;  // JSON text stored in the file (PNG iTXt chunk, JPEG comment, TIFF description)
    double dpi = 0;  // resolution stored in the file (PNG pHYs, JPEG JFIF, TIFF tags); 0: none
    // Checked between rows (TIFF) and before the file is renamed into place: when it returns
    // true, writeImage throws Error(Cancelled) and nothing is written.
    std::function<bool()> cancelled;
    std::function<void(double)> progress;  // fraction of the encoding done, from any thread
};

// Writes PNG, JPEG or TIFF, chosen by the extension. Throws Error(Output) naming the file;
// on failure nothing is left under `path` or beside it, and an existing file is untouched.
void writeImage(const std::string& path, const cv::Mat& rgb, const WriteOptions& options = {});

// The metadata text writeImage stored in `path`, or an empty string where there is none.
std::string readImageMetadata(const std::string& path);
// The resolution stored in `path` in dots per inch, or 0 where there is none.
double readImageDpi(const std::string& path);

// Writes bytes to `path` through a temporary file in the same folder and a rename.
void writeFileAtomically(const std::string& path, const std::vector<unsigned char>& bytes);

// Resizes so that the long side is `longSide`, with area averaging when shrinking.
cv::Mat resizeLongSide(const cv::Mat& image, int longSide);

}  // namespace inceptionist
