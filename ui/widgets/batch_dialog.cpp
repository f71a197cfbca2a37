#include "ui/widgets/batch_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>

namespace inceptionist::ui {

namespace {

struct Format {
    const char* label;
    const char* extension;
    int bits;
};
const Format kFormats[] = {{"PNG, 8 bits", "png", 8},
                           {"PNG, 16 bits", "png", 16},
                           {"JPEG", "jpg", 8},
                           {"TIFF, 16 bits", "tif", 16}};

// A line edit with a Browse… button that picks a folder.
QWidget* folderRow(QLineEdit* edit, QWidget* parent, const QString& title) {
    auto* row = new QWidget(parent);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    auto* browse = new QPushButton(QObject::tr("Browse…"), row);
    layout->addWidget(browse);
    QObject::connect(browse, &QPushButton::clicked, row, [edit, row, title] {
        const QString dir = QFileDialog::getExistingDirectory(row, title, edit->text());
        if (!dir.isEmpty()) edit->setText(dir);
    });
    return row;
}

}  // namespace

BatchDialog::BatchDialog(const DreamParams& params, const QString& startFolder, QWidget* parent)
    : QDialog(parent), params_(params) {
    setWindowTitle(tr("Batch Dream Folder"));
    input_ = new QLineEdit(startFolder, this);
    input_->setObjectName("batchInput");
    beside_ = new QRadioButton(tr("Beside each photo"), this);
    into_ = new QRadioButton(tr("Into a folder:"), this);
    beside_->setChecked(true);
    output_ = new QLineEdit(this);
    output_->setObjectName("batchOutput");
    output_->setEnabled(false);
    format_ = new QComboBox(this);
    for (const Format& f : kFormats) format_->addItem(tr(f.label));
    size_ = new QComboBox(this);
    size_->addItem(tr("Working size, %1 px on the long side").arg(params.workingSize));
    size_->addItem(tr("Each photo's own size, rendered as a print (slower)"));
    summary_ = new QLabel(this);
    summary_->setObjectName("batchSummary");
    summary_->setWordWrap(true);
    buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons_->button(QDialogButtonBox::Ok)->setText(tr("Dream Them"));
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* where = new QWidget(this);
    auto* whereLayout = new QVBoxLayout(where);
    whereLayout->setContentsMargins(0, 0, 0, 0);
    whereLayout->addWidget(beside_);
    auto* intoRow = new QHBoxLayout;
    intoRow->addWidget(into_);
    intoRow->addWidget(folderRow(output_, this, tr("Write the dreams into")), 1);
    whereLayout->addLayout(intoRow);

    auto* form = new QFormLayout(this);
    form->addRow(tr("Photos in:"), folderRow(input_, this, tr("Folder of photos")));
    form->addRow(tr("Write:"), where);
    form->addRow(tr("As:"), format_);
    form->addRow(tr("Size:"), size_);
    form->addRow(summary_);
    form->addRow(buttons_);

    connect(input_, &QLineEdit::textChanged, this, &BatchDialog::refresh);
    connect(output_, &QLineEdit::textChanged, this, &BatchDialog::refresh);
    connect(into_, &QRadioButton::toggled, output_, &QWidget::setEnabled);
    connect(into_, &QRadioButton::toggled, this, &BatchDialog::refresh);
    connect(format_, &QComboBox::currentIndexChanged, this, &BatchDialog::refresh);
    connect(size_, &QComboBox::currentIndexChanged, this, &BatchDialog::refresh);
    resize(600, sizeHint().height());
    refresh();
}

void BatchDialog::setInputFolder(const QString& folder) { input_->setText(folder); }

void BatchDialog::setOutputFolder(const QString& folder) {
    into_->setChecked(!folder.isEmpty());
    beside_->setChecked(folder.isEmpty());
    output_->setText(folder);
}

BatchRequest BatchDialog::request() const {
    BatchRequest r;
    r.photos = batchPhotos(input_->text());
    r.outputFolder = into_->isChecked() ? output_->text() : QString();
    const Format& f = kFormats[std::max(0, format_->currentIndex())];
    r.format = f.extension;
    r.bits = f.bits;
    r.params = params_;
    r.photoSize = size_->currentIndex() == 1;
    return r;
}

QString BatchDialog::summary() const { return summary_->text(); }

void BatchDialog::refresh() {
    const BatchRequest r = request();
    QString problem;
    if (!QFileInfo(input_->text()).isDir())
        problem = tr("Choose the folder that holds the photos.");
    else if (r.photos.isEmpty())
        problem = tr("%1 holds no photos (JPEG, PNG, TIFF, WebP or BMP).").arg(input_->text());
    else if (into_->isChecked() && !QFileInfo(output_->text()).isDir())
        problem = tr("Choose the folder the dreams go into.");
    else if (into_->isChecked() && !QFileInfo(output_->text()).isWritable())
        problem = tr("%1 cannot be written to.").arg(output_->text());
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
    if (!problem.isEmpty()) {
        summary_->setText(problem);
        return;
    }
    const QString where =
        r.outputFolder.isEmpty() ? tr("beside them") : tr("into %1").arg(r.outputFolder);
    const QString size =
        r.photoSize ? tr("at each photo's own size") : tr("at %1 px").arg(r.params.workingSize);
    const int n = int(r.photos.size());
    summary_->setText((n == 1 ? tr("1 photo") : tr("%1 photos").arg(n)) +
                      tr(", dreamed %1 and written %2 as %3 (the photos themselves are never "
                         "changed).")
                          .arg(size, where, format_->currentText()));
}

}  // namespace inceptionist::ui
