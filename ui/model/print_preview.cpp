#include "ui/model/print_preview.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "core/render/dreamer.h"
#include "ui/model/image_convert.h"

namespace inceptionist::ui {

PrintPreviewSequence::PrintPreviewSequence(const QImage& screen, const DreamParams& live,
                                           int longSide, PrintLook look) {
    const DreamParams print =
        look == PrintLook::Screen ? detailPass(live, longSide) : printParams(live, longSide);
    params_ = print;
    params_.workingSize = kPrintPreviewSize;  // the same octaves, over the crop alone
    // The middle of the screen picture that becomes kPrintPreviewSize pixels of the print.
    const double scale = double(longSide) / std::max(screen.width(), screen.height());
    const int side = std::max(8, int(std::lround(kPrintPreviewSize / scale)));
    const QRect crop(std::max(0, (screen.width() - side) / 2),
                     std::max(0, (screen.height() - side) / 2), std::min(side, screen.width()),
                     std::min(side, screen.height()));
    cv::Mat part = toMat(screen.copy(crop)), big;
    const double f = double(kPrintPreviewSize) / std::max(part.cols, part.rows);
    cv::resize(part, big, cv::Size(), f, f, cv::INTER_CUBIC);
    enlarged_ = toQImage(big);
}

void PrintPreviewSequence::runItem(size_t, const Network& network, const CancelToken& cancel,
                                   const Progress& progress) {
    DreamCallbacks callbacks;
    callbacks.progress = [&](const DreamProgress& d) {
        progress(workFraction(d, params_.octaveScale), QString());
    };
    const cv::Mat out = dream(network, toMat(enlarged_), params_, callbacks, cancel);
    std::lock_guard<std::mutex> lock(mutex_);
    result_ = toQImage(out);
}

QImage PrintPreviewSequence::result() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return result_;
}

}  // namespace inceptionist::ui
