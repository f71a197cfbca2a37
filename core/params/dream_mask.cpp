#include "core/params/dream_mask.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

extern "C" {
#include <libavutil/base64.h>
}

#include "core/io/image_io.h"
#include "core/params/errors.h"

namespace inceptionist {
namespace {

constexpr const char* kPrefix = "data:image/png;base64,";

bool isDataUri(const std::string& text) { return text.rfind("data:", 0) == 0; }

[[noreturn]] void badMask(const std::string& what) {
    throw Error(ErrorKind::Parameter, "mask: " + what);
}

std::vector<unsigned char> pngBytes(const std::string& text) {
    const std::string prefix = kPrefix;
    if (text.compare(0, prefix.size(), prefix) != 0)
        badMask("a data URI must start with " + prefix);
    const std::string payload = text.substr(prefix.size());
    std::vector<unsigned char> bytes(AV_BASE64_DECODE_SIZE(payload.size()) + 1);
    const int n = av_base64_decode(bytes.data(), payload.c_str(), static_cast<int>(bytes.size()));
    if (n <= 0) badMask("the embedded image is not valid base64");
    bytes.resize(static_cast<size_t>(n));
    return bytes;
}

cv::Mat decodePng(const std::string& text) {
    const auto bytes = pngBytes(text);
    cv::Mat grey;
    try {
        grey = cv::imdecode(bytes, cv::IMREAD_GRAYSCALE);
    } catch (const cv::Exception& e) {
        badMask("the embedded image cannot be decoded (" + e.err + ")");
    }
    if (grey.empty()) badMask("the embedded image is not a PNG that can be read");
    return grey;
}

}  // namespace

std::string encodeMask(const cv::Mat& image) {
    if (image.empty()) return {};
    cv::Mat grey = image;
    if (grey.channels() == 3) cv::cvtColor(image, grey, cv::COLOR_RGB2GRAY);
    if (grey.depth() != CV_8U) grey.convertTo(grey, CV_8U, 255.0);
    const int longSide = std::max(grey.cols, grey.rows);
    if (longSide > kMaskStoredLongSide) {
        const double f = double(kMaskStoredLongSide) / longSide;
        cv::resize(grey, grey,
                   cv::Size(std::max(1, int(std::lround(grey.cols * f))),
                            std::max(1, int(std::lround(grey.rows * f)))),
                   0, 0, cv::INTER_AREA);
    }
    std::vector<unsigned char> png;
    cv::imencode(".png", grey, png, {cv::IMWRITE_PNG_COMPRESSION, 9});
    std::string text(AV_BASE64_SIZE(png.size()), '\0');
    av_base64_encode(text.data(), static_cast<int>(text.size()), png.data(),
                     static_cast<int>(png.size()));
    text.resize(std::strlen(text.c_str()));
    return kPrefix + text;
}

std::string maskFromFile(const std::string& path) {
    const cv::Mat rgb = readImage(path);  // Error(Input) naming the file
    return encodeMask(rgb);
}

cv::Mat decodeMask(const std::string& text) {
    if (text.empty()) return {};
    cv::Mat grey;
    if (isDataUri(text)) {
        grey = decodePng(text);
    } else {
        cv::Mat rgb = readImage(text);
        cv::cvtColor(rgb, grey, cv::COLOR_RGB2GRAY);
        return grey;
    }
    cv::Mat mask;
    grey.convertTo(mask, CV_32F, 1.0 / 255.0);
    return mask;
}

void validateMaskText(const std::string& text) {
    if (isDataUri(text)) (void)decodePng(text);
}

cv::Mat maskAt(const cv::Mat& mask, cv::Size size, double featherPercent) {
    cv::Mat out;
    const bool shrink = size.width < mask.cols || size.height < mask.rows;
    cv::resize(mask, out, size, 0, 0, shrink ? cv::INTER_AREA : cv::INTER_LINEAR);
    const double radius = featherPercent / 100.0 * std::max(size.width, size.height);
    // The radius is where the ramp ends: two standard deviations of the Gaussian.
    if (radius >= 0.5)
        cv::GaussianBlur(out, out, cv::Size(), radius / 2.0, radius / 2.0, cv::BORDER_REPLICATE);
    cv::min(cv::max(out, 0.0), 1.0, out);
    return out;
}

}  // namespace inceptionist
