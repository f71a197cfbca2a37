#include "core/motion/camera_warp.h"

#include <algorithm>

#include <opencv2/imgproc.hpp>

namespace inceptionist {

cv::Mat cameraMatrix(cv::Size size, const CameraMotion& motion) {
    // Pixel centres run from 0 to size - 1, so the picture's centre is at (size - 1) / 2.
    const cv::Point2f centre((size.width - 1) * 0.5f, (size.height - 1) * 0.5f);
    cv::Mat m = cv::getRotationMatrix2D(centre, motion.rotate, motion.zoom);
    m.at<double>(0, 2) += motion.panX;
    m.at<double>(1, 2) += motion.panY;
    return m;
}

cv::Mat warpCamera(const cv::Mat& rgb, const CameraMotion& motion) {
    CV_Assert(rgb.type() == CV_32FC3);
    cv::Mat out;
    cv::warpAffine(rgb, out, cameraMatrix(rgb.size(), motion), rgb.size(), cv::INTER_CUBIC,
                   cv::BORDER_REFLECT_101);
    cv::min(cv::max(out, 0.0), 1.0, out);  // bicubic overshoots at edges
    return out;
}

ColourStats colourStats(const cv::Mat& rgb) {
    ColourStats s;
    cv::meanStdDev(rgb, s.mean, s.spread);
    return s;
}

cv::Mat holdColour(const cv::Mat& rgb, const ColourStats& target, double strength) {
    strength = std::clamp(strength, 0.0, 1.0);
    const ColourStats now = colourStats(rgb);
    std::vector<cv::Mat> channels;
    cv::split(rgb, channels);
    for (int c = 0; c < 3; ++c) {
        const double mean = now.mean[c] + strength * (target.mean[c] - now.mean[c]);
        const double spread = now.spread[c] + strength * (target.spread[c] - now.spread[c]);
        const double gain = now.spread[c] > 1e-6 ? spread / now.spread[c] : 1.0;
        channels[c].convertTo(channels[c], CV_32F, gain, mean - gain * now.mean[c]);
    }
    cv::Mat out;
    cv::merge(channels, out);
    cv::min(cv::max(out, 0.0), 1.0, out);
    return out;
}

cv::Mat quantise8(const cv::Mat& rgb) {
    cv::Mat bytes, out;
    rgb.convertTo(bytes, CV_8UC3, 255.0);  // as writeImage does: saturating, rounded
    bytes.convertTo(out, CV_32FC3, 1.0 / 255.0);
    return out;
}

}  // namespace inceptionist
