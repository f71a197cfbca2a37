// The engine's threading policy holds whatever the user's environment says. CTest runs this test
// with OMP_NUM_THREADS=7, OMP_WAIT_POLICY=ACTIVE, OMP_PROC_BIND=true and a spin count of
// libgomp's "active" (see tests/CMakeLists.txt), settings that made dreams stall next to a busy
// program; each entry point (this process, as the window's; the window's dreams, its prints
// and its explorer; the command line; the window's executable) must still run with the
// policy's thread count and short spin, as libgomp itself reports them.

#include <QtTest>

#include <sched.h>
#include <unistd.h>

#include <omp.h>

#include <cstdio>
#include <thread>

#include "core/engine/thread_policy.h"
#include "tests/gui_test_support.h"
#include "tests/test_support.h"
#include "ui/model/dream_controller.h"
#include "ui/model/print_job.h"
#include "ui/widgets/explorer_panel.h"
#include "ui/widgets/main_window.h"
#include "ui/widgets/thumbnail_view.h"

using namespace inceptionist;
using namespace inceptionist::ui;

namespace {

// What libgomp says it read from the environment (OMP_DISPLAY_ENV's report), in this process.
QString libgompSettings() {
    QTemporaryFile file;
    if (!file.open()) return {};
    std::fflush(stderr);
    const int saved = dup(2);
    dup2(file.handle(), 2);
    omp_display_env(1);
    std::fflush(stderr);
    dup2(saved, 2);
    close(saved);
    file.seek(0);
    return QString::fromUtf8(file.readAll());
}

struct Run {
    int code = -1;
    QString err;
};

Run runProgram(const QString& program, const QStringList& args,
               const std::function<void()>& inChild = {}) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("INCEPTIONIST_MODELS", QString::fromStdString(test::modelsDir()));
    env.insert("OMP_DISPLAY_ENV", "VERBOSE");  // libgomp reports what it read, at load
    env.insert("QT_QPA_PLATFORM", "offscreen");
    p.setProcessEnvironment(env);
    if (inChild) p.setChildProcessModifier(inChild);
    p.start(program, args);
    if (!p.waitForFinished(120000)) {
        p.kill();
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardError())};
}

QString setting(const QString& report, const QString& name) {
    const QRegularExpression line("^\\s*" + name + " = '([^']*)'",
                                  QRegularExpression::MultilineOption);
    return line.match(report).captured(1);
}

}  // namespace

class ThreadPolicyTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        test::isolateSettings(settingsDir_.path());
        QCOMPARE(qgetenv("OMP_WAIT_POLICY"), QByteArray("ACTIVE"));  // as CTest set it
        cores_ = ThreadPolicy::instance().report().cores;
        cpu_set_t cpus;
        QCOMPARE(sched_getaffinity(0, sizeof cpus, &cpus), 0);
        QVERIFY(cores_ >= 1 && cores_ <= CPU_COUNT(&cpus));
    }

    // libgomp read the policy, not the user's settings, and the user's environment is back for
    // the programs this one starts.
    void libgompReadThePolicy() {
        const QString libgomp = libgompSettings();
        QCOMPARE(setting(libgomp, "OMP_WAIT_POLICY"), QString("PASSIVE"));
        QCOMPARE(setting(libgomp, "GOMP_SPINCOUNT"), QString("1000"));
        QCOMPARE(setting(libgomp, "OMP_PROC_BIND"), QString("FALSE"));
        QCOMPARE(setting(libgomp, "OMP_NUM_THREADS"), QString::number(cores_));
        int fresh = 0;
        std::thread([&] { fresh = omp_get_max_threads(); }).join();
        QCOMPARE(fresh, cores_);  // a new thread starts with the cores, not 7
        const auto report = ThreadPolicy::instance().report();
        QVERIFY(report.waitSet);
        QCOMPARE(report.spinCount, 1000LL);
        QVERIFY(report.setAside.size() >= 3);
        QCOMPARE(qgetenv("OMP_NUM_THREADS"), QByteArray("7"));
        QVERIFY(qgetenv("GOMP_SPINCOUNT").startsWith("300000"));
    }

    // The window's canvas dream, a print and the explorer all run on the window's worker with
    // the policy's thread count, one computing thread at a time.
    void windowPrintAndExplorerRunThePolicy() {
        DreamParams p;
        p.layers = {{"mixed3", 1.0, {}}};
        p.octaves = 1;
        p.steps = 1;
        p.workingSize = 128;
        auto window = test::sampleWindow(p);
        auto& policy = ThreadPolicy::instance();
        const long long before = policy.report().computeScopes;

        QSignalSpy dreamt(window->controller(), &DreamController::dreamFinished);
        window->startDream();
        QVERIFY(dreamt.wait(120000));
        const long long afterDream = policy.report().computeScopes;
        QVERIFY(afterDream > before);
        QCOMPARE(policy.report().threads, cores_);

        QTemporaryDir tmp;
        QVERIFY(window->renderPrint(tmp.filePath("print.png"), 160, 8, 72));
        QSignalSpy printed(window->printJob(), &PrintJob::finished);
        QVERIFY(printed.wait(120000));
        const long long afterPrint = policy.report().computeScopes;
        QVERIFY(afterPrint > afterDream);
        QCOMPARE(policy.report().threads, cores_);

        window->resize(1200, 900);
        window->show();
        window->explorer()->setActive(true);
        QTRY_VERIFY_WITH_TIMEOUT(window->explorer()->layerView()->finishedCount() >= 2, 90000);
        window->explorer()->setActive(false);
        QVERIFY(policy.report().computeScopes > afterPrint);
        QCOMPARE(policy.report().threads, cores_);
        QCOMPARE(policy.report().peakComputing, 1);  // never two OpenMP teams at once
    }

    // The command line: libgomp's own report and the engine's line after the dream.
    void commandLineRunsThePolicy() {
        QTemporaryDir tmp;
        const Run run = runProgram(QString::fromStdString(test::cliPath()),
                                   {"dream", QString::fromStdString(test::sampleImage()),
                                    tmp.filePath("out.png"), "--layer", "mixed3", "--size", "96",
                                    "--octaves", "1", "--steps", "1", "--progress-lines"});
        QCOMPARE(run.code, 0);
        QCOMPARE(setting(run.err, "OMP_WAIT_POLICY"), QString("PASSIVE"));
        QCOMPARE(setting(run.err, "GOMP_SPINCOUNT"), QString("1000"));
        QCOMPARE(setting(run.err, "OMP_NUM_THREADS"), QString::number(cores_));
        const QString expected = QString(
                                     "threading threads %1 of %1 cores, idle threads spin "
                                     "1000 then sleep, set aside:")
                                     .arg(cores_);
        QVERIFY2(run.err.contains(expected), qPrintable(run.err.right(400)));
        QVERIFY(run.err.contains("OMP_NUM_THREADS=7"));
        QVERIFY(run.err.contains("OMP_WAIT_POLICY=ACTIVE"));
    }

    // Confined to one core (taskset), the command line uses one thread.
    void commandLineFollowsItsAffinity() {
        QTemporaryDir tmp;
        const Run run = runProgram(QString::fromStdString(test::cliPath()),
                                   {"dream", QString::fromStdString(test::sampleImage()),
                                    tmp.filePath("out.png"), "--layer", "mixed3", "--size", "96",
                                    "--octaves", "1", "--steps", "1", "--progress-lines"},
                                   [] {
                                       cpu_set_t one;
                                       CPU_ZERO(&one);
                                       CPU_SET(sched_getcpu(), &one);
                                       sched_setaffinity(0, sizeof one, &one);
                                   });
        QCOMPARE(run.code, 0);
        QCOMPARE(setting(run.err, "OMP_NUM_THREADS"), QString("1"));
        QVERIFY2(run.err.contains("threading threads 1 of 1 cores"),
                 qPrintable(run.err.right(400)));
    }

    // The window's executable reads the same settings (it needs no dream to show them).
    void windowExecutableRunsThePolicy() {
        const Run run = runProgram(INCEPTIONIST_GUI, {"--version"});
        QCOMPARE(run.code, 0);
        QCOMPARE(setting(run.err, "OMP_WAIT_POLICY"), QString("PASSIVE"));
        QCOMPARE(setting(run.err, "GOMP_SPINCOUNT"), QString("1000"));
        QCOMPARE(setting(run.err, "OMP_NUM_THREADS"), QString::number(cores_));
    }

private:
    QTemporaryDir settingsDir_;
    int cores_ = 1;
};

INCEPTIONIST_GUI_TEST_MAIN(ThreadPolicyTest)
#include "test_thread_policy.moc"
