#include "core/image_io.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/errors.h"

namespace inceptionist {
namespace fs = std::filesystem;

namespace {

const char kMetadataKey[] = "inceptionist";  // PNG chunk keyword and JPEG comment prefix

std::string lowerExtension(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return ext;
}

std::vector<unsigned char> readAll(const std::string& path, ErrorKind kind) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(kind, path + ": cannot open file (" + std::strerror(errno) + ")");
    return std::vector<unsigned char>(std::istreambuf_iterator<char>(in), {});
}

bool isJpeg(const std::vector<unsigned char>& b) { return b.size() > 3 && b[0] == 0xFF && b[1] == 0xD8; }
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

void appendBigEndian(std::vector<unsigned char>& out, uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<unsigned char>(v >> s));
}

// Inserts an iTXt chunk (UTF-8, uncompressed) right after IHDR.
std::vector<unsigned char> withPngText(const std::vector<unsigned char>& png, const std::string& text) {
    std::vector<unsigned char> chunk;
    const std::string type = "iTXt";
    std::vector<unsigned char> data(kMetadataKey, kMetadataKey + sizeof(kMetadataKey));  // keyword + NUL
    data.insert(data.end(), {0, 0, 0, 0});  // not compressed, method, empty language, empty keyword
    data.insert(data.end(), text.begin(), text.end());
    appendBigEndian(chunk, static_cast<uint32_t>(data.size()));
    chunk.insert(chunk.end(), type.begin(), type.end());
    chunk.insert(chunk.end(), data.begin(), data.end());
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, chunk.data() + 4, static_cast<uInt>(chunk.size() - 4));
    appendBigEndian(chunk, static_cast<uint32_t>(crc));
    const size_t afterHeader = 8 + 8 + readBigEndian(png.data() + 8) + 4;
    std::vector<unsigned char> out(png.begin(), png.begin() + afterHeader);
    out.insert(out.end(), chunk.begin(), chunk.end());
    out.insert(out.end(), png.begin() + afterHeader, png.end());
    return out;
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

// Inserts a COM segment after SOI; a segment holds at most 65533 bytes of text.
std::vector<unsigned char> withJpegComment(const std::vector<unsigned char>& jpeg, const std::string& text) {
    std::string body = std::string(kMetadataKey) + ":" + text;
    if (body.size() > 65533) throw Error(ErrorKind::Output, "metadata is too long for a JPEG comment");
    std::vector<unsigned char> out(jpeg.begin(), jpeg.begin() + 2);
    const auto len = static_cast<uint16_t>(body.size() + 2);
    out.insert(out.end(), {0xFF, 0xFE, static_cast<unsigned char>(len >> 8), static_cast<unsigned char>(len & 0xFF)});
    out.insert(out.end(), body.begin(), body.end());
    out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
    return out;
}

std::string jpegComment(const std::vector<unsigned char>& jpeg) {
    size_t pos = 2;
    const std::string prefix = std::string(kMetadataKey) + ":";
    while (pos + 4 <= jpeg.size() && jpeg[pos] == 0xFF) {
        const unsigned char marker = jpeg[pos + 1];
        if (marker == 0xDA || marker == 0xD9) break;  // image data starts: no more headers
        const size_t len = (size_t(jpeg[pos + 2]) << 8) | jpeg[pos + 3];
        if (pos + 2 + len > jpeg.size()) break;
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
    cv::Mat decoded;
    try {
        decoded = cv::imdecode(bytes, cv::IMREAD_COLOR | cv::IMREAD_ANYDEPTH);
    } catch (const cv::Exception& e) {
        throw Error(ErrorKind::Input, path + ": cannot decode image (" + e.err + ")");
    }
    if (decoded.empty())
        throw Error(ErrorKind::Input, path + (isPng(bytes) || isJpeg(bytes) ? ": image data is corrupt or truncated"
                                                                             : ": not an image format that can be read"));
    cv::Mat rgb;
    cv::cvtColor(decoded, rgb, cv::COLOR_BGR2RGB);
    const double scale = rgb.depth() == CV_16U ? 1.0 / 65535.0 : rgb.depth() == CV_8U ? 1.0 / 255.0 : 1.0;
    cv::Mat out;
    rgb.convertTo(out, CV_32FC3, scale);
    return out;
}

void writeFileAtomically(const std::string& path, const std::vector<unsigned char>& bytes) {
    const fs::path target = fs::absolute(path);
    const fs::path dir = target.parent_path();
    if (!fs::is_directory(dir)) throw Error(ErrorKind::Output, path + ": folder " + dir.string() + " does not exist");
    std::string tmpl = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
    const int fd = mkstemp(tmpl.data());
    if (fd < 0) throw Error(ErrorKind::Output, path + ": cannot create a file in " + dir.string() + " (" + std::strerror(errno) + ")");
    size_t written = 0;
    int err = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            err = errno;
            break;
        }
        written += static_cast<size_t>(n);
    }
    if (!err && ::fsync(fd) != 0) err = errno;
    if (::close(fd) != 0 && !err) err = errno;
    if (!err) {
        ::chmod(tmpl.c_str(), 0644);
        if (::rename(tmpl.c_str(), target.c_str()) != 0) err = errno;
    }
    if (err) {
        ::unlink(tmpl.c_str());
        throw Error(ErrorKind::Output, path + ": cannot write file (" + std::strerror(err) + ")");
    }
}

void writeImage(const std::string& path, const cv::Mat& rgb, const WriteOptions& options) {
    const std::string ext = lowerExtension(path);
    const bool png = ext == ".png", jpeg = ext == ".jpg" || ext == ".jpeg", tiff = ext == ".tif" || ext == ".tiff";
    if (!png && !jpeg && !tiff)
        throw Error(ErrorKind::Output, path + ": unsupported output format '" + ext + "' (use .png, .jpg or .tif)");
    if (options.bitDepth != 8 && options.bitDepth != 16)
        throw Error(ErrorKind::Output, path + ": bit depth must be 8 or 16");
    if (jpeg && options.bitDepth == 16) throw Error(ErrorKind::Output, path + ": JPEG holds 8 bits per channel only");
    CV_Assert(rgb.type() == CV_32FC3);
    cv::Mat bgr, quantised;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    const bool deep = options.bitDepth == 16;
    bgr.convertTo(quantised, deep ? CV_16UC3 : CV_8UC3, deep ? 65535.0 : 255.0);  // saturating, rounded
    std::vector<int> flags;
    if (jpeg) flags = {cv::IMWRITE_JPEG_QUALITY, options.jpegQuality};
    std::vector<unsigned char> bytes;
    try {
        if (!cv::imencode(ext, quantised, bytes, flags)) throw Error(ErrorKind::Output, path + ": encoding failed");
    } catch (const cv::Exception& e) {
        throw Error(ErrorKind::Output, path + ": encoding failed (" + e.err + ")");
    }
    if (!options.metadata.empty()) {
        if (png) bytes = withPngText(bytes, options.metadata);
        else if (jpeg) bytes = withJpegComment(bytes, options.metadata);
    }
    writeFileAtomically(path, bytes);
}

std::string readImageMetadata(const std::string& path) {
    const auto bytes = readAll(path, ErrorKind::Input);
    if (isPng(bytes)) return pngText(bytes);
    if (isJpeg(bytes)) return jpegComment(bytes);
    return {};
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
