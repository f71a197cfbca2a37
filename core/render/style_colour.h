#pragma once
// Colour handling of a style transfer (Gatys et al., "Preserving Color in Neural Artistic Style
// Transfer", 2016): the two ways of keeping the photo's colours. Images are CV_32FC3 RGB in
// [0, 1]; luminance is CV_32FC1.

#include <opencv2/core.hpp>

namespace inceptionist {

// Y of YIQ (Rec. 601 weights).
cv::Mat luminanceOf(const cv::Mat& rgb);
// A luminance as a grey RGB image (Y in every channel).
cv::Mat greyRgb(const cv::Mat& luminance);
// `luminance` shifted and scaled to the mean and standard deviation of `reference`'s.
cv::Mat matchLuminance(const cv::Mat& luminance, const cv::Mat& reference);
// The picture with luminance `luminance` and the chroma (I and Q of YIQ) of `colours`
// (same size), clipped to [0, 1].
cv::Mat withChromaOf(const cv::Mat& luminance, const cv::Mat& colours);
// `painting` recoloured by the affine map that gives its pixels the mean and covariance of
// `photo`'s (the symmetric-square-root form), clipped to [0, 1].
cv::Mat matchColours(const cv::Mat& painting, const cv::Mat& photo);

}  // namespace inceptionist
