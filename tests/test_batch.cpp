// Batch in the window: a folder of photos dreamed with the current settings, each written
// beside its photo (or into a chosen folder) with its parameters, nothing written over; a photo
// that cannot be read is named and skipped; Cancel stops it, and it goes on from there.

#include <QtTest>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QPushButton>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include "core/io/image_io.h"
#include "core/params/dream_chain.h"
#include "tests/gui_test_support.h"
#include "tests/test_support.h"
#include "ui/model/batch_job.h"
#include "ui/model/sequence_runner.h"
#include "ui/widgets/batch_dialog.h"
#include "ui/widgets/main_window.h"
#include "ui/widgets/message_bar.h"

using namespace inceptionist;
using namespace inceptionist::ui;

namespace {

constexpr int kWaitMs = 240000;

QByteArray digest(const QString& file) {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

// A folder as people have them: two photos, a damaged one, a note, and a dream from before.
struct PhotoFolder {
    QTemporaryDir dir;
    QString a, b, broken, oldDream;
    PhotoFolder() {
        a = dir.filePath("a.jpg");
        b = dir.filePath("b.png");
        broken = dir.filePath("broken.jpg");
        oldDream = dir.filePath("a-dream.png");
        writeImage(a.toStdString(), test::smallPhoto(200));
        cv::Mat flipped;
        cv::flip(test::smallPhoto(160), flipped, 1);
        writeImage(b.toStdString(), flipped);
        QFile whole(a);
        whole.open(QIODevice::ReadOnly);
        QFile cut(broken);
        cut.open(QIODevice::WriteOnly);
        cut.write(whole.readAll().left(600));
        QFile note(dir.filePath("notes.txt"));
        note.open(QIODevice::WriteOnly);
        note.write("not a photo");
        writeImage(oldDream.toStdString(), test::smallPhoto(64));
    }
};

}  // namespace

class BatchTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::isolateSettings(settingsDir_.path()); }

    void init() {
        params_.layers = {{"mixed3", 1.0, {}}};
        params_.octaves = 1;
        params_.steps = 2;
        params_.workingSize = 96;
        window_ = test::sampleWindow(params_);
    }
    void cleanup() { window_.reset(); }

    void photosOfAFolderAndWhereTheirDreamsGo() {
        PhotoFolder folder;
        const QStringList photos = batchPhotos(folder.dir.path());
        QCOMPARE(photos, (QStringList{folder.a, folder.b, folder.broken}));
        BatchRequest r;
        r.photos = photos;
        // a-dream.png is there already: the new one is numbered, never written over.
        QCOMPARE(batchOutputPath(folder.a, r), folder.dir.filePath("a-dream-2.png"));
        QCOMPARE(batchOutputPath(folder.b, r), folder.dir.filePath("b-dream.png"));
        r.outputFolder = "/elsewhere";
        r.format = "jpg";
        QCOMPARE(batchOutputPath(folder.a, r), QString("/elsewhere/a-dream.jpg"));

        BatchDialog dialog(params_, folder.dir.path());
        QVERIFY2(dialog.summary().startsWith("3 photos"), qPrintable(dialog.summary()));
        QVERIFY(dialog.summary().contains("96 px"));
        QCOMPARE(dialog.request().photos, photos);
        dialog.setOutputFolder(folder.dir.filePath("missing"));
        QVERIFY2(dialog.summary().contains("Choose the folder"), qPrintable(dialog.summary()));
        QTemporaryDir empty;
        dialog.setOutputFolder({});
        dialog.setInputFolder(empty.path());
        QVERIFY2(dialog.summary().contains("no photos"), qPrintable(dialog.summary()));
    }

    void batchDreamsEachPhotoAndSkipsTheBrokenOne() {
        PhotoFolder folder;
        const QByteArray aBefore = digest(folder.a), oldBefore = digest(folder.oldDream);
        BatchRequest r;
        r.photos = batchPhotos(folder.dir.path());
        r.params = params_;
        QVERIFY(window_->startBatch(r));
        QSignalSpy finished(window_->batchRunner(), &SequenceRunner::finished);
        QVERIFY(finished.wait(kWaitMs));

        const QString aOut = folder.dir.filePath("a-dream-2.png");
        const QString bOut = folder.dir.filePath("b-dream.png");
        for (const QString& out : {aOut, bOut}) {
            QVERIFY2(QFile::exists(out), qPrintable(out));
            const cv::Mat img = readImage(out.toStdString());
            QCOMPARE(std::max(img.cols, img.rows), 96);
            const DreamChain chain =
                DreamChain::fromJson(nlohmann::json::parse(readImageMetadata(out.toStdString())));
            QCOMPARE(chain.last.steps, 2);
            QCOMPARE(chain.last.layers.front().name, std::string("mixed3"));
        }
        // The dream is of its own photo: closer to it than to the other photo.
        const cv::Mat aDream = readImage(aOut.toStdString());
        cv::Mat aPhoto = resizeLongSide(readImage(folder.a.toStdString()), 96);
        cv::Mat bPhoto = resizeLongSide(readImage(folder.b.toStdString()), 96);
        QVERIFY(test::meanAbsDifference(aDream, aPhoto) < test::meanAbsDifference(aDream, bPhoto));
        // Nothing the person had was changed; the damaged photo is named, with why.
        QCOMPARE(digest(folder.a), aBefore);
        QCOMPARE(digest(folder.oldDream), oldBefore);
        QVERIFY(!QFile::exists(folder.dir.filePath("broken-dream.png")));
        const QString said = window_->messageBar()->text();
        QVERIFY2(said.contains("2 of 3") && said.contains("broken.jpg"), qPrintable(said));
        QVERIFY(!window_->messageBar()->actionButton()->isHidden());  // Show in Folder
    }

    void cancelledBatchGoesOnFromWhereItStopped() {
        PhotoFolder folder;
        QTemporaryDir out;
        BatchRequest r;
        r.photos = {folder.a, folder.b, folder.a};
        r.outputFolder = out.path();
        r.params = params_;
        r.params.steps = 30;  // long enough to be stopped in the middle
        QVERIFY(window_->startBatch(r));
        SequenceRunner* runner = window_->batchRunner();
        QSignalSpy progress(runner, &SequenceRunner::progressChanged);
        QSignalSpy cancelled(runner, &SequenceRunner::cancelled);
        QSignalSpy finished(runner, &SequenceRunner::finished);
        QTRY_VERIFY_WITH_TIMEOUT(runner->job().finishedItems() >= 1, kWaitMs);
        runner->cancel();
        QVERIFY(cancelled.wait(kWaitMs));
        const size_t done = runner->job().finishedItems();
        QVERIFY(done >= 1 && done < 3);
        const QStringList afterCancel = QDir(out.path()).entryList(QDir::Files | QDir::Hidden);
        QCOMPARE(size_t(afterCancel.size()), done);  // finished ones, and no partial file
        runner->start();
        QVERIFY(finished.wait(kWaitMs));
        const QStringList all = QDir(out.path()).entryList(QDir::Files | QDir::Hidden);
        QCOMPARE(all, (QStringList{"a-dream-2.png", "a-dream.png", "b-dream.png"}));
        QVERIFY(progress.count() > 0);
    }

private:
    QTemporaryDir settingsDir_;
    DreamParams params_;
    std::unique_ptr<MainWindow> window_;
};

INCEPTIONIST_GUI_TEST_MAIN(BatchTest)
#include "test_batch.moc"
