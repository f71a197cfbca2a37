#include "ui/widgets/job_progress.h"

#include <cmath>

namespace inceptionist::ui {

namespace {
constexpr int kSteps = 1000;  // the bar's resolution: a tenth of a percent
}

QString formatSecondsLeft(double s) {
    if (s < 0) return {};
    if (s < 60) return QObject::tr("%1 s left").arg(static_cast<int>(std::ceil(s)));
    return QObject::tr("%1 min %2 s left")
        .arg(static_cast<int>(s) / 60)
        .arg(static_cast<int>(s) % 60);
}

QPointer<QProgressDialog> makeJobProgress(QWidget* parent, const QString& text,
                                          const QString& title) {
    auto* dialog = new QProgressDialog(text, QObject::tr("Cancel"), 0, kSteps, parent);
    dialog->setWindowTitle(title);
    dialog->setWindowModality(Qt::NonModal);  // the window stays usable
    dialog->setMinimumDuration(0);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // The job says when it ends: a bar at 100 % must not close or reset the window on its own.
    dialog->setAutoClose(false);
    dialog->setAutoReset(false);
    return dialog;
}

void setJobProgress(QProgressDialog* dialog, double fraction, const QString& label,
                    double secondsLeft) {
    dialog->setValue(static_cast<int>(fraction * kSteps));
    dialog->setLabelText(secondsLeft >= 0 ? label + "\n" + formatSecondsLeft(secondsLeft) : label);
}

void closeJobProgress(const QPointer<QProgressDialog>& dialog) {
    // Its close button cancels the job (QProgressDialog emits canceled) and deletes it: the job's
    // last signal comes after that, so it must not reach a window that is gone.
    if (dialog) dialog->close();
}

}  // namespace inceptionist::ui
