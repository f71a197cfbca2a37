#pragma once
// Decompression bombs: a small file whose header claims more pixels than the machine could
// hold. The size in the header is read before anything is decoded and checked against a limit,
// so such a file is refused with a message instead of exhausting memory.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace inceptionist {

struct ImageDimensions {
    long long width = 0, height = 0;
};

// The width and height an image file's header claims, for PNG, JPEG, TIFF (first image), WebP,
// BMP and PNM; nothing for other formats or a header too short to say. `path` is read only for
// TIFF, whose directory libtiff finds.
std::optional<ImageDimensions> imageHeaderDimensions(const std::vector<unsigned char>& bytes,
                                                     const std::string& path);

// The largest image readImage decodes, in pixels: $INCEPTIONIST_MAX_IMAGE_PIXELS, or 200 million
// (well above a 24 MP print, far below what would exhaust a desktop's memory). OpenCV's own
// limit is set to the same for the formats whose headers are not read here.
size_t maxImagePixels();
void setMaxImagePixels(size_t pixels);  // for tests and embedding programs

// Throws Error(Input) naming `path`, its claimed size and the limit when the header claims more.
void refuseImageBomb(const std::vector<unsigned char>& bytes, const std::string& path);

}  // namespace inceptionist
