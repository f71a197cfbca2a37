#include "ui/model/print_job.h"

#include <QElapsedTimer>

#include "core/engine/network.h"
#include "core/io/image_io.h"
#include "core/model/model_store.h"
#include "core/params/errors.h"
#include "core/render/print_plan.h"
#include "ui/model/image_convert.h"

namespace inceptionist::ui {

PrintJob::PrintJob(PrintRequest request, QObject* parent)
    : QObject(parent), request_(std::move(request)) {}

PrintJob::~PrintJob() {
    if (thread_) {
        token_.cancel();
        thread_->wait();  // stops within one tile
    }
}

void PrintJob::start() {
    thread_ = QThread::create([this] { run(); });
    thread_->setObjectName("print");
    thread_->setParent(this);
    thread_->start();
}

void PrintJob::run() {
    try {
        // Every dream of the lineage at print size; each one's share of the work by its cost.
        std::vector<DreamParams> plan;
        for (const auto& k : request_.kept) plan.push_back(printParams(k, request_.longSide));
        plan.push_back(printParams(request_.current, request_.longSide));
        std::vector<double> cost;
        double total = 0;
        for (const auto& p : plan) {
            cost.push_back(
                estimatePrint(p, request_.longSide, request_.longSide, 1.0).megapixelSteps);
            total += cost.back();
        }

        cv::Mat image = request_.originalPath.isEmpty()
                            ? toMat(request_.originalImage)
                            : readImage(request_.originalPath.toStdString());
        std::shared_ptr<Network> net;
        std::string netKey;
        QElapsedTimer clock;
        clock.start();
        double doneBefore = 0;
        for (size_t i = 0; i < plan.size(); ++i) {
            const DreamParams& p = plan[i];
            if (!net || netKey != p.model + "@" + p.device) {
                net.reset();
                net = Network::load(
                    modelPath(modelsDirectory(request_.modelsDir.toStdString()), p.model),
                    p.device);
                netKey = p.model + "@" + p.device;
            }
            DreamCallbacks callbacks;
            callbacks.progress = [&, i](const DreamProgress& d) {
                const double f = (doneBefore + cost[i] * workFraction(d, p.octaveScale)) / total;
                const double elapsed = clock.elapsed() / 1000.0;
                QString label = tr("Octave %1/%2 · step %3/%4")
                                    .arg(d.octave + 1)
                                    .arg(d.octaves)
                                    .arg(d.step)
                                    .arg(d.steps);
                if (d.tiles > 1) label += tr(" · tile %1/%2").arg(d.tile).arg(d.tiles);
                if (plan.size() > 1)
                    label = tr("Dream %1 of %2 · ").arg(i + 1).arg(plan.size()) + label;
                Q_EMIT progressChanged(f, label, f > 0.01 ? elapsed * (1 - f) / f : -1);
            };
            callbacks.tileDone = callbacks.progress;
            image = dream(*net, image, p, callbacks, token_);
            doneBefore += cost[i];
        }
        Q_EMIT progressChanged(1.0, tr("Writing %1").arg(request_.outputPath), 0);
        WriteOptions o;
        o.bitDepth = request_.bits;
        o.jpegQuality = request_.jpegQuality;
        o.dpi = request_.dpi;
        o.metadata = plan.back().toJson().dump();
        if (token_.cancelled()) throw Error(ErrorKind::Cancelled, "print cancelled");
        writeImage(request_.outputPath.toStdString(), image, o);
        Q_EMIT finished(request_.outputPath);
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::Cancelled)
            Q_EMIT cancelled();
        else
            Q_EMIT failed(QString::fromUtf8(e.what()));
    } catch (const std::exception& e) {
        Q_EMIT failed(QString::fromUtf8(e.what()));
    }
}

}  // namespace inceptionist::ui
