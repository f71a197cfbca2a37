#include "core/io/image_io.h"

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include <fcntl.h>
#include <sys/stat.h>
#include <tiffio.h>
#include <unistd.h>
#include <zlib.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/io/atomic_file.h"
#include "core/io/image_header.h"
#include "core/params/errors.h"

namespace inceptionist {
namespace fs = std::filesystem;

namespace {

const char kMetadataKey[] = "inceptionist";  // PNG chunk keyword and JPEG comment prefix

std::string lowerExtension(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return ext;
}

std::vector<unsigned char> readAll(const std::string& path, ErrorKind kind) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(kind, path + ": cannot open file (" + std::strerror(errno) + ")");
    return std::vector<unsigned char>(std::istreambuf_iterator<char>(in), {});
}

bool isJpeg(const std::vector<unsigned char>& b) {
    return b.size() > 3 && b[0] == 0xFF && b[1] == 0xD8;
}
bool isPng(const std::vector<unsigned char>& b) {
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    return b.size() >= 8 && std::equal(sig, sig + 8, b.begin());
}

// libjpeg decodes a cut-off file without complaint, filling the rest with grey; a JPEG that
// lacks its end-of-image marker is reported as truncated instead.
bool jpegHasEnd(const std::vector<unsigned char>& b) {
    size_t n = b.size();
    while (n > 2 && (b[n - 1] == 0x00 || b[n - 1] == '\n' || b[n - 1] == '\r')) --n;
    return n >= 2 && b[n - 2] == 0xFF && b[n - 1] == 0xD9;
}

uint32_t readBigEndian(const unsigned char* p) {
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

// Whether every chunk of a PNG ends within the file. libpng allocates a chunk's declared length
// before reading it, so a 200-byte file whose text chunk claims 2 GB would take 2 GB: such a
// file is refused as corrupt before it is decoded.
bool pngChunksFit(const std::vector<unsigned char>& png) {
    size_t pos = 8;
    while (pos + 12 <= png.size()) {
        const size_t len = readBigEndian(png.data() + pos);
        if (len > png.size() - pos - 12) return false;
        if (std::memcmp(png.data() + pos + 4, "IEND", 4) == 0) return true;
        pos += 12 + len;
    }
    return pos == png.size();
}

void appendBigEndian(std::vector<unsigned char>& out, uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<unsigned char>(v >> s));
}

constexpr double kInchesPerMetre = 1.0 / 0.0254;

// A PNG chunk: length, type, data, CRC of type and data.
std::vector<unsigned char> pngChunk(const std::string& type,
                                    const std::vector<unsigned char>& data) {
    std::vector<unsigned char> chunk;
    chunk.reserve(12 + data.size());
    appendBigEndian(chunk, static_cast<uint32_t>(data.size()));
    for (char c : type) chunk.push_back(static_cast<unsigned char>(c));
    chunk.insert(chunk.end(), data.begin(), data.end());
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, chunk.data() + 4, static_cast<uInt>(chunk.size() - 4));
    appendBigEndian(chunk, static_cast<uint32_t>(crc));
    return chunk;
}

// Inserts, right after IHDR, an iTXt chunk (UTF-8, uncompressed) with the metadata and a pHYs
// chunk with the resolution.
std::vector<unsigned char> withPngChunks(const std::vector<unsigned char>& png,
                                         const WriteOptions& o) {
    std::vector<unsigned char> extra;
    if (!o.metadata.empty()) {
        std::vector<unsigned char> data(kMetadataKey,
                                        kMetadataKey + sizeof(kMetadataKey));  // keyword + NUL
        data.insert(data.end(),
                    {0, 0, 0, 0});  // not compressed, method, no language, no translated keyword
        data.insert(data.end(), o.metadata.begin(), o.metadata.end());
        const auto chunk = pngChunk("iTXt", data);
        extra.insert(extra.end(), chunk.begin(), chunk.end());
    }
    if (o.dpi > 0) {
        std::vector<unsigned char> data;
        const auto perMetre = static_cast<uint32_t>(std::lround(o.dpi * kInchesPerMetre));
        appendBigEndian(data, perMetre);
        appendBigEndian(data, perMetre);
        data.push_back(1);  // unit: metre
        const auto chunk = pngChunk("pHYs", data);
        extra.insert(extra.end(), chunk.begin(), chunk.end());
    }
    const size_t afterHeader = 8 + 8 + readBigEndian(png.data() + 8) + 4;
    std::vector<unsigned char> out(png.begin(), png.begin() + afterHeader);
    out.insert(out.end(), extra.begin(), extra.end());
    out.insert(out.end(), png.begin() + afterHeader, png.end());
    return out;
}

double pngDpi(const std::vector<unsigned char>& png) {
    size_t pos = 8;
    while (pos + 12 <= png.size()) {
        const uint32_t len = readBigEndian(png.data() + pos);
        if (pos + 12 + len > png.size()) break;
        const std::string type(png.begin() + pos + 4, png.begin() + pos + 8);
        if (type == "pHYs" && len == 9 && png[pos + 16] == 1)
            return readBigEndian(png.data() + pos + 8) / kInchesPerMetre;
        if (type == "IDAT") break;
        pos += 12 + len;
    }
    return 0;
}

std::string pngText(const std::vector<unsigned char>& png) {
    size_t pos = 8;
    while (pos + 12 <= png.size()) {
        const uint32_t len = readBigEndian(png.data() + pos);
        if (pos + 12 + len > png.size()) break;
        const std::string type(png.begin() + pos + 4, png.begin() + pos + 8);
        const auto* data = png.data() + pos + 8;
        if (type == "iTXt" && len > sizeof(kMetadataKey) + 4 &&
            std::memcmp(data, kMetadataKey, sizeof(kMetadataKey)) == 0)
            return std::string(reinterpret_cast<const char*>(data) + sizeof(kMetadataKey) + 4,
                               len - sizeof(kMetadataKey) - 4);
        if (type == "IEND") break;
        pos += 12 + len;
    }
    return {};
}

// Sets the JFIF header's density to the resolution and inserts a COM segment with the metadata
// after it; a segment holds at most 65533 bytes of text.
std::vector<unsigned char> withJpegExtras(std::vector<unsigned char> jpeg, const WriteOptions& o) {
    size_t insertAt = 2;
    const bool jfif = jpeg.size() > 20 && jpeg[2] == 0xFF && jpeg[3] == 0xE0 &&
                      std::memcmp(&jpeg[6], "JFIF", 5) == 0;
    if (jfif) {
        insertAt = 4 + ((size_t(jpeg[4]) << 8) | jpeg[5]);
        if (o.dpi > 0) {
            const auto d = static_cast<uint16_t>(std::min(65535L, std::lround(o.dpi)));
            jpeg[13] = 1;  // dots per inch
            jpeg[14] = jpeg[16] = static_cast<unsigned char>(d >> 8);
            jpeg[15] = jpeg[17] = static_cast<unsigned char>(d & 0xFF);
        }
    }
    if (o.metadata.empty()) return jpeg;
    const std::string body = std::string(kMetadataKey) + ":" + o.metadata;
    if (body.size() > 65533)
        throw Error(ErrorKind::Output, "metadata is too long for a JPEG comment");
    std::vector<unsigned char> out(jpeg.begin(), jpeg.begin() + insertAt);
    const auto len = static_cast<uint16_t>(body.size() + 2);
    out.insert(out.end(), {0xFF, 0xFE, static_cast<unsigned char>(len >> 8),
                           static_cast<unsigned char>(len & 0xFF)});
    out.insert(out.end(), body.begin(), body.end());
    out.insert(out.end(), jpeg.begin() + insertAt, jpeg.end());
    return out;
}

double jpegDpi(const std::vector<unsigned char>& jpeg) {
    const bool jfif = jpeg.size() > 20 && jpeg[2] == 0xFF && jpeg[3] == 0xE0 &&
                      std::memcmp(&jpeg[6], "JFIF", 5) == 0;
    if (!jfif || jpeg[13] != 1) return 0;
    return (jpeg[14] << 8) | jpeg[15];
}

bool isTiff(const std::vector<unsigned char>& b) {
    return b.size() > 4 && ((b[0] == 'I' && b[1] == 'I' && b[2] == 42) ||
                            (b[0] == 'M' && b[1] == 'M' && b[3] == 42));
}

// libtiff reports problems through handlers; by default they print to stderr, and setting them
// process-wide would silence other users of the library. Each call here collects its own.
struct TiffMessages {
    std::string first;  // the first error: later ones tend to follow from it

    static int onError(TIFF*, void* self, const char*, const char* fmt, va_list args) {
        auto* m = static_cast<TiffMessages*>(self);
        if (m->first.empty()) {
            char text[512];
            std::vsnprintf(text, sizeof text, fmt, args);
            m->first = text;
        }
        return 1;  // handled: the process-wide handler stays out of it
    }
    static int onWarning(TIFF*, void*, const char*, const char*, va_list) { return 1; }
};

struct TiffOptions {
    TIFFOpenOptions* options = TIFFOpenOptionsAlloc();
    explicit TiffOptions(TiffMessages& m) {
        TIFFOpenOptionsSetErrorHandlerExtR(options, &TiffMessages::onError, &m);
        TIFFOpenOptionsSetWarningHandlerExtR(options, &TiffMessages::onWarning, &m);
    }
    ~TiffOptions() { TIFFOpenOptionsFree(options); }
    TiffOptions(const TiffOptions&) = delete;
    TiffOptions& operator=(const TiffOptions&) = delete;
};

// libtiff writes through these into the AtomicFile's descriptor and never closes it, so the
// AtomicFile keeps it (no leak if opening fails) and its commit() checks the fsync and close.
struct TiffTarget {
    int fd;
    int err = 0;  // errno of the first failed write or seek
};

tmsize_t tiffRead(thandle_t h, void* buf, tmsize_t size) {
    const ssize_t n = ::read(static_cast<TiffTarget*>(h)->fd, buf, static_cast<size_t>(size));
    return n < 0 ? -1 : static_cast<tmsize_t>(n);
}

tmsize_t tiffWrite(thandle_t h, void* buf, tmsize_t size) {
    auto* t = static_cast<TiffTarget*>(h);
    const auto* data = static_cast<const unsigned char*>(buf);
    tmsize_t written = 0;
    while (written < size) {
        const ssize_t n = ::write(t->fd, data + written, static_cast<size_t>(size - written));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            if (!t->err) t->err = n < 0 ? errno : ENOSPC;
            return -1;
        }
        written += n;
    }
    return written;
}

toff_t tiffSeek(thandle_t h, toff_t offset, int whence) {
    auto* t = static_cast<TiffTarget*>(h);
    const off_t at = ::lseek(t->fd, static_cast<off_t>(offset), whence);
    if (at < 0 && !t->err) t->err = errno;
    return at < 0 ? static_cast<toff_t>(-1) : static_cast<toff_t>(at);
}

int tiffKeepOpen(thandle_t) { return 0; }

toff_t tiffSize(thandle_t h) {
    struct stat st {};
    return ::fstat(static_cast<TiffTarget*>(h)->fd, &st) == 0 ? static_cast<toff_t>(st.st_size) : 0;
}

int tiffNoMap(thandle_t, void**, toff_t*) { return 0; }
void tiffNoUnmap(thandle_t, void*, toff_t) {}

// TIFF through libtiff, which OpenCV does not expose for descriptions: deflate-compressed RGB,
// 8 or 16 bits, with the metadata as the image description and the resolution in inches.
// Every step is checked, the final flush included (that is where the last strip and the
// directory are written): a failed write throws and leaves any existing file as it was.
void writeTiff(const std::string& path, const cv::Mat& rgb, const WriteOptions& o) {
    AtomicFile file(path);
    TiffMessages messages;
    TiffOptions options(messages);
    TiffTarget target{file.fd()};
    auto fail = [&](const char* what) {
        std::string reason = target.err ? std::strerror(target.err) : messages.first;
        throw Error(ErrorKind::Output,
                    path + ": " + what + (reason.empty() ? "" : " (" + reason + ")"));
    };
    TIFF* tif =
        TIFFClientOpenExt(file.temporaryPath().c_str(), "w", &target, tiffRead, tiffWrite, tiffSeek,
                          tiffKeepOpen, tiffSize, tiffNoMap, tiffNoUnmap, options.options);
    if (!tif) fail("cannot start a TIFF file");
    bool ok = TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, static_cast<uint32_t>(rgb.cols)) &&
              TIFFSetField(tif, TIFFTAG_IMAGELENGTH, static_cast<uint32_t>(rgb.rows)) &&
              TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE,
                           static_cast<uint16_t>(rgb.depth() == CV_16U ? 16 : 8)) &&
              TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, static_cast<uint16_t>(3)) &&
              TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB) &&
              TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG) &&
              TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE) &&
              TIFFSetField(tif, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL) &&
              TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, TIFFDefaultStripSize(tif, 0)) &&
              TIFFSetField(tif, TIFFTAG_SOFTWARE, "Inceptionist");
    if (ok && !o.metadata.empty())
        ok = TIFFSetField(tif, TIFFTAG_IMAGEDESCRIPTION, o.metadata.c_str());
    if (ok && o.dpi > 0)
        ok = TIFFSetField(tif, TIFFTAG_XRESOLUTION, static_cast<float>(o.dpi)) &&
             TIFFSetField(tif, TIFFTAG_YRESOLUTION, static_cast<float>(o.dpi)) &&
             TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
    bool stopped = false;
    for (int y = 0; ok && y < rgb.rows; ++y) {
        ok = TIFFWriteScanline(tif, const_cast<uchar*>(rgb.ptr(y)), y, 0) == 1;
        if (y % 64 == 63) {
            if (o.progress) o.progress(double(y) / rgb.rows);
            if (o.cancelled && o.cancelled()) ok = !(stopped = true);
        }
    }
    if (ok) ok = TIFFFlush(tif) == 1;  // the last strip and the directory
    TIFFClose(tif);                    // frees libtiff's state; the descriptor stays open
    if (stopped || (o.cancelled && o.cancelled()))
        throw Error(ErrorKind::Cancelled, path + ": writing was cancelled");
    if (!ok || target.err) fail("cannot write TIFF data");
    file.commit();
}

// Opens a TIFF for reading its tags, with libtiff's messages collected in `messages` (unused:
// a file that cannot be read simply has no description or resolution).
TIFF* openTiffQuietly(const std::string& path, TiffMessages& messages) {
    TiffOptions options(messages);
    return TIFFOpenExt(path.c_str(), "r", options.options);
}

std::string tiffDescription(const std::string& path) {
    TiffMessages messages;
    TIFF* tif = openTiffQuietly(path, messages);
    if (!tif) return {};
    char* text = nullptr;
    std::string description;
    if (TIFFGetField(tif, TIFFTAG_IMAGEDESCRIPTION, &text) && text) description = text;
    TIFFClose(tif);
    return description;
}

double tiffDpi(const std::string& path) {
    TiffMessages messages;
    TIFF* tif = openTiffQuietly(path, messages);
    if (!tif) return 0;
    float x = 0;
    uint16_t unit = RESUNIT_INCH;
    double dpi = 0;
    if (TIFFGetField(tif, TIFFTAG_XRESOLUTION, &x)) {
        TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &unit);
        dpi = unit == RESUNIT_CENTIMETER ? x * 2.54 : unit == RESUNIT_INCH ? x : 0;
    }
    TIFFClose(tif);
    return dpi;
}

std::string jpegComment(const std::vector<unsigned char>& jpeg) {
    size_t pos = 2;
    const std::string prefix = std::string(kMetadataKey) + ":";
    while (pos + 4 <= jpeg.size() && jpeg[pos] == 0xFF) {
        const unsigned char marker = jpeg[pos + 1];
        if (marker == 0xDA || marker == 0xD9) break;  // image data starts: no more headers
        const size_t len = (size_t(jpeg[pos + 2]) << 8) | jpeg[pos + 3];
        if (len < 2 || pos + 2 + len > jpeg.size()) break;  // the length counts itself
        if (marker == 0xFE) {
            std::string body(jpeg.begin() + pos + 4, jpeg.begin() + pos + 2 + len);
            if (body.compare(0, prefix.size(), prefix) == 0) return body.substr(prefix.size());
        }
        pos += 2 + len;
    }
    return {};
}

}  // namespace

cv::Mat readImage(const std::string& path) {
    if (!fs::exists(path)) throw Error(ErrorKind::Input, path + ": no such file");
    if (fs::is_directory(path)) throw Error(ErrorKind::Input, path + ": is a folder, not an image");
    const auto bytes = readAll(path, ErrorKind::Input);
    if (bytes.empty()) throw Error(ErrorKind::Input, path + ": file is empty");
    if (isJpeg(bytes) && !jpegHasEnd(bytes))
        throw Error(ErrorKind::Input, path + ": JPEG file is truncated (no end-of-image marker)");
    if (isPng(bytes) && !pngChunksFit(bytes))
        throw Error(
            ErrorKind::Input,
            path + ": PNG file is corrupt or truncated (a chunk runs past the end of the file)");
    refuseImageBomb(bytes, path);
    // Formats whose header is not read above meet OpenCV's own check, at the same limit.
    static const bool openCvLimitSet = [] {
        return setenv("OPENCV_IO_MAX_IMAGE_PIXELS", std::to_string(maxImagePixels()).c_str(), 0) ==
               0;
    }();
    (void)openCvLimitSet;
    cv::Mat decoded;
    try {
        decoded = cv::imdecode(bytes, cv::IMREAD_COLOR | cv::IMREAD_ANYDEPTH);
    } catch (const cv::Exception& e) {
        throw Error(ErrorKind::Input, path + ": cannot decode image (" + e.err + ")");
    }
    if (decoded.empty())
        throw Error(ErrorKind::Input, path + (isPng(bytes) || isJpeg(bytes)
                                                  ? ": image data is corrupt or truncated"
                                                  : ": not an image format that can be read"));
    cv::Mat rgb;
    cv::cvtColor(decoded, rgb, cv::COLOR_BGR2RGB);
    const double scale = rgb.depth() == CV_16U  ? 1.0 / 65535.0
                         : rgb.depth() == CV_8U ? 1.0 / 255.0
                                                : 1.0;
    cv::Mat out;
    rgb.convertTo(out, CV_32FC3, scale);
    return out;
}

void writeFileAtomically(const std::string& path, const std::vector<unsigned char>& bytes) {
    AtomicFile file(path);
    file.write(bytes.data(), bytes.size());
    file.commit();
}

void writeImage(const std::string& path, const cv::Mat& rgb, const WriteOptions& options) {
    const std::string ext = lowerExtension(path);
    const bool png = ext == ".png", jpeg = ext == ".jpg" || ext == ".jpeg",
               tiff = ext == ".tif" || ext == ".tiff";
    if (!png && !jpeg && !tiff)
        throw Error(ErrorKind::Output,
                    path + ": unsupported output format '" + ext + "' (use .png, .jpg or .tif)");
    if (options.bitDepth != 8 && options.bitDepth != 16)
        throw Error(ErrorKind::Output, path + ": bit depth must be 8 or 16");
    if (jpeg && options.bitDepth == 16)
        throw Error(ErrorKind::Output, path + ": JPEG holds 8 bits per channel only");
    if (!(options.dpi >= 0 && options.dpi <= 100000))
        throw Error(ErrorKind::Output, path + ": resolution out of range");
    CV_Assert(rgb.type() == CV_32FC3);
    // Quantise first, then reorder channels: half the memory of the other way round at print size.
    const bool deep = options.bitDepth == 16;
    cv::Mat quantised;
    rgb.convertTo(quantised, deep ? CV_16UC3 : CV_8UC3,
                  deep ? 65535.0 : 255.0);  // saturating, rounded
    if (tiff) return writeTiff(path, quantised, options);
    cv::cvtColor(quantised, quantised, cv::COLOR_RGB2BGR);
    std::vector<int> flags;
    if (jpeg) flags = {cv::IMWRITE_JPEG_QUALITY, options.jpegQuality};
    std::vector<unsigned char> bytes;
    try {
        if (!cv::imencode(ext, quantised, bytes, flags))
            throw Error(ErrorKind::Output, path + ": encoding failed");
    } catch (const cv::Exception& e) {
        throw Error(ErrorKind::Output, path + ": encoding failed (" + e.err + ")");
    }
    quantised.release();
    if (png) bytes = withPngChunks(bytes, options);
    if (jpeg) bytes = withJpegExtras(bytes, options);
    if (options.progress) options.progress(0.9);
    if (options.cancelled && options.cancelled())
        throw Error(ErrorKind::Cancelled, path + ": writing was cancelled");
    writeFileAtomically(path, bytes);
}

std::string readImageMetadata(const std::string& path) {
    const auto bytes = readAll(path, ErrorKind::Input);
    if (isPng(bytes)) return pngText(bytes);
    if (isJpeg(bytes)) return jpegComment(bytes);
    if (isTiff(bytes)) return tiffDescription(path);
    return {};
}

double readImageDpi(const std::string& path) {
    const auto bytes = readAll(path, ErrorKind::Input);
    if (isPng(bytes)) return pngDpi(bytes);
    if (isJpeg(bytes)) return jpegDpi(bytes);
    if (isTiff(bytes)) return tiffDpi(path);
    return 0;
}

cv::Mat resizeLongSide(const cv::Mat& image, int longSide) {
    const int current = std::max(image.cols, image.rows);
    if (current == longSide) return image.clone();
    const double f = static_cast<double>(longSide) / current;
    const cv::Size size(std::max(1, static_cast<int>(std::lround(image.cols * f))),
                        std::max(1, static_cast<int>(std::lround(image.rows * f))));
    cv::Mat out;
    cv::resize(image, out, size, 0, 0, f < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
    return out;
}

}  // namespace inceptionist
