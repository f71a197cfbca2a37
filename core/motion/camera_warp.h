#pragma once
// The feedback step of a zoom journey: the dreamed frame, zoomed, rotated and panned about its
// centre, becomes the next frame's start; and a colour hold that keeps hundreds of feedback
// steps from drifting to saturated colour or to grey.

#include <opencv2/core.hpp>

#include "core/motion/keyframes.h"

namespace inceptionist {

// The 2×3 affine matrix of `motion` for an image of `size`: zoom and rotation about the image
// centre, then the pan.
cv::Mat cameraMatrix(cv::Size size, const CameraMotion& motion);

// Warps `rgb` (CV_32FC3 in [0, 1]) by cameraMatrix(): bicubic, so repeated zooms stay sharp,
// clipped to [0, 1]; borders the motion reveals (a zoom out, the corners of a rotation, a pan)
// are filled by reflecting the picture at its edge, which the next dream then works over.
cv::Mat warpCamera(const cv::Mat& rgb, const CameraMotion& motion);

// Per-channel mean and standard deviation of a picture.
struct ColourStats {
    cv::Scalar mean, spread;
};
ColourStats colourStats(const cv::Mat& rgb);

// Moves `rgb`'s channel means and spreads `strength` (0 to 1) of the way to `target`, clipped to
// [0, 1]. Dreaming slowly pushes colours apart and clipping pulls them to grey; holding the
// statistics of the first frame keeps a long journey's look steady.
cv::Mat holdColour(const cv::Mat& rgb, const ColourStats& target, double strength);

// Rounds to the 8 bits per channel a frame file stores, so a frame continued from its file and
// one continued in memory are the same picture.
cv::Mat quantise8(const cv::Mat& rgb);

}  // namespace inceptionist
