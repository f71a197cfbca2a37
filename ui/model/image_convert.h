#pragma once
// Conversions between the engine's images (cv::Mat CV_32FC3, RGB, [0, 1]) and Qt's. The window
// keeps its document in 16 bits per channel so a kept dream loses nothing visible and 16-bit
// exports are real.

#include <QImage>

#include <opencv2/core.hpp>

namespace inceptionist::ui {

QImage toQImage(const cv::Mat& rgb);  // RGBX64 (16 bits per channel), a deep copy
cv::Mat toMat(const QImage& image);   // any QImage format to CV_32FC3 RGB

}  // namespace inceptionist::ui
