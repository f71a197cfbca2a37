#pragma once
// Decoding a photo and encoding an export take seconds at print sizes; the window must not
// freeze meanwhile. runFileTask() runs the work on a thread of its own pool while the
// calling (GUI) thread's event loop keeps running, so the window repaints and answers; after a
// moment it shows a progress dialog with Cancel. It returns when the work has ended and
// rethrows what the work threw.
//
// Cancel trips the token the work is given: the work stops at its next check (an encoder before
// its file is renamed into place, so nothing is written) and runFileTask throws
// Error(Cancelled). The work must own what it uses (capture by value): it runs on another thread.

#include <functional>

#include <QString>

#include "core/params/cancel_token.h"

class QWidget;

namespace inceptionist::ui {

using FileWork =
    std::function<void(const CancelToken& cancel, const std::function<void(double)>& progress)>;

// `label` is the dialog's text ("Opening photo.tif…"). Returns false without running `work`
// when another file task of this thread is still running (a nested one from the event loop).
bool runFileTask(QWidget* parent, const QString& label, FileWork work);

// A file task is running on this thread: the caller is inside runFileTask's event loop.
bool fileTaskRunning();
// Cancels the running file task, if any (closing the window does this).
void cancelFileTask();

}  // namespace inceptionist::ui
