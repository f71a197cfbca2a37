// Reading and writing images: formats and bit depths round-trip, metadata survives, bad files
// give an Error(Input) naming the file, and failed writes leave nothing behind.

#include <QtTest>

#include <filesystem>
#include <fstream>

#include <opencv2/imgcodecs.hpp>

#include "core/io/image_header.h"
#include "core/io/image_io.h"
#include "core/params/errors.h"
#include "tests/test_support.h"

using namespace inceptionist;
namespace fs = std::filesystem;

namespace {

cv::Mat gradientImage() {
    cv::Mat img(48, 64, CV_32FC3);
    for (int y = 0; y < img.rows; ++y)
        for (int x = 0; x < img.cols; ++x)
            img.at<cv::Vec3f>(y, x) = {x / 63.f, y / 47.f, (x + y) / 110.f};
    return img;
}

QString inputError(const std::string& path) {
    try {
        readImage(path);
    } catch (const Error& e) {
        return e.kind() == ErrorKind::Input ? QString::fromUtf8(e.what()) : QString("wrong kind");
    }
    return "read";
}

std::vector<std::string> folderEntries(const QString& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir.toStdString()))
        names.push_back(e.path().filename().string());
    return names;
}

// Rewrites the width and height in an image file's header (PNG, JPEG, little-endian TIFF,
// BMP, binary PPM), leaving the pixel data as it was.
bool claim(std::vector<unsigned char>& b, uint32_t w, uint32_t h) {
    auto be = [&](size_t at, uint32_t v, int n) {
        for (int i = 0; i < n; ++i) b[at + i] = (v >> (8 * (n - 1 - i))) & 0xFF;
    };
    auto le = [&](size_t at, uint32_t v, int n) {
        for (int i = 0; i < n; ++i) b[at + i] = (v >> (8 * i)) & 0xFF;
    };
    if (b[0] == 0x89) {  // PNG: IHDR
        be(16, w, 4);
        be(20, h, 4);
        return true;
    }
    if (b[0] == 0xFF) {  // JPEG: the baseline frame header
        for (size_t i = 2; i + 9 < b.size(); ++i)
            if (b[i] == 0xFF && b[i + 1] == 0xC0) {
                be(i + 5, h, 2);
                be(i + 7, w, 2);
                return true;
            }
        return false;
    }
    if (b[0] == 'I') {  // TIFF: the first directory's ImageWidth and ImageLength
        const size_t ifd = b[4] | (b[5] << 8) | (b[6] << 16) | (size_t(b[7]) << 24);
        const int n = b[ifd] | (b[ifd + 1] << 8);
        int found = 0;
        for (int e = 0; e < n; ++e) {
            const size_t at = ifd + 2 + 12 * e;
            const int tag = b[at] | (b[at + 1] << 8), type = b[at + 2] | (b[at + 3] << 8);
            if (tag == 256 || tag == 257) {
                le(at + 8, tag == 256 ? w : h, type == 3 ? 2 : 4);
                ++found;
            }
        }
        return found == 2;
    }
    if (b[0] == 'B') {  // BMP
        le(18, w, 4);
        le(22, h, 4);
        return true;
    }
    if (b[0] == 'P') {  // PNM: "P6\n64 48\n255\n" -> the new size as text
        const std::string text(b.begin(), b.end());
        const size_t end = text.find("255");
        const std::string header = "P6\n" + std::to_string(w) + " " + std::to_string(h) + "\n";
        b.erase(b.begin(), b.begin() + long(end));
        b.insert(b.begin(), header.begin(), header.end());
        return true;
    }
    return false;
}

}  // namespace

class ImageIoTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("bits");
        QTest::addColumn<double>("tolerance");
        QTest::newRow("png 8") << "a.png" << 8 << 0.5 / 255;
        QTest::newRow("png 16") << "a.png" << 16 << 0.5 / 65535;
        QTest::newRow("tiff 8") << "a.tif" << 8 << 0.5 / 255;
        QTest::newRow("tiff 16") << "a.tiff" << 16 << 0.5 / 65535;
        QTest::newRow("jpeg") << "a.jpg" << 8 << 0.02;
    }

    void roundTrip() {
        QFETCH(QString, name);
        QFETCH(int, bits);
        QFETCH(double, tolerance);
        QTemporaryDir tmp;
        const std::string path = tmp.filePath(name).toStdString();
        const cv::Mat img = gradientImage();
        WriteOptions o;
        o.bitDepth = bits;
        writeImage(path, img, o);
        const cv::Mat back = readImage(path);
        QCOMPARE(back.size(), img.size());
        QVERIFY2(test::meanAbsDifference(img, back) <= tolerance,
                 qPrintable(QString::number(test::meanAbsDifference(img, back))));
    }

    void metadataAndResolutionRoundTrip_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("bits");
        QTest::newRow("png") << "m.png" << 16;
        QTest::newRow("jpeg") << "m.jpg" << 8;
        QTest::newRow("tiff 8") << "m.tif" << 8;
        QTest::newRow("tiff 16") << "m.tiff" << 16;
    }

    void metadataAndResolutionRoundTrip() {
        QFETCH(QString, name);
        QFETCH(int, bits);
        QTemporaryDir tmp;
        const std::string path = tmp.filePath(name).toStdString();
        WriteOptions o;
        o.bitDepth = bits;
        o.dpi = 300;
        o.metadata =
            R"({"schema":"inceptionist.dream/1","layers":[{"name":"mixed4"}],"note":"ünïcode"})";
        writeImage(path, gradientImage(), o);
        QCOMPARE(QString::fromStdString(readImageMetadata(path)),
                 QString::fromStdString(o.metadata));
        QVERIFY2(std::abs(readImageDpi(path) - 300) < 0.5,
                 qPrintable(QString::number(readImageDpi(path))));
        QCOMPARE(readImage(path).size(), gradientImage().size());  // still a valid image
    }

    void noMetadata() {
        QTemporaryDir tmp;
        const std::string path = tmp.filePath("plain.png").toStdString();
        writeImage(path, gradientImage());
        QVERIFY(readImageMetadata(path).empty());
    }

    // A JPEG comment whose length field is shorter than the field itself (found by fuzz_image)
    // once ended the program: it is skipped, and the metadata reads as none.
    void jpegCommentWithImpossibleLengthReadsAsNone() {
        QTemporaryDir tmp;
        for (unsigned char length : {0, 1}) {
            const QString path = tmp.filePath(QString("comment-%1.jpg").arg(length));
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            const char bytes[] = {'\xff', '\xd8', '\xff', '\xfe', 0,   char(length),
                                  'i',    'n',    'c',    'e',    'p', 't'};
            f.write(bytes, sizeof bytes);
            f.close();
            QVERIFY(readImageMetadata(path.toStdString()).empty());
        }
    }

    // A 16-bit greyscale PNG becomes RGB with all sixteen bits kept.
    void greyAndSixteenBitInputsBecomeRgb() {
        const std::string path = test::dataPath("eagle-grey16.png");
        const cv::Mat raw = cv::imread(path, cv::IMREAD_UNCHANGED);
        QCOMPARE(raw.type(), CV_16UC1);
        const cv::Mat back = readImage(path);
        QCOMPARE(back.type(), CV_32FC3);
        QCOMPARE(back.size(), raw.size());
        double worst = 0;
        bool fineSteps = false;  // values between two 8-bit levels: the low byte survived
        for (int y = 0; y < raw.rows; ++y)
            for (int x = 0; x < raw.cols; ++x) {
                const float expected = raw.at<uint16_t>(y, x) / 65535.f;
                for (int c = 0; c < 3; ++c)
                    worst =
                        std::max(worst, double(std::abs(back.at<cv::Vec3f>(y, x)[c] - expected)));
                fineSteps = fineSteps || raw.at<uint16_t>(y, x) % 257 != 0;
            }
        QVERIFY(fineSteps);
        QVERIFY2(worst < 1e-6, qPrintable(QString::number(worst)));
    }

    // The JPEG whose first half is kite-truncated.jpg reads whole: the truncation is what fails.
    void wholeJpegReads() {
        QCOMPARE(readImage(test::dataPath("kite.jpg")).size(), cv::Size(96, 64));
    }

    void badInputs_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("missing") << "missing"
                                 << "no such file";
        QTest::newRow("empty") << "empty"
                               << "empty";
        QTest::newRow("text") << "text"
                              << "not an image";
        QTest::newRow("truncated jpeg") << "truncated-jpeg"
                                        << "truncated";
        QTest::newRow("truncated png") << "truncated-png"
                                       << "corrupt or truncated";
        QTest::newRow("folder") << "folder"
                                << "folder";
        // 200 bytes whose text chunk claims 2 GB (found by fuzz_image): libpng would allocate
        // it all before finding the file too short.
        QTest::newRow("png chunk past the end") << "chunk-past-end"
                                                << "a chunk runs past the end";
        // Files kept in tests/data: half a JPEG, and text behind an image's name.
        QTest::newRow("kite-truncated.jpg") << "data"
                                            << "truncated";
        QTest::newRow("shopping-list.jpg") << "data"
                                           << "not an image";
    }

    void badInputs() {
        QFETCH(QString, kind);
        QFETCH(QString, mentions);
        QTemporaryDir tmp;
        const std::string path = kind == "data" ? test::dataPath(QTest::currentDataTag())
                                                : tmp.filePath("bad-" + kind).toStdString();
        auto truncatedCopy = [&](const std::string& from) {
            std::ifstream in(from, std::ios::binary);
            std::string bytes((std::istreambuf_iterator<char>(in)), {});
            std::ofstream(path, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
        };
        if (kind == "empty") std::ofstream(path).close();
        if (kind == "text") std::ofstream(path) << "This is a shopping list, not a photo.\n";
        if (kind == "truncated-jpeg") truncatedCopy(test::sampleImage());
        if (kind == "truncated-png") {
            const std::string png = tmp.filePath("whole.png").toStdString();
            writeImage(png, gradientImage());
            truncatedCopy(png);
        }
        if (kind == "chunk-past-end") {
            const std::string png = tmp.filePath("whole.png").toStdString();
            writeImage(png, gradientImage());
            std::ifstream in(png, std::ios::binary);
            std::string bytes((std::istreambuf_iterator<char>(in)), {});
            const std::string chunk("\x7A\x00\x00\x00iTXtinceptionist", 20);
            std::ofstream(path, std::ios::binary) << bytes.substr(0, 33) + chunk + bytes.substr(33);
        }
        if (kind == "folder") fs::create_directory(path);
        const QString e = inputError(path);
        QVERIFY2(e.contains(QString::fromStdString(path)) && e.contains(mentions), qPrintable(e));
    }

    // Decompression bombs: a small file whose header claims 50000 x 40000 pixels (2000 MP) is
    // refused before decoding, naming the file, the size and the limit, in each format.
    void headerClaimingTooManyPixelsIsRefused_data() {
        QTest::addColumn<QString>("name");
        for (const char* name : {"bomb.png", "bomb.jpg", "bomb.tif", "bomb.bmp", "bomb.ppm"})
            QTest::newRow(name) << QString(name);
    }

    void headerClaimingTooManyPixelsIsRefused() {
        QFETCH(QString, name);
        QTemporaryDir tmp;
        const std::string path = tmp.filePath(name).toStdString();
        cv::Mat bgr;
        gradientImage().convertTo(bgr, CV_8UC3, 255);
        QVERIFY(cv::imwrite(path, bgr));
        std::vector<unsigned char> bytes;
        {
            std::ifstream in(path, std::ios::binary);
            bytes.assign(std::istreambuf_iterator<char>(in), {});
        }
        QVERIFY(claim(bytes, 50000, 40000));
        std::ofstream(path, std::ios::binary)
            .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
        const auto size = imageHeaderDimensions(bytes, path);
        QVERIFY(size && size->width == 50000 && size->height == 40000);
        const QString error = inputError(path);
        QVERIFY2(error.contains(name) && error.contains("50000 x 40000") &&
                     error.contains("2000 megapixels") && error.contains("limit of 200"),
                 qPrintable(error));
    }

    // The limit is well above a 24 MP print and can be set; a file under it reads as before.
    void imageLimitIsConfigurable() {
        QVERIFY(maxImagePixels() >= size_t(100'000'000));
        QTemporaryDir tmp;
        const std::string path = tmp.filePath("small.png").toStdString();
        writeImage(path, gradientImage());
        const size_t before = maxImagePixels();
        setMaxImagePixels(64 * 48 - 1);
        const QString error = inputError(path);
        setMaxImagePixels(64 * 48);
        const QString fits = inputError(path);
        setMaxImagePixels(before);
        QVERIFY2(error.contains("64 x 48"), qPrintable(error));
        QCOMPARE(fits, QString("read"));
    }

    void writeToMissingFolderFails() {
        QTemporaryDir tmp;
        const std::string path = tmp.filePath("no/such/folder/out.png").toStdString();
        try {
            writeImage(path, gradientImage());
            QFAIL("wrote into a folder that does not exist");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Output);
            QVERIFY2(QString(e.what()).contains("out.png"), e.what());
        }
    }

    void failedWriteKeepsExistingFile() {
        QTemporaryDir tmp;
        const QString path = tmp.filePath("keep.jpg");
        writeImage(path.toStdString(), gradientImage());
        const QByteArray before = [&] {
            QFile f(path);
            f.open(QIODevice::ReadOnly);
            return f.readAll();
        }();
        WriteOptions o;
        o.bitDepth = 16;  // JPEG cannot hold it
        QVERIFY_THROWS_EXCEPTION(Error, writeImage(path.toStdString(), gradientImage(), o));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
        QCOMPARE(folderEntries(tmp.path()), std::vector<std::string>{"keep.jpg"});
    }

    void unknownExtensionIsRefused() {
        QTemporaryDir tmp;
        QVERIFY_THROWS_EXCEPTION(Error,
                                 writeImage(tmp.filePath("x.gif").toStdString(), gradientImage()));
        QVERIFY(folderEntries(tmp.path()).empty());
    }

    void atomicWriteLeavesNoTemporaryFiles() {
        QTemporaryDir tmp;
        writeImage(tmp.filePath("a.png").toStdString(), gradientImage());
        writeImage(tmp.filePath("a.png").toStdString(), gradientImage());  // replaces
        QCOMPARE(folderEntries(tmp.path()), std::vector<std::string>{"a.png"});
    }
};

QTEST_GUILESS_MAIN(ImageIoTest)
#include "test_image_io.moc"
