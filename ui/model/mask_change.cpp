#include "ui/model/mask_change.h"

#include <opencv2/core.hpp>

#include "core/params/dream_mask.h"
#include "ui/model/document.h"
#include "ui/model/undo_archive.h"

namespace inceptionist::ui {

MaskChangeCommand::MaskChangeCommand(Document* doc, DreamParams before, DreamParams after,
                                     const QString& text)
    : QUndoCommand(text), doc_(doc), before_(std::move(before)), after_(std::move(after)) {}

void MaskChangeCommand::undo() { doc_->applyParams(before_); }
void MaskChangeCommand::redo() { doc_->applyParams(after_); }

std::function<nlohmann::json(HistoryParams&)> MaskChangeCommand::saved(HistoryImages&) const {
    return [text = text().toStdString(), before = before_,
            after = after_](HistoryParams& params) -> nlohmann::json {
        return {{"text", text}, {"before", params.add(before)}, {"after", params.add(after)}};
    };
}

std::unique_ptr<MaskChangeCommand> MaskChangeCommand::fromJson(Document* doc,
                                                               const nlohmann::json& j,
                                                               RestoredHistory& history) {
    return std::make_unique<MaskChangeCommand>(
        doc, history.params(j.at("before")), history.params(j.at("after")),
        QString::fromStdString(j.at("text").get<std::string>()));
}

std::string maskText(const QImage& grey) {
    if (grey.isNull()) return {};
    const QImage g = grey.convertToFormat(QImage::Format_Grayscale8);
    const cv::Mat view(g.height(), g.width(), CV_8UC1, const_cast<uchar*>(g.constBits()),
                       static_cast<size_t>(g.bytesPerLine()));
    return encodeMask(view);
}

QImage maskImage(const std::string& text) {
    const cv::Mat mask = decodeMask(text);
    if (mask.empty()) return {};
    cv::Mat grey;
    mask.convertTo(grey, CV_8U, 255.0);
    QImage out(grey.cols, grey.rows, QImage::Format_Grayscale8);
    for (int y = 0; y < grey.rows; ++y) std::copy_n(grey.ptr<uchar>(y), grey.cols, out.scanLine(y));
    return out;
}

}  // namespace inceptionist::ui
