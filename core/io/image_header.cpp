#include "core/io/image_header.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <tiffio.h>

#include "core/params/errors.h"

namespace inceptionist {

namespace {

constexpr size_t kDefaultMaxPixels = 200'000'000;

uint32_t be32(const unsigned char* p) {
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}
uint32_t le32(const unsigned char* p) {
    return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
}
unsigned be16(const unsigned char* p) { return (unsigned(p[0]) << 8) | p[1]; }
unsigned le16(const unsigned char* p) { return unsigned(p[0]) | (unsigned(p[1]) << 8); }

std::optional<ImageDimensions> pngSize(const std::vector<unsigned char>& b) {
    if (b.size() < 24 || std::memcmp(&b[12], "IHDR", 4) != 0) return std::nullopt;
    return ImageDimensions{be32(&b[16]), be32(&b[20])};
}

// The first start-of-frame segment (SOF0 to SOF15 but DHT, JPG and DAC) holds the frame size.
std::optional<ImageDimensions> jpegSize(const std::vector<unsigned char>& b) {
    size_t pos = 2;
    while (pos + 4 <= b.size()) {
        if (b[pos] != 0xFF) return std::nullopt;
        const unsigned char marker = b[pos + 1];
        if (marker == 0xFF) {  // fill byte
            ++pos;
            continue;
        }
        if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
            pos += 2;
            continue;
        }
        const size_t len = be16(&b[pos + 2]);
        if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
            marker != 0xCC) {
            if (pos + 9 > b.size()) return std::nullopt;
            return ImageDimensions{be16(&b[pos + 7]), be16(&b[pos + 5])};
        }
        if (marker == 0xDA || marker == 0xD9 || len < 2) return std::nullopt;
        pos += 2 + len;
    }
    return std::nullopt;
}

std::optional<ImageDimensions> webpSize(const std::vector<unsigned char>& b) {
    if (b.size() < 30 || std::memcmp(&b[0], "RIFF", 4) != 0 || std::memcmp(&b[8], "WEBP", 4) != 0)
        return std::nullopt;
    const unsigned char* c = &b[12];
    if (std::memcmp(c, "VP8X", 4) == 0)
        return ImageDimensions{1 + (long long)(c[12] | (c[13] << 8) | (c[14] << 16)),
                               1 + (long long)(c[15] | (c[16] << 8) | (c[17] << 16))};
    if (std::memcmp(c, "VP8L", 4) == 0 && c[8] == 0x2F) {
        const uint32_t bits = le32(&c[9]);
        return ImageDimensions{1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)};
    }
    if (std::memcmp(c, "VP8 ", 4) == 0)
        return ImageDimensions{le16(&c[14]) & 0x3FFF, le16(&c[16]) & 0x3FFF};
    return std::nullopt;
}

std::optional<ImageDimensions> bmpSize(const std::vector<unsigned char>& b) {
    if (b.size() < 26 || b[0] != 'B' || b[1] != 'M') return std::nullopt;
    const auto w = static_cast<int32_t>(le32(&b[18])), h = static_cast<int32_t>(le32(&b[22]));
    return ImageDimensions{std::llabs(w), std::llabs(h)};
}

// "P1" to "P6", then width and height as decimal text, with comments after '#'.
std::optional<ImageDimensions> pnmSize(const std::vector<unsigned char>& b) {
    if (b.size() < 3 || b[0] != 'P' || b[1] < '1' || b[1] > '6') return std::nullopt;
    long long values[2] = {0, 0};
    size_t pos = 2;
    for (long long& v : values) {
        for (;;) {
            while (pos < b.size() && std::isspace(b[pos])) ++pos;
            if (pos < b.size() && b[pos] == '#')
                while (pos < b.size() && b[pos] != '\n') ++pos;
            else
                break;
        }
        if (pos >= b.size() || !std::isdigit(b[pos])) return std::nullopt;
        while (pos < b.size() && std::isdigit(b[pos]) && v < (1LL << 40))
            v = v * 10 + (b[pos++] - '0');
    }
    return ImageDimensions{values[0], values[1]};
}

int quietTiffError(TIFF*, void*, const char*, const char*, va_list) { return 1; }

std::optional<ImageDimensions> tiffSize(const std::vector<unsigned char>& b,
                                        const std::string& path) {
    const bool tiff = b.size() > 4 && ((b[0] == 'I' && b[1] == 'I' && b[2] == 42) ||
                                       (b[0] == 'M' && b[1] == 'M' && b[3] == 42));
    if (!tiff) return std::nullopt;
    TIFFOpenOptions* options = TIFFOpenOptionsAlloc();
    TIFFOpenOptionsSetErrorHandlerExtR(options, &quietTiffError, nullptr);
    TIFFOpenOptionsSetWarningHandlerExtR(options, &quietTiffError, nullptr);
    TIFF* tif = TIFFOpenExt(path.c_str(), "r", options);
    TIFFOpenOptionsFree(options);
    if (!tif) return std::nullopt;  // the decoder then says what is wrong with it
    uint32_t w = 0, h = 0;
    std::optional<ImageDimensions> size;
    if (TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w) && TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h))
        size = ImageDimensions{w, h};
    TIFFClose(tif);
    return size;
}

std::atomic<size_t>& limit() {
    static std::atomic<size_t> pixels = [] {
        const char* env = std::getenv("INCEPTIONIST_MAX_IMAGE_PIXELS");
        const long long v = env ? std::atoll(env) : 0;
        return v > 0 ? static_cast<size_t>(v) : kDefaultMaxPixels;
    }();
    return pixels;
}

}  // namespace

std::optional<ImageDimensions> imageHeaderDimensions(const std::vector<unsigned char>& b,
                                                     const std::string& path) {
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (b.size() >= 8 && std::equal(png, png + 8, b.begin())) return pngSize(b);
    if (b.size() > 3 && b[0] == 0xFF && b[1] == 0xD8) return jpegSize(b);
    if (auto s = tiffSize(b, path)) return s;
    if (auto s = webpSize(b)) return s;
    if (auto s = bmpSize(b)) return s;
    return pnmSize(b);
}

size_t maxImagePixels() { return limit().load(); }

void setMaxImagePixels(size_t pixels) { limit() = pixels; }

void refuseImageBomb(const std::vector<unsigned char>& bytes, const std::string& path) {
    const auto size = imageHeaderDimensions(bytes, path);
    if (!size) return;
    const double pixels = double(size->width) * double(size->height);
    if (pixels <= double(maxImagePixels())) return;
    char text[256];
    std::snprintf(text, sizeof text,
                  ": the image claims %lld x %lld pixels (%.0f megapixels), more than the limit "
                  "of %.0f megapixels; it was not decoded (INCEPTIONIST_MAX_IMAGE_PIXELS sets the "
                  "limit)",
                  size->width, size->height, pixels / 1e6, maxImagePixels() / 1e6);
    throw Error(ErrorKind::Input, path + text);
}

}  // namespace inceptionist
