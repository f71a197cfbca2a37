#include "core/render/style_colour.h"

#include <opencv2/imgproc.hpp>

namespace inceptionist {
namespace {

constexpr float kR = 0.299f, kG = 0.587f, kB = 0.114f;

// Mean (3×1) and covariance (3×3) of an image's pixels, in double precision.
void pixelStatistics(const cv::Mat& rgb, cv::Mat& mean, cv::Mat& covariance) {
    const cv::Mat samples = rgb.reshape(1, static_cast<int>(rgb.total()));
    cv::calcCovarMatrix(samples, covariance, mean,
                        cv::COVAR_NORMAL | cv::COVAR_ROWS | cv::COVAR_SCALE, CV_64F);
    mean = mean.t();
    // A flat painting or photo has a singular covariance; a small ridge keeps the roots finite.
    covariance += cv::Mat::eye(3, 3, CV_64F) * 1e-5;
}

// The symmetric square root of a covariance, or its inverse.
cv::Mat symmetricRoot(const cv::Mat& covariance, bool inverse) {
    cv::Mat values, vectors;  // rows of `vectors` are the eigenvectors
    cv::eigen(covariance, values, vectors);
    cv::Mat d = cv::Mat::zeros(3, 3, CV_64F);
    for (int i = 0; i < 3; ++i) {
        const double v = std::max(values.at<double>(i), 1e-8);
        d.at<double>(i, i) = inverse ? 1.0 / std::sqrt(v) : std::sqrt(v);
    }
    return vectors.t() * d * vectors;
}

}  // namespace

cv::Mat luminanceOf(const cv::Mat& rgb) {
    cv::Mat y;
    cv::transform(rgb, y, cv::Matx13f(kR, kG, kB));
    return y;
}

cv::Mat greyRgb(const cv::Mat& luminance) {
    cv::Mat rgb;
    cv::merge(std::vector<cv::Mat>{luminance, luminance, luminance}, rgb);
    return rgb;
}

cv::Mat matchLuminance(const cv::Mat& luminance, const cv::Mat& reference) {
    cv::Scalar m, s, mr, sr;
    cv::meanStdDev(luminance, m, s);
    cv::meanStdDev(reference, mr, sr);
    cv::Mat out;
    const double scale = sr[0] / (s[0] + 1e-8);
    luminance.convertTo(out, CV_32F, scale, mr[0] - m[0] * scale);
    return out;
}

cv::Mat withChromaOf(const cv::Mat& luminance, const cv::Mat& colours) {
    // YIQ back to RGB adds Y with weight 1 to every channel, so changing Y alone is adding the
    // change of luminance to each channel.
    cv::Mat change = luminance - luminanceOf(colours);
    cv::Mat out = colours + greyRgb(change);
    cv::min(cv::max(out, 0.0), 1.0, out);
    return out;
}

cv::Mat matchColours(const cv::Mat& painting, const cv::Mat& photo) {
    cv::Mat ms, cs, mc, cc;
    pixelStatistics(painting, ms, cs);
    pixelStatistics(photo, mc, cc);
    const cv::Mat a = symmetricRoot(cc, false) * symmetricRoot(cs, true);
    // out = A (x - ms) + mc = A x + (mc - A ms), as one 3×4 transform.
    const cv::Mat shift = mc - a * ms;
    cv::Mat m(3, 4, CV_64F);
    a.copyTo(m(cv::Rect(0, 0, 3, 3)));
    shift.copyTo(m(cv::Rect(3, 0, 1, 3)));
    cv::Mat out;
    cv::transform(painting, out, m);
    cv::min(cv::max(out, 0.0), 1.0, out);
    return out;
}

}  // namespace inceptionist
