#include "core/motion/flow_warp.h"

#include <opencv2/imgproc.hpp>

namespace inceptionist {

namespace {

cv::Mat grey8(const cv::Mat& rgb) {
    cv::Mat grey, bytes;
    cv::cvtColor(rgb, grey, cv::COLOR_RGB2GRAY);
    grey.convertTo(bytes, CV_8U, 255.0);
    return bytes;
}

// Absolute sampling positions: pixel (x, y) + flow.
cv::Mat sampleMap(const cv::Mat& flow) {
    cv::Mat map(flow.size(), CV_32FC2);
    for (int y = 0; y < flow.rows; ++y) {
        const cv::Vec2f* f = flow.ptr<cv::Vec2f>(y);
        cv::Vec2f* m = map.ptr<cv::Vec2f>(y);
        for (int x = 0; x < flow.cols; ++x) m[x] = cv::Vec2f(x + f[x][0], y + f[x][1]);
    }
    return map;
}

}  // namespace

FlowEstimator::FlowEstimator()
    : dis_(cv::DISOpticalFlow::create(cv::DISOpticalFlow::PRESET_FAST)) {}

cv::Mat FlowEstimator::flow(const cv::Mat& to, const cv::Mat& from) {
    CV_Assert(to.size() == from.size());
    cv::Mat flow;
    dis_->calc(grey8(to), grey8(from), flow);
    return flow;
}

cv::Mat warpByFlow(const cv::Mat& image, const cv::Mat& flow) {
    cv::Mat out;
    cv::remap(image, out, sampleMap(flow), cv::noArray(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    return out;
}

cv::Mat flowReliability(const cv::Mat& backward, const cv::Mat& forward, double tolerance) {
    // The forward flow, read at the place each pixel came from.
    const cv::Mat forwardThere = warpByFlow(forward, backward);
    cv::Mat mask(backward.size(), CV_32F);
    for (int y = 0; y < backward.rows; ++y) {
        const cv::Vec2f* b = backward.ptr<cv::Vec2f>(y);
        const cv::Vec2f* f = forwardThere.ptr<cv::Vec2f>(y);
        float* m = mask.ptr<float>(y);
        for (int x = 0; x < backward.cols; ++x) {
            const cv::Vec2f round = b[x] + f[x];  // back and forth: zero where consistent
            const float motion = b[x].dot(b[x]) + f[x].dot(f[x]);
            const float sx = x + b[x][0], sy = y + b[x][1];
            const bool inside =
                sx >= 0 && sy >= 0 && sx <= backward.cols - 1 && sy <= backward.rows - 1;
            m[x] = inside && round.dot(round) <= 0.01f * motion + tolerance * tolerance ? 1.f : 0.f;
        }
    }
    cv::GaussianBlur(mask, mask, cv::Size(5, 5), 0);  // no hard seams where the blend switches
    return mask;
}

double coherenceStep(const cv::Mat& output, const cv::Mat& previousOutput, const cv::Mat& flow) {
    cv::Mat diff;
    cv::absdiff(output, warpByFlow(previousOutput, flow), diff);
    const cv::Scalar m = cv::mean(diff);
    return (m[0] + m[1] + m[2]) / 3.0;
}

}  // namespace inceptionist
