#include "ui/model/print_job.h"

#include <algorithm>

#include <opencv2/core.hpp>

#include "core/io/image_io.h"
#include "core/params/dream_chain.h"
#include "core/params/errors.h"
#include "core/render/dreamer.h"
#include "core/render/print_plan.h"
#include "ui/model/dream_controller.h"
#include "ui/model/image_convert.h"
#include "ui/model/sequence_job.h"
#include "ui/model/sequence_runner.h"
#include "ui/model/style_run.h"

namespace inceptionist::ui {

// The print's work on the worker thread: item i dreams the i-th dream of the print's plan
// (core/render/print_plan.h: the lineage at print size, or as on screen and then a pass that
// adds detail) on the result of the one before.
class PrintSequence : public SequenceJob {
public:
    explicit PrintSequence(const PrintRequest& r) : request_(r) {
        // Dreams follow the print's look (core/render/print_plan.h). A chain with a style
        // transfer in it: the transfer keeps its parameters (they say its working size) and goes
        // on coarse to fine to the print's size, and each dream gets octaves added.
        const bool styled = r.current.mode == "style" ||
                            std::any_of(r.kept.begin(), r.kept.end(),
                                        [](const DreamParams& k) { return k.mode == "style"; });
        if (!styled) {
            plan_ = printPlan(r.kept, r.current, r.longSide, r.look);
        } else {
            auto plan = [&](const DreamParams& p) {
                return p.mode == "style" ? p : printParams(p, r.longSide);
            };
            for (const auto& k : r.kept) plan_.push_back(plan(k));
            plan_.push_back(plan(r.current));
        }
        for (const auto& p : plan_)
            cost_.push_back(
                p.mode == "style"
                    ? styleMegapixelSteps(p, r.longSide, r.longSide, r.longSide)
                    : estimatePrint(p, p.workingSize, p.workingSize, 1.0).megapixelSteps);
    }

    size_t itemCount() const override { return plan_.size(); }
    double itemCost(size_t item) const override { return cost_.at(item); }
    const DreamParams& itemParams(size_t item) const override { return plan_.at(item); }

    void runItem(size_t item, const Network& network, const CancelToken& cancel,
                 const Progress& progress) override {
        if (image_.empty())
            image_ = request_.originalPath.isEmpty()
                         ? toMat(request_.originalImage)
                         : readImage(request_.originalPath.toStdString());
        const DreamParams& p = plan_.at(item);
        DreamCallbacks callbacks;
        callbacks.progress = [&](const DreamProgress& d) {
            const bool style = p.mode == "style";
            QString label = (style ? PrintJob::tr("Stage %1/%2 · iteration %3/%4")
                                   : PrintJob::tr("Octave %1/%2 · step %3/%4"))
                                .arg(d.octave + 1)
                                .arg(d.octaves)
                                .arg(d.step)
                                .arg(d.steps);
            if (d.tiles > 1) label += PrintJob::tr(" · tile %1/%2").arg(d.tile).arg(d.tiles);
            if (plan_.size() > 1)
                label = PrintJob::tr("Dream %1 of %2 · ").arg(item + 1).arg(plan_.size()) + label;
            progress(progressFraction(d, p), label);
        };
        callbacks.tileDone = callbacks.progress;
        // Kept: a resume starts here.
        image_ = renderStep(network, image_, p, callbacks, cancel, request_.longSide);
    }

    void finish(const CancelToken& cancel) override {
        WriteOptions o;
        o.bitDepth = request_.bits;
        o.jpegQuality = request_.jpegQuality;
        o.dpi = request_.dpi;
        o.metadata = DreamChain{{plan_.begin(), plan_.end() - 1}, plan_.back()}.toJson().dump();
        if (cancel.cancelled()) throw Error(ErrorKind::Cancelled, "print cancelled");
        writeImage(request_.outputPath.toStdString(), image_, o);
    }

private:
    const PrintRequest request_;
    std::vector<DreamParams> plan_;
    std::vector<double> cost_;
    cv::Mat image_;  // the photo, then the result of each finished dream
};

PrintJob::PrintJob(PrintRequest request, DreamController* controller, QObject* parent)
    : QObject(parent),
      request_(std::move(request)),
      sequence_(std::make_shared<PrintSequence>(request_)),
      runner_(new SequenceRunner(sequence_, controller, this)) {
    connect(runner_, &SequenceRunner::progressChanged, this, &PrintJob::progressChanged);
    connect(runner_, &SequenceRunner::finished, this,
            [this] { Q_EMIT finished(request_.outputPath); });
    connect(runner_, &SequenceRunner::failed, this, &PrintJob::failed);
    connect(runner_, &SequenceRunner::cancelled, this, &PrintJob::cancelled);
}

PrintJob::~PrintJob() = default;  // the runner cancels a print still running

bool PrintJob::running() const { return runner_->running(); }
size_t PrintJob::finishedDreams() const { return sequence_->finishedItems(); }
size_t PrintJob::dreams() const { return sequence_->itemCount(); }
void PrintJob::start() { runner_->start(); }
void PrintJob::cancel() { runner_->cancel(); }

}  // namespace inceptionist::ui
