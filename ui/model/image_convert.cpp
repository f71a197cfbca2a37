#include "ui/model/image_convert.h"

#include <opencv2/imgproc.hpp>

namespace inceptionist::ui {

QImage toQImage(const cv::Mat& rgb) {
    CV_Assert(rgb.type() == CV_32FC3);
    QImage out(rgb.cols, rgb.rows, QImage::Format_RGBX64);
    cv::Mat rgba;
    cv::cvtColor(rgb, rgba, cv::COLOR_RGB2RGBA);  // alpha 1.0
    cv::Mat wrapped(out.height(), out.width(), CV_16UC4, out.bits(),
                    static_cast<size_t>(out.bytesPerLine()));
    rgba.convertTo(wrapped, CV_16UC4, 65535.0);
    return out;
}

cv::Mat toMat(const QImage& image) {
    const QImage deep = image.convertToFormat(QImage::Format_RGBX64);
    cv::Mat wrapped(deep.height(), deep.width(), CV_16UC4, const_cast<uchar*>(deep.constBits()),
                    static_cast<size_t>(deep.bytesPerLine()));
    cv::Mat rgb16, out;
    cv::cvtColor(wrapped, rgb16, cv::COLOR_RGBA2RGB);
    rgb16.convertTo(out, CV_32FC3, 1.0 / 65535.0);
    return out;
}

}  // namespace inceptionist::ui
