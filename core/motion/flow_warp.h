#pragma once
// Optical flow between neighbouring video frames (OpenCV's DIS), warping a picture along it, and
// the forward/backward check that says where the flow can be trusted.

#include <opencv2/core.hpp>
#include <opencv2/video/tracking.hpp>

namespace inceptionist {

class FlowEstimator {
public:
    FlowEstimator();
    // Flow from `to` back to `from` (CV_32FC3 RGB in [0, 1], the same size): for each pixel of
    // `to`, the offset (CV_32FC2, in pixels) to where it was in `from`.
    cv::Mat flow(const cv::Mat& to, const cv::Mat& from);

private:
    cv::Ptr<cv::DISOpticalFlow> dis_;
};

// `image` moved along `flow` (from flow(to, from)): each pixel of the result takes the value of
// `image` where flow points; edges are replicated.
cv::Mat warpByFlow(const cv::Mat& image, const cv::Mat& flow);

// Where flow can be trusted (CV_32F, 1 reliable, 0 not, softened at the edges): following
// `backward` (current → previous) and then `forward` (previous → current) must come back to
// within `tolerance` pixels plus a share of the motion. Occlusions and pixels that leave the
// frame fail it.
cv::Mat flowReliability(const cv::Mat& backward, const cv::Mat& forward, double tolerance = 1.0);

// The temporal coherence of a clip: the mean absolute difference (in [0, 1] units) between each
// output frame and the previous output frame moved along `flow` (flow(input t, input t-1)).
double coherenceStep(const cv::Mat& output, const cv::Mat& previousOutput, const cv::Mat& flow);

}  // namespace inceptionist
