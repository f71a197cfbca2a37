#pragma once
// The print dialog's preview: a crop of the print at 100 %, rendered in seconds before the print
// itself. The middle of the picture on screen is enlarged to print scale and given the pass
// that the print's look adds at that scale (core/render/print_plan.h): the detail pass for
// "as on screen", the print-size octaves for "add detail" (there an approximation: the print
// itself dreams those octaves over the whole picture, from the photo).

#include <mutex>

#include <QImage>

#include "core/render/print_plan.h"
#include "ui/model/sequence_job.h"

namespace inceptionist::ui {

constexpr int kPrintPreviewSize = 320;  // pixels of the print shown, each side

class PrintPreviewSequence : public SequenceJob {
public:
    // `screen`: the picture approved on screen (the dream, or the image); `live`: the parameters
    // that made it; `longSide`: the print's size.
    PrintPreviewSequence(const QImage& screen, const DreamParams& live, int longSide,
                         PrintLook look);

    size_t itemCount() const override { return 1; }
    double itemCost(size_t) const override { return 1; }
    const DreamParams& itemParams(size_t) const override { return params_; }
    void runItem(size_t item, const Network& network, const CancelToken& cancel,
                 const Progress& progress) override;
    void finish(const CancelToken&) override {}

    // The crop as the print will have it; null until the job has finished.
    QImage result() const;
    // The same crop of the screen picture, only enlarged: what the preview adds to.
    const QImage& enlarged() const { return enlarged_; }

private:
    DreamParams params_;
    QImage enlarged_;
    mutable std::mutex mutex_;
    QImage result_;
};

}  // namespace inceptionist::ui
