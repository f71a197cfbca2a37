#pragma once
// File > Batch Dream Folder…: which folder of photos, where the dreams go (beside each photo or
// into a folder), the file type, and the size (the working size, or each photo's own size as a
// print); it counts the photos it found before anything starts.

#include <QDialog>

#include "ui/model/batch_job.h"

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QRadioButton;

namespace inceptionist::ui {

class BatchDialog : public QDialog {
    Q_OBJECT
public:
    // `params`: the window's current parameters, which every photo is dreamed with.
    BatchDialog(const DreamParams& params, const QString& startFolder, QWidget* parent = nullptr);

    void setInputFolder(const QString& folder);
    void setOutputFolder(const QString& folder);  // empty: beside each photo
    // The batch as set up now (its photo list read from the folder).
    BatchRequest request() const;
    QString summary() const;  // "12 photos, written beside them as PNG at 512 px"

private:
    void refresh();

    DreamParams params_;
    QLineEdit* input_;
    QRadioButton* beside_;
    QRadioButton* into_;
    QLineEdit* output_;
    QComboBox* format_;
    QComboBox* size_;
    QLabel* summary_;
    QDialogButtonBox* buttons_;
};

}  // namespace inceptionist::ui
