#pragma once
// The progress window of a long job the window runs in the background (a print, a batch): not
// modal, so the window stays usable; its Cancel and its close button cancel the job; it shows
// the job's progress with the time left. The job ends by calling closeJobProgress(), which is
// safe after the person has closed the window (it deletes itself on close).

#include <QPointer>
#include <QProgressDialog>
#include <QString>

namespace inceptionist::ui {

// "12 s left", "3 min 5 s left"; empty for a negative (unknown) time.
QString formatSecondsLeft(double seconds);

// A self-deleting progress window titled `title` with `text`, not shown and not connected yet.
QPointer<QProgressDialog> makeJobProgress(QWidget* parent, const QString& text,
                                          const QString& title);
// Shows `fraction` of the job done, its `label` and the time left (negative: unknown).
void setJobProgress(QProgressDialog* dialog, double fraction, const QString& label,
                    double secondsLeft);
void closeJobProgress(const QPointer<QProgressDialog>& dialog);

// A progress window wired to `job`, which has a cancel() slot and a
// progressChanged(double fraction, QString label, double secondsLeft) signal.
template <typename Job>
QPointer<QProgressDialog> showJobProgress(QWidget* parent, Job* job, const QString& text,
                                          const QString& title) {
    QPointer<QProgressDialog> dialog = makeJobProgress(parent, text, title);
    QObject::connect(dialog, &QProgressDialog::canceled, job, &Job::cancel);
    QObject::connect(job, &Job::progressChanged, dialog,
                     [d = dialog.data()](double f, const QString& label, double left) {
                         setJobProgress(d, f, label, left);
                     });
    return dialog;
}

}  // namespace inceptionist::ui
