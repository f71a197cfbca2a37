#include "ui/widgets/file_task.h"

#include <exception>
#include <memory>

#include <QEventLoop>
#include <QProgressDialog>
#include <QSemaphore>
#include <QThreadPool>

#include "core/params/errors.h"
#include "core/util/thread_handoff.h"

namespace inceptionist::ui {

namespace {

constexpr int kDialogAfterMs = 400;  // shorter work ends without a dialog flashing up

struct RunningTask {
    CancelToken cancel;
};
RunningTask* running = nullptr;  // GUI thread only

// Not Qt's global pool: Qt paints with that one (the raster engine splits large fills and
// scaled images across it and waits for them), so long work there would stall the window's
// painting, the very thing this is for.
QThreadPool& filePool() {
    static QThreadPool* pool = [] {
        auto* p = new QThreadPool;
        p->setMaxThreadCount(1);
        p->setObjectName("file tasks");
        return p;
    }();
    return *pool;
}

}  // namespace

bool fileTaskRunning() { return running != nullptr; }

void cancelFileTask() {
    if (running) running->cancel.cancel();
}

bool runFileTask(QWidget* parent, const QString& label, FileWork work) {
    if (running) return false;
    RunningTask task;
    running = &task;
    QEventLoop loop;
    QProgressDialog dialog(label, QObject::tr("Cancel"), 0, 0, parent);
    dialog.setWindowTitle(QObject::tr("Inceptionist"));
    dialog.setWindowModality(Qt::WindowModal);  // the window repaints, but takes no other work
    dialog.setMinimumDuration(kDialogAfterMs);
    dialog.setAutoClose(false);
    dialog.setAutoReset(false);
    QObject::connect(&dialog, &QProgressDialog::canceled, &dialog, [&dialog, token = task.cancel] {
        token.cancel();
        dialog.setLabelText(QObject::tr("Stopping…"));
    });
    struct Shared {
        std::exception_ptr failure;
        QSemaphore done;
    };
    auto shared = std::make_shared<Shared>();
    // Across threads through Qt's pool, event queue and semaphore, which TSan cannot see: each
    // hand-off says so on `shared` (core/util/thread_handoff.h).
    auto run = [work = std::move(work), token = task.cancel, shared, &loop, &dialog] {
        handoff::acquire(shared.get());
        // Queued to the dialog and the loop, which outlive this: runFileTask waits for `done`.
        const auto progress = [&dialog, channel = shared.get()](double f) {
            const handoff::PostingScope posting(channel);
            QMetaObject::invokeMethod(
                &dialog,
                [&dialog, f, channel] {
                    handoff::acquire(channel);
                    if (dialog.maximum() == 0) dialog.setRange(0, 1000);
                    dialog.setValue(static_cast<int>(f * 1000));
                },
                Qt::QueuedConnection);
        };
        try {
            work(token, progress);
        } catch (...) {
            shared->failure = std::current_exception();
        }
        const handoff::PostingScope posting(shared.get());
        QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection);
        shared->done.release();
    };
    {
        const handoff::PostingScope posting(shared.get());
        filePool().start(std::move(run));
    }
    loop.exec(QEventLoop::AllEvents);
    // At once, unless the application quit the loop early: then the work is asked to stop at its
    // next check rather than run on to its end while this thread waits.
    if (!shared->done.tryAcquire()) {
        task.cancel.cancel();
        shared->done.acquire();
    }
    handoff::acquire(shared.get());
    running = nullptr;
    if (shared->failure) std::rethrow_exception(shared->failure);
    return true;
}

}  // namespace inceptionist::ui
