#pragma once
// Rendering a print in the background: the document's original photo at full resolution, its
// kept dreams replayed at print size, then the current dream, written atomically to a file.
//
// The print is a sequence job on the dream worker, one item per dream: it uses the worker's
// cached networks instead of loading a copy, gives way to the canvas's dreams (a dream stopped
// for one starts again from its beginning, the dreams finished before it are kept), and never
// makes the GUI thread wait. cancel() stops it within one step; no file is written.
//
// Threading: a PrintJob lives on the GUI thread; the work it queues keeps what it needs, so the
// PrintJob may be deleted while its work still runs (it is cancelled then).

#include <memory>

#include <QImage>
#include <QObject>

#include "core/params/dream_params.h"
#include "core/render/print_plan.h"

namespace inceptionist::ui {

class DreamController;
class PrintSequence;

struct PrintRequest {
    QString originalPath;           // the photo as opened; empty for a pasted image
    QImage originalImage;           // used when there is no path
    std::vector<DreamParams> kept;  // dreams kept on the way, oldest first, at their live settings
    DreamParams current;            // the dream being printed, at its live settings
    int longSide = 0;               // print size
    QString outputPath;
    int bits = 16;
    int jpegQuality = 95;
    double dpi = 0;
    PrintLook look = PrintLook::Screen;
};

class PrintJob : public QObject {
    Q_OBJECT
public:
    PrintJob(PrintRequest request, DreamController* controller, QObject* parent = nullptr);
    ~PrintJob() override;

    // Queues the print on the controller's worker; after a cancel, goes on from the last dream
    // that was finished.
    void start();
    void cancel();
    bool running() const;
    // Dreams of the print done so far, and in all.
    size_t finishedDreams() const;
    size_t dreams() const;

Q_SIGNALS:
    // fraction of the whole print; label says where it is ("Dream 2 of 2 · octave 5/11 ...")
    void progressChanged(double fraction, QString label, double secondsLeft);
    void finished(QString path);
    void failed(QString message);
    void cancelled();

private:
    PrintRequest request_;
    std::shared_ptr<PrintSequence> sequence_;
    class SequenceRunner* runner_;
};

}  // namespace inceptionist::ui
