// inceptionist-cli as a user runs it: dreams land in files with their parameters embedded and
// reproduce exactly; bad input gives one clear line, a distinct exit code and no output file.

#include <QtTest>

#include <csignal>
#include <filesystem>
#include <functional>
#include <numeric>

#include <sys/resource.h>

#include <nlohmann/json.hpp>

#include "app/exit_codes.h"
#include "core/io/image_io.h"
#include "core/params/param_table.h"
#include "tests/test_support.h"

using namespace inceptionist;

namespace {

struct Run {
    int code = -1;
    QString out, err;
};

// `inChild` runs in the child between fork and exec (to set resource limits).
Run runCli(const QStringList& args, const std::function<void()>& inChild = {}) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("INCEPTIONIST_MODELS", QString::fromStdString(test::modelsDir()));
    p.setProcessEnvironment(env);
    if (inChild) p.setChildProcessModifier(inChild);
    p.start(QString::fromStdString(test::cliPath()), args);
    if (!p.waitForFinished(120000)) {
        p.kill();
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

const QStringList kQuick = {"--octaves", "2", "--steps", "2", "--size", "128", "--layer", "mixed3"};

QByteArray contents(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A file system that fills up: files may grow to `bytes`, and a write beyond fails with EFBIG
// (SIGXFSZ, which would kill the process instead, is ignored), as on a full disk.
std::function<void()> fileSizeLimit(rlim_t bytes) {
    return [bytes] {
        std::signal(SIGXFSZ, SIG_IGN);
        const rlimit limit{bytes, bytes};
        setrlimit(RLIMIT_FSIZE, &limit);
    };
}

}  // namespace

class CliTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void dreamWritesFileWithParameters() {
        QTemporaryDir tmp;
        const QString out = tmp.filePath("dream.png");
        const Run r = runCli(
            QStringList{"dream", QString::fromStdString(test::sampleImage()), out, "--seed", "7"} +
            kQuick);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const cv::Mat img = readImage(out.toStdString());
        QCOMPARE(img.size(), cv::Size(128, 96));
        const auto params = nlohmann::json::parse(readImageMetadata(out.toStdString()));
        QCOMPARE(params["seed"].get<int>(), 7);
        QCOMPARE(params["layers"][0]["name"].get<std::string>(), std::string("mixed3"));
        QCOMPARE(params["working_size"].get<int>(), 128);
    }

    void presetFromReproducesTheDream() {
        QTemporaryDir tmp;
        const QString first = tmp.filePath("first.png"), second = tmp.filePath("second.png");
        const QString in = QString::fromStdString(test::sampleImage());
        Run r =
            runCli(QStringList{"dream", in, first, "--seed", "3", "--layer", "mixed4:0.5@12,40"} +
                   QStringList{"--octaves", "2", "--steps", "2", "--size", "128"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = runCli({"dream", in, second, "--preset-from", first});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(
            cv::norm(readImage(first.toStdString()), readImage(second.toStdString()), cv::NORM_INF),
            0.0);
        QCOMPARE(readImageMetadata(first.toStdString()), readImageMetadata(second.toStdString()));
    }

    void presetFileAndOverrides() {
        QTemporaryDir tmp;
        QFile preset(tmp.filePath("p.json"));
        QVERIFY(preset.open(QIODevice::WriteOnly));
        preset.write(
            R"({"layers": ["mixed2"], "steps": 1, "octaves": 1, "working_size": 96, "seed": 5})");
        preset.close();
        const QString out = tmp.filePath("p.jpg");
        const Run r = runCli({"dream", QString::fromStdString(test::sampleImage()), out, "--preset",
                              preset.fileName(), "--seed", "6"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto params = nlohmann::json::parse(readImageMetadata(out.toStdString()));
        QCOMPARE(params["seed"].get<int>(), 6);  // the option wins over the preset
        QCOMPARE(params["layers"][0]["name"].get<std::string>(), std::string("mixed2"));
        QCOMPARE(readImage(out.toStdString()).cols, 96);
    }

    void errorsHaveDistinctCodesAndNoOutput_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("missing input")
            << "missing.jpg" << QStringList{} << int(cli::kInput) << "missing.jpg";
        QTest::newRow("non-image")
            << "notes.txt" << QStringList{} << int(cli::kInput) << "notes.txt";
        QTest::newRow("truncated") << "cut.jpg" << QStringList{} << int(cli::kInput) << "truncated";
        QTest::newRow("unknown layer")
            << "sample" << QStringList{"--layer", "mixed99"} << int(cli::kParameter) << "mixed99";
        QTest::newRow("too small") << "sample" << QStringList{"--size", "40", "--layer", "mixed5"}
                                   << int(cli::kParameter) << "at least";
        QTest::newRow("absurd octaves")
            << "sample" << QStringList{"--octaves", "500"} << int(cli::kParameter) << "octaves";
        QTest::newRow("unknown model")
            << "sample" << QStringList{"--model", "alexnet"} << int(cli::kModel) << "alexnet";
        QTest::newRow("no device")
            << "sample" << QStringList{"--device", "cuda:7"} << int(cli::kDevice) << "cuda";
        QTest::newRow("bad option")
            << "sample" << QStringList{"--octavez", "3"} << int(cli::kUsage) << "octavez";
    }

    void errorsHaveDistinctCodesAndNoOutput() {
        QFETCH(QString, input);
        QFETCH(QStringList, extra);
        QFETCH(int, code);
        QFETCH(QString, mentions);
        QTemporaryDir tmp;
        QString in = tmp.filePath(input);
        if (input == "sample") in = QString::fromStdString(test::sampleImage());
        if (input == "notes.txt") {
            QFile f(in);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("not an image");
        }
        if (input == "cut.jpg") {
            QFile whole(QString::fromStdString(test::sampleImage()));
            QVERIFY(whole.open(QIODevice::ReadOnly));
            QFile cut(in);
            QVERIFY(cut.open(QIODevice::WriteOnly));
            cut.write(whole.read(whole.size() / 3));
        }
        const QString out = tmp.filePath("out.png");
        const Run r =
            runCli(QStringList{"dream", in, out, "--steps", "1", "--octaves", "1"} + extra);
        QCOMPARE(r.code, code);
        QVERIFY2(r.err.contains(mentions), qPrintable(r.err));
        QCOMPARE(r.err.trimmed().count('\n'), 0);  // one line
        QVERIFY(!QFile::exists(out));
        const QStringList left = QDir(tmp.path()).entryList(QDir::Files | QDir::Hidden);
        QVERIFY2(!left.join(' ').contains("out.png"), qPrintable(left.join(' ')));
    }

    // The command line reads its model ahead while libtorch loads (app/cli_read_ahead.cpp); a
    // model it finds damaged there is refused by name all the same, as the importer refuses it.
    void damagedModelReadAheadIsRefusedByName() {
        namespace fs = std::filesystem;
        QTemporaryDir tmp;
        const fs::path dir = fs::path(tmp.path().toStdString()) / "tiny";
        fs::copy(test::dataPath("conformance/tiny_uint8"), dir, fs::copy_options::recursive);
        const fs::path shard = dir / "group1-shard2of2.bin";
        fs::resize_file(shard, fs::file_size(shard) / 2);
        const QString out = tmp.filePath("out.png");
        const Run r = runCli({"dream", QString::fromStdString(test::sampleImage()), out,
                              "--models-dir", tmp.path(), "--model", "tiny", "--steps", "1",
                              "--octaves", "1", "--layer", "conv_valid"});
        QCOMPARE(r.code, int(cli::kModel));
        QVERIFY2(r.err.contains("group1-shard2of2.bin"), qPrintable(r.err));
        QVERIFY(!QFile::exists(out));
    }

    // A write that fails part way, or only at its very end (for TIFF the final flush, which
    // writes the last strip and the directory), is an output error naming the file, and the
    // good file already at that path stays as it was.
    void failedWriteKeepsTheExistingFile_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<double>("limit");  // of the good file's size
        QTest::newRow("16-bit TIFF, last byte")
            << "print.tif" << QStringList{"--bits", "16"} << 1.0;
        QTest::newRow("16-bit TIFF, halfway") << "print.tif" << QStringList{"--bits", "16"} << 0.5;
        QTest::newRow("8-bit TIFF, last byte") << "print.tif" << QStringList{} << 1.0;
        QTest::newRow("16-bit PNG, last byte") << "print.png" << QStringList{"--bits", "16"} << 1.0;
        QTest::newRow("JPEG, last byte") << "print.jpg" << QStringList{} << 1.0;
    }

    void failedWriteKeepsTheExistingFile() {
        QFETCH(QString, name);
        QFETCH(QStringList, options);
        QFETCH(double, limit);
        QTemporaryDir tmp;
        const QString out = tmp.filePath(name);
        const QStringList args =
            QStringList{"dream", QString::fromStdString(test::sampleImage()), out, "--seed", "4"} +
            kQuick + options;
        Run r = runCli(args);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QByteArray good = contents(out);
        QVERIFY(good.size() > 1000);

        // The same dream again, the same bytes, but the disk holds one byte less (or half).
        const auto bytes = static_cast<rlim_t>(limit * good.size()) - 1;
        r = runCli(args, fileSizeLimit(bytes));
        QCOMPARE(r.code, int(cli::kOutput));
        QVERIFY2(r.err.contains(out) && r.err.contains("File too large"), qPrintable(r.err));
        QCOMPARE(r.err.trimmed().count('\n'), 0);  // one line
        QVERIFY(contents(out) == good);
        QCOMPARE(QDir(tmp.path()).entryList(QDir::Files | QDir::Hidden), QStringList{name});
    }

    // Out of memory (here a working size whose first image needs 9.6 GB, with the address
    // space limited to 6 GB) ends in one line and its own exit code, not in terminate().
    void outOfMemoryIsOneLineAndItsExitCode() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
        QSKIP("sanitizers reserve more address space than the limit allows");
#endif
        QTemporaryDir tmp;
        const QString out = tmp.filePath("huge.png");
        const Run r = runCli({"dream", QString::fromStdString(test::sampleImage()), out, "--size",
                              "32768", "--octaves", "1", "--steps", "1", "--layer", "mixed3"},
                             [] {
                                 const rlim_t bytes = rlim_t(6) << 30;
                                 const rlimit limit{bytes, bytes};
                                 setrlimit(RLIMIT_AS, &limit);
                             });
        QCOMPARE(r.code, int(cli::kFailure));
        QVERIFY2(r.err.startsWith("inceptionist-cli: error: out of memory"), qPrintable(r.err));
        QCOMPARE(r.err.trimmed().count('\n'), 0);  // one line
        QVERIFY(QDir(tmp.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
    }

    // A print larger than the machine's memory is refused before anything runs, with both
    // figures; here the machine is said to have 4 GB and a 20000 px print needs about 19.
    void printBeyondMemoryIsRefusedFirst() {
        qputenv("INCEPTIONIST_MEMORY_BYTES", QByteArray::number(4.0 * (1 << 30), 'f', 0));
        QTemporaryDir tmp;
        const QString out = tmp.filePath("huge.tif");
        const Run r = runCli({"dream", QString::fromStdString(test::sampleImage()), out,
                              "--print-size", "20000", "--layer", "mixed3"});
        qunsetenv("INCEPTIONIST_MEMORY_BYTES");
        QCOMPARE(r.code, int(cli::kParameter));
        QVERIFY2(r.err.contains("20000 x 15000") && r.err.contains("needs about 1") &&
                     r.err.contains("this machine has 4.0 GB"),
                 qPrintable(r.err));
        QCOMPARE(r.err.trimmed().count('\n'), 0);
        QVERIFY(QDir(tmp.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
    }

    void printReproducesFromItsFile() {
        QTemporaryDir tmp;
        const QString print = tmp.filePath("print.tif"), again = tmp.filePath("again.tif");
        const QString in = QString::fromStdString(test::sampleImage());
        Run r = runCli({"dream", in, print, "--layer", "mixed3", "--octaves", "1", "--steps", "1",
                        "--size", "160", "--print-size", "400", "--tile-size", "200", "--bits",
                        "16", "--dpi", "240"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(readImage(print.toStdString()).cols, 400);
        QVERIFY(std::abs(readImageDpi(print.toStdString()) - 240) < 0.5);
        const auto params = nlohmann::json::parse(readImageMetadata(print.toStdString()));
        QCOMPARE(params["working_size"].get<int>(), 400);
        QCOMPARE(params["octaves"].get<int>(), 4);  // 400 / 160 = 1.4^2.7: three octaves added
        QCOMPARE(params["tile_size"].get<int>(), 200);
        r = runCli({"dream", in, again, "--preset-from", print, "--bits", "16"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(
            cv::norm(readImage(print.toStdString()), readImage(again.toStdString()), cv::NORM_INF),
            0.0);
    }

    void interruptLeavesNoFile() {
        QTemporaryDir tmp;
        const QString out = tmp.filePath("never.png");
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("INCEPTIONIST_MODELS", QString::fromStdString(test::modelsDir()));
        p.setProcessEnvironment(env);
        p.start(QString::fromStdString(test::cliPath()),
                {"dream", QString::fromStdString(test::sampleImage()), out, "--size", "1024",
                 "--tile-size", "256", "--steps", "50", "--progress-lines"});
        QVERIFY(p.waitForStarted());
        p.setReadChannel(QProcess::StandardError);
        QByteArray err;
        while (!err.contains("tile")) {
            QVERIFY2(p.waitForReadyRead(60000), "no progress reported");
            err += p.readAllStandardError();
        }
        ::kill(static_cast<pid_t>(p.processId()), SIGINT);  // as Ctrl-C
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), int(cli::kCancelled));
        QVERIFY(QDir(tmp.path())
                    .entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot)
                    .isEmpty());
    }

    void sheetOfLayers() {
        QTemporaryDir tmp;
        const QString out = tmp.filePath("sheet.png");
        const Run r = runCli({"sheet", QString::fromStdString(test::sampleImage()), out, "--layers",
                              "mixed2,mixed3,mixed4", "--thumb", "64", "--columns", "2", "--steps",
                              "1", "--octaves", "1"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const cv::Mat sheet = readImage(out.toStdString());
        // Two columns of 64 px cells and two rows (three cells), with gaps, labels and a title.
        QCOMPARE(sheet.cols, 12 + 2 * (64 + 12));
        QCOMPARE(sheet.rows, 40 + 12 + 2 * (48 + 26 + 12));
        const Run bad = runCli({"sheet", QString::fromStdString(test::sampleImage()), out,
                                "--channels-of", "mixed99"});
        QCOMPARE(bad.code, int(cli::kParameter));
    }

    // `sheet --seeds` lays out the plain dreams of consecutive seeds (each cell the same pixels
    // as `dream --seed`), `--strengths` a 3×3 grid of step size across and steps down.
    void sheetOfSeedsAndStrengths() {
        QTemporaryDir tmp;
        const QString in = QString::fromStdString(test::sampleImage());
        const QStringList quick = {"--thumb", "64", "--steps", "2", "--octaves", "1"};
        const QString seeds = tmp.filePath("seeds.png");
        const Run r =
            runCli(QStringList{"sheet", in, seeds, "--seeds", "3", "--seed", "7"} + quick);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const cv::Mat sheet = readImage(seeds.toStdString());
        QCOMPARE(sheet.cols, 12 + 3 * (64 + 12));  // the default 4 columns, 3 cells
        QCOMPARE(sheet.rows, 40 + 12 + 48 + 26 + 12);
        const QString single = tmp.filePath("seed8.png");
        const Run d = runCli(
            {"dream", in, single, "--size", "64", "--seed", "8", "--steps", "2", "--octaves", "1"});
        QVERIFY2(d.code == 0, qPrintable(d.err));
        const cv::Mat plain = readImage(single.toStdString());
        const cv::Mat second = sheet(cv::Rect(12 + 64 + 12, 40 + 12, plain.cols, plain.rows));
        QCOMPARE(test::meanAbsDifference(second, plain), 0.0);
        const cv::Mat first = sheet(cv::Rect(12, 40 + 12, plain.cols, plain.rows));
        QVERIFY(test::meanAbsDifference(first, plain) > 0.005);  // seed 7 is another dream

        const QString strengths = tmp.filePath("strengths.png");
        const Run s = runCli(QStringList{"sheet", in, strengths, "--strengths"} + quick);
        QVERIFY2(s.code == 0, qPrintable(s.err));
        const cv::Mat grid = readImage(strengths.toStdString());
        QCOMPARE(grid.cols, 12 + 3 * (64 + 12));
        QCOMPARE(grid.rows, 40 + 12 + 3 * (48 + 26 + 12));
        const Run bad = runCli({"sheet", in, seeds, "--seeds", "0"});
        QCOMPARE(bad.code, int(cli::kParameter));
    }

    void unwritableOutput() {
        const Run r = runCli(QStringList{"dream", QString::fromStdString(test::sampleImage()),
                                         "/no/such/dir/out.png"} +
                             kQuick);
        QCOMPARE(r.code, int(cli::kOutput));
        QVERIFY2(r.err.contains("/no/such/dir/out.png"), qPrintable(r.err));
    }

    // A command refused at once (a bad option) ends with its exit code every time, also while
    // the model it would have loaded is still being read ahead on another thread.
    void earlyRefusalNeverCrashes() {
        QTemporaryDir tmp;
        for (int i = 0; i < 12; ++i) {
            const Run r = runCli({"dream", QString::fromStdString(test::sampleImage()),
                                  tmp.filePath("out.png"), "--steps", "100000"});
            QCOMPARE(r.code, int(cli::kParameter));
        }
    }

    // The ranking is the network's own: the channels the network activates most for the photo
    // (computed here without the command line), strongest first, in both output forms.
    void inspectRanksChannels() {
        const Run r = runCli({"inspect", QString::fromStdString(test::sampleImage()), "--layer",
                              "mixed4", "--top", "5", "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j["shape"], (nlohmann::json{22, 30, 768}));  // 512x384 input
        QCOMPARE(j["channels"].size(), size_t(5));

        auto net = test::defaultModel("inception_v3");
        const std::vector<float> means =
            net->channelMeans(resizeLongSide(readImage(test::sampleImage()), 512), "mixed4");
        std::vector<int> order(means.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
                         [&](int a, int b) { return means[a] > means[b]; });
        for (size_t i = 0; i < 5; ++i) {
            QCOMPARE(j["channels"][i]["index"].get<int>(), order[i]);
            QVERIFY(std::abs(j["channels"][i]["mean"].get<double>() - means[order[i]]) <=
                    1e-4 * std::abs(means[order[0]]));
        }

        // The table: a header naming the shape, then "channel mean" rows in the same order.
        const Run text = runCli({"inspect", QString::fromStdString(test::sampleImage()), "--layer",
                                 "mixed4", "--top", "5"});
        QVERIFY2(text.code == 0, qPrintable(text.err));
        QVERIFY(text.out.contains("22 x 30 x 768"));
        const QRegularExpression row("^\\s*(\\d+)\\s+(-?[0-9.]+)\\s*$",
                                     QRegularExpression::MultilineOption);
        std::vector<int> listed;
        for (auto it = row.globalMatch(text.out); it.hasNext();) {
            const auto m = it.next();
            listed.push_back(m.captured(1).toInt());
            QVERIFY(std::abs(m.captured(2).toDouble() - means[listed.back()]) <=
                    1e-4 * std::abs(means[order[0]]) + 1e-6);
        }
        QCOMPARE(listed, std::vector<int>(order.begin(), order.begin() + 5));
    }

    void modelsListsLayers() {
        const Run r = runCli({"models"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("inception_v3") && r.out.contains("mobilenet_v2"));
        QVERIFY(r.out.contains(QRegularExpression("mixed4\\s+768 channels\\s+ImageNet")));
        QVERIFY(r.out.contains(QRegularExpression("mixed8\\s+1280 channels\\s+fine-tuned")));
        QVERIFY(r.out.contains("MIT"));
    }

    void usage() {
        QCOMPARE(runCli({}).code, int(cli::kUsage));
        QCOMPARE(runCli({"paint"}).code, int(cli::kUsage));
        const Run help = runCli({"dream", "--help"});
        QCOMPARE(help.code, 0);
        QVERIFY(help.out.contains("--octave-scale"));
        QVERIFY(help.out.startsWith("Usage: inceptionist-cli dream IN OUT"));
    }

    void optionsComeFromTheParameterTable() {
        QTemporaryDir tmp;
        const Run help = runCli({"dream", "--help"});
        QCOMPARE(help.code, 0);
        const QString text = help.out.simplified();  // help lines wrap anywhere
        for (const ParamSpec& spec : paramTable()) {
            if (!spec.cliFlag) continue;
            const QString flag = QString("--") + spec.cliFlag;
            QVERIFY2(text.contains(flag), qPrintable(flag));
            if (!spec.range) continue;
            const QString range = QString::fromStdString(formatNumber(spec.range->min)) + " to " +
                                  QString::fromStdString(formatNumber(spec.range->max));
            QVERIFY2(text.contains(range), qPrintable(flag + " " + range));
            // The table's range is what the option accepts.
            const double above = spec.range->max + (spec.isInteger() ? 1 : spec.range->max);
            const Run r = runCli({"dream", QString::fromStdString(test::sampleImage()),
                                  tmp.filePath("out.png"), flag, QString::number(above, 'g', 10)});
            QCOMPARE(r.code, int(cli::kParameter));
            QVERIFY2(r.err.contains(spec.key), qPrintable(r.err));
        }
    }

    void newerPresetLoadsWithAWarning() {
        QTemporaryDir tmp;
        QFile preset(tmp.filePath("newer.json"));
        QVERIFY(preset.open(QIODevice::WriteOnly));
        preset.write(R"({"schema": "inceptionist.dream/3", "mode": "dream", "layers": ["mixed2"],
            "steps": 1, "octaves": 1, "working_size": 96, "palette": "warm"})");
        preset.close();
        const QString out = tmp.filePath("newer.png");
        const Run r = runCli({"dream", QString::fromStdString(test::sampleImage()), out, "--preset",
                              preset.fileName()});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("warning") && r.err.contains("'palette'") &&
                     r.err.contains("newer.json"),
                 qPrintable(r.err));
        const auto params = nlohmann::json::parse(readImageMetadata(out.toStdString()));
        QCOMPARE(params["schema"].get<std::string>(), std::string("inceptionist.dream/2"));
        QVERIFY(!params.contains("palette"));
        QCOMPARE(readImage(out.toStdString()).cols, 96);
    }

    void version1ExportReproduces() {
        // An export made before schema 2 carries /1 parameters without a mode: the same
        // picture, with the parameters rewritten as version 1 wrote them.
        QTemporaryDir tmp;
        const QString in = QString::fromStdString(test::sampleImage());
        const QString first = tmp.filePath("first.png"), old = tmp.filePath("old.png"),
                      again = tmp.filePath("again.png");
        Run r = runCli(QStringList{"dream", in, first, "--seed", "11"} + kQuick);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        auto params = nlohmann::json::parse(readImageMetadata(first.toStdString()));
        params["schema"] = "inceptionist.dream/1";
        params.erase("mode");
        WriteOptions options;
        options.metadata = params.dump();
        writeImage(old.toStdString(), readImage(first.toStdString()), options);
        r = runCli({"dream", in, again, "--preset-from", old});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(!r.err.contains("warning"), qPrintable(r.err));  // a version 1 file is known
        QCOMPARE(
            cv::norm(readImage(first.toStdString()), readImage(again.toStdString()), cv::NORM_INF),
            0.0);
        QCOMPARE(readImageMetadata(again.toStdString()), readImageMetadata(first.toStdString()));
    }
};

QTEST_GUILESS_MAIN(CliTest)
#include "test_cli.moc"
