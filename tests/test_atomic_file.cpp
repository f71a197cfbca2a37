// One atomic write path for every file: on a real full disk (a small tmpfs mounted for the
// test; root only, skipped otherwise) a write that does not fit fails with the file's name and
// the reason, the good file it would have replaced keeps every byte, and nothing is left beside
// it. The command line's own test does the same with a file size limit (test_cli).

#include <QtTest>

#include <cerrno>
#include <filesystem>
#include <fstream>

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/io/atomic_file.h"
#include "core/io/image_io.h"
#include "core/params/errors.h"

using namespace inceptionist;
namespace fs = std::filesystem;

namespace {

constexpr int kDiskBytes = 1 << 20;

cv::Mat noiseImage(int w, int h) {
    cv::Mat img(h, w, CV_32FC3);
    cv::RNG rng(7);  // the same pixels every time: the same file size
    rng.fill(img, cv::RNG::UNIFORM, 0.f, 1.f);  // does not compress: large for its pixels
    return img;
}

QByteArray contents(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList entries(const QString& dir) {
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

// Fills the disk under `dir` with a file, then frees `leave` bytes of it (rounded to pages).
void fillDisk(const QString& dir, qint64 leave) {
    const std::string filler = (dir + "/filler").toStdString();
    const int fd = ::open(filler.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    QVERIFY(fd >= 0);
    std::vector<char> block(4096, 'x');
    qint64 size = 0;
    for (;;) {
        const ssize_t n = ::write(fd, block.data(), block.size());
        if (n <= 0) break;
        size += n;
    }
    QVERIFY(size > 0 || leave == 0);
    QCOMPARE(::ftruncate(fd, std::max<qint64>(0, size - leave)), 0);
    ::close(fd);
}

}  // namespace

class AtomicFileTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() {
        disk_ = std::make_unique<QTemporaryDir>();
        if (::geteuid() != 0 || ::mount("tmpfs", disk_->path().toLocal8Bit().constData(), "tmpfs",
                                        0, ("size=" + std::to_string(kDiskBytes)).c_str()) != 0)
            QSKIP("needs root to mount a small tmpfs as a full disk");
        mounted_ = true;
    }

    void cleanup() {
        if (mounted_) ::umount2(disk_->path().toLocal8Bit().constData(), MNT_DETACH);
        mounted_ = false;
        disk_.reset();
    }

    void fullDiskNeverReplacesAGoodFile_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<double>("freeShare");  // of what the new file needs
        for (const char* name : {"a.png", "a.jpg", "a.tif", "preset.json"})
            for (double share : {0.0, 0.5, 0.9})
                QTest::addRow("%s, %d %% of the space it needs", name, int(share * 100))
                    << QString(name) << share;
    }

    void fullDiskNeverReplacesAGoodFile() {
        QFETCH(QString, name);
        QFETCH(double, freeShare);
        const QString path = disk_->filePath(name);
        const bool json = name.endsWith(".json");
        WriteOptions o;
        o.bitDepth = name.endsWith(".jpg") ? 8 : 16;
        o.metadata = R"({"schema": "inceptionist.dream/2"})";
        auto write = [&](int w, int h) {
            if (json) {
                const std::string text = "{\"name\": \"" + std::string(size_t(w) * h, 'p') + "\"}";
                writeFileAtomically(path.toStdString(), {text.begin(), text.end()});
            } else {
                writeImage(path.toStdString(), noiseImage(w, h), o);
            }
        };
        write(64, 48);
        const QByteArray good = contents(path);
        QVERIFY(good.size() > 100);

        // What the new file needs: measured by writing it once beside, then removed.
        QVERIFY(QFile::rename(path, disk_->filePath("good.keep")));
        write(300, 200);
        const qint64 needed = QFileInfo(path).size();
        QVERIFY(QFile::remove(path));
        QVERIFY(QFile::rename(disk_->filePath("good.keep"), path));
        QVERIFY2(needed > 32 * 1024 && needed < kDiskBytes / 2,
                 qPrintable(QString::number(needed)));

        fillDisk(disk_->path(), qint64(needed * freeShare));
        try {
            write(300, 200);
            QFAIL("a file larger than the free space was written");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Output);
            QVERIFY2(QString(e.what()).contains(path) &&
                         QString(e.what()).contains("No space left on device"),
                     e.what());
        }
        QVERIFY(contents(path) == good);
        QStringList expected{name, "filler"};  // no temporary file is left beside it
        expected.sort();
        QCOMPARE(entries(disk_->path()), expected);

        // With the space back, the same write replaces it whole.
        QVERIFY(QFile::remove(disk_->filePath("filler")));
        write(300, 200);
        QCOMPARE(QFileInfo(path).size(), needed);
    }

    // A replaced file keeps its permissions (a private preset stays private).
    void replacedFileKeepsItsPermissions() {
        const QString path = disk_->filePath("mine.json");
        writeFileAtomically(path.toStdString(), {'{', '}'});
        QCOMPARE(::chmod(path.toLocal8Bit().constData(), 0600), 0);
        writeFileAtomically(path.toStdString(), {'[', ']'});
        struct stat st {};
        QCOMPARE(::stat(path.toLocal8Bit().constData(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0600);
        QCOMPARE(contents(path), QByteArray("[]"));
    }

private:
    std::unique_ptr<QTemporaryDir> disk_;
    bool mounted_ = false;
};

QTEST_GUILESS_MAIN(AtomicFileTest)
#include "test_atomic_file.moc"
