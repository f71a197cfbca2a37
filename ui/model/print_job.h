#pragma once
// Rendering a print in the background: the document's original photo at full resolution, its
// kept dreams replayed at print size, then the current dream, written atomically to a file.
//
// Threading: a PrintJob runs on a thread of its own with its own copy of the network, so the
// window and its live dreams carry on; cancel() may be called from any thread.

#include <QImage>
#include <QObject>
#include <QThread>

#include "core/params/dream_params.h"
#include "core/render/dreamer.h"

namespace inceptionist::ui {

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
    QString modelsDir;
};

class PrintJob : public QObject {
    Q_OBJECT
public:
    explicit PrintJob(PrintRequest request, QObject* parent = nullptr);
    ~PrintJob() override;

    void start();
    void cancel() { token_.cancel(); }
    bool running() const { return thread_ && thread_->isRunning(); }

Q_SIGNALS:
    // fraction of the whole print; label says where it is ("dream 2 of 2, octave 5/11 ...")
    void progressChanged(double fraction, QString label, double secondsLeft);
    void finished(QString path);
    void failed(QString message);
    void cancelled();

private:
    void run();

    PrintRequest request_;
    CancelToken token_;
    QThread* thread_ = nullptr;
};

}  // namespace inceptionist::ui
