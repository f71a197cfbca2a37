// The benchmark's "busy" and "startup" sections: the default dream as a user runs it, a whole
// `inceptionist-cli dream` process, timed from the outside.
//
// busy: each round times, back to back, the dream on the machine as it is ("idle"), next to one
// and two CPU-bound processes the section starts itself (plain floating-point loops, one
// thread each), and two dreams started together (against twice the round's idle dream, one
// after the other). Each variant runs its scenarios in every round, so all see the same
// conditions: the engine's policy; libgomp's default wait as the engine had it before
// (INCEPTIONIST_GOMP_SPINCOUNT=300000, with --with-default-wait); the adaptive thread count
// (INCEPTIONIST_THREADS=adaptive, unless --no-adaptive); and, with --baseline-cli PATH, another
// build's command line (say, an earlier commit's). A scenario is stopped after --limit seconds
// (60), as the default wait takes minutes next to two busy processes.
//
// startup: the time from starting the process to its first ascent step, that is the first
// progress line less a later step of the same octave; and, as the floor below it, the time until
// `inceptionist-cli` without arguments prints its usage: loading libtorch and the other libraries
// and running their initialisers, which every command waits for before main().

#include "bench/busy_bench.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace inceptionist::bench {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

struct Variant {
    std::string name;
    std::string cli;
    std::vector<std::string> env;  // NAME=value entries added to the environment
};

struct Options {
    int rounds = 3;
    std::string baselineCli;
    std::string modelsDir;
    bool adaptive = true;
    bool before = false;
    double limit = 60;  // seconds a scenario may take before its dreams are stopped
};

Options parseOptions(int argc, char** argv, const std::string& modelsOverride) {
    Options o;
    o.modelsDir = modelsOverride;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--rounds" && i + 1 < argc) o.rounds = std::max(1, std::atoi(argv[++i]));
        if (a == "--baseline-cli" && i + 1 < argc) o.baselineCli = argv[++i];
        if (a == "--no-adaptive") o.adaptive = false;
        if (a == "--with-default-wait") o.before = true;
        if (a == "--limit" && i + 1 < argc) o.limit = std::max(1.0, std::atof(argv[++i]));
    }
    return o;
}

std::vector<Variant> variantsOf(const Options& o) {
    std::vector<Variant> v{{"engine policy", INCEPTIONIST_CLI_PATH, {}}};
    if (o.before)
        v.push_back({"libgomp default wait (before)",
                     INCEPTIONIST_CLI_PATH,
                     {"INCEPTIONIST_GOMP_SPINCOUNT=300000"}});
    if (o.adaptive)
        v.push_back(
            {"adaptive thread count", INCEPTIONIST_CLI_PATH, {"INCEPTIONIST_THREADS=adaptive"}});
    if (!o.baselineCli.empty()) v.push_back({"baseline " + o.baselineCli, o.baselineCli, {}});
    return v;
}

// The environment of a child: ours without the engine's own knobs, plus the variant's.
std::vector<std::string> childEnvironment(const Variant& v) {
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry = *e;
        if (entry.rfind("INCEPTIONIST_THREADS=", 0) == 0 ||
            entry.rfind("INCEPTIONIST_GOMP_SPINCOUNT=", 0) == 0)
            continue;
        env.push_back(entry);
    }
    env.insert(env.end(), v.env.begin(), v.env.end());
    return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> p;
    for (auto& s : strings) p.push_back(s.data());
    p.push_back(nullptr);
    return p;
}

// Starts the default dream; its stderr goes to `stderrFd` (or nowhere when -1).
pid_t spawnDream(const Variant& v, const Options& o, int index, int stderrFd, bool progressLines) {
    const std::string out = (std::filesystem::temp_directory_path() /
                             ("inceptionist-bench-busy-" + std::to_string(index) + ".png"))
                                .string();
    std::vector<std::string> args{
        v.cli, "dream", INCEPTIONIST_SAMPLE_IMAGE, out, "--layer", "mixed3", "--layer", "mixed4"};
    if (!o.modelsDir.empty()) args.insert(args.end(), {"--models-dir", o.modelsDir});
    if (progressLines) args.push_back("--progress-lines");
    std::vector<std::string> env = childEnvironment(v);
    auto argv = pointers(args);
    auto envp = pointers(env);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    if (stderrFd >= 0)
        posix_spawn_file_actions_adddup2(&actions, stderrFd, 2);
    else
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + v.cli + ": " + std::strerror(rc));
    return pid;
}

void waitSucceeded(pid_t pid, const std::string& what) {
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error(what + " failed");
}

// Waits for the dreams until `limit` seconds after `t0`; stops those still running then.
// Returns false if it had to.
bool waitWithin(const std::vector<pid_t>& pids, Clock::time_point t0, double limit,
                const std::string& what) {
    std::vector<pid_t> running = pids;
    while (!running.empty()) {
        for (auto it = running.begin(); it != running.end();) {
            int status = 0;
            const pid_t r = waitpid(*it, &status, WNOHANG);
            if (r == 0) {
                ++it;
                continue;
            }
            if (r != *it || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
                throw std::runtime_error(what + " failed");
            it = running.erase(it);
        }
        if (running.empty()) break;
        if (secondsSince(t0) > limit) {
            for (pid_t p : running) {
                kill(p, SIGKILL);
                waitpid(p, nullptr, 0);
            }
            return false;
        }
        usleep(2000);  // the bench's own polling; 2 ms is below the figures' resolution
    }
    return true;
}

// A CPU-bound process of one thread, as a plain program would be: floating-point work without
// end, until it is killed.
pid_t startCpuBoundProcess() {
    const pid_t pid = fork();
    if (pid == 0) {
        volatile double x = 1.0;
        for (;;) x = x * 1.0000001 + 1e-9;
    }
    if (pid < 0) throw std::runtime_error("fork failed");
    return pid;
}

// Wall time of `dreams` default dreams started together, next to `busy` CPU-bound processes.
double timeDreams(const Variant& v, const Options& o, int dreams, int busy) {
    std::vector<pid_t> hogs;
    for (int i = 0; i < busy; ++i) hogs.push_back(startCpuBoundProcess());
    const auto t0 = Clock::now();
    std::vector<pid_t> pids;
    for (int i = 0; i < dreams; ++i) pids.push_back(spawnDream(v, o, i, -1, false));
    const bool finished = waitWithin(pids, t0, o.limit, "the dream of " + v.cli);
    const double t = finished ? secondsSince(t0) : std::numeric_limits<double>::infinity();
    for (pid_t h : hogs) {
        kill(h, SIGKILL);
        waitpid(h, nullptr, 0);
    }
    return t;
}

struct Spread {
    double median, low, high;
};

Spread spreadOf(std::vector<double> x) {
    std::sort(x.begin(), x.end());
    return {x[x.size() / 2], x.front(), x.back()};
}

struct Figures {
    std::vector<double> idle, busy1, busy2, both;
};

// The time until `cli` without arguments prints its usage: the process and its libraries up to
// main(), nothing else (not the exit, which unloads them). The usage goes to stderr, which is not
// buffered, so it comes at once.
double timeToUsage(const Variant& v) {
    std::vector<std::string> args{v.cli};
    std::vector<std::string> env = childEnvironment(v);
    auto argv = pointers(args);
    auto envp = pointers(env);
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
    const auto t0 = Clock::now();
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (rc != 0) throw std::runtime_error("cannot start " + v.cli + ": " + std::strerror(rc));
    char c = 0;
    const bool printed = read(fds[0], &c, 1) == 1;
    const double seconds = secondsSince(t0);
    close(fds[0]);
    waitpid(pid, nullptr, 0);  // it ends with the usage's exit code
    if (!printed) throw std::runtime_error(v.cli + " printed no usage");
    return seconds;
}

}  // namespace

int busySection(int argc, char** argv, const std::string& modelsOverride) {
    const Options o = parseOptions(argc, argv, modelsOverride);
    const auto variants = variantsOf(o);
    std::vector<Figures> f(variants.size());
    for (int r = 0; r < o.rounds; ++r)
        for (size_t i = 0; i < variants.size(); ++i) {
            f[i].idle.push_back(timeDreams(variants[i], o, 1, 0));
            f[i].busy1.push_back(timeDreams(variants[i], o, 1, 1));
            f[i].busy2.push_back(timeDreams(variants[i], o, 1, 2));
            f[i].both.push_back(timeDreams(variants[i], o, 2, 0));
        }
    std::printf(
        "Busy machine: the default dream as a whole inceptionist-cli process, %d rounds; "
        "median (range); ratios against the same round's idle dream; inf: stopped after %.0f s\n",
        o.rounds, o.limit);
    auto ratios = [](const std::vector<double>& a, const std::vector<double>& b, double scale) {
        std::vector<double> r;
        for (size_t k = 0; k < a.size(); ++k) r.push_back(a[k] / (scale * b[k]));
        return spreadOf(r);
    };
    for (size_t i = 0; i < variants.size(); ++i) {
        const Figures& x = f[i];
        const Spread idle = spreadOf(x.idle);
        std::printf("  [%s]\n", variants[i].name.c_str());
        std::printf("    idle: %.2f s (%.2f-%.2f)\n", idle.median, idle.low, idle.high);
        const struct {
            const char* what;
            const std::vector<double>* t;
            double scale;
            const char* target;
        } rows[] = {
            {"one CPU-bound process", &x.busy1, 1.0, "target <= 2.2x idle"},
            {"two CPU-bound processes", &x.busy2, 1.0, "target <= 4x idle"},
            {"two dreams at once (against one after the other)", &x.both, 2.0, "target <= 1.0x"},
        };
        for (const auto& row : rows) {
            const Spread t = spreadOf(*row.t), q = ratios(*row.t, x.idle, row.scale);
            std::printf("    %s: %.2f s (%.2f-%.2f), %.2fx (%.2f-%.2f), %s\n", row.what, t.median,
                        t.low, t.high, q.median, q.low, q.high, row.target);
        }
        if (i > 0) {
            const Spread q = ratios(x.idle, f[0].idle, 1.0);
            std::printf("    idle against the engine policy's: %.3fx (%.3f-%.3f)\n", q.median,
                        q.low, q.high);
        }
    }
    std::printf("\n");
    return 0;
}

int startupSection(int argc, char** argv, const std::string& modelsOverride) {
    const Options o = parseOptions(argc, argv, modelsOverride);
    std::vector<Variant> variants{{"engine", INCEPTIONIST_CLI_PATH, {}}};
    if (!o.baselineCli.empty())
        variants.push_back({"baseline " + o.baselineCli, o.baselineCli, {}});
    constexpr int kRuns = 5;
    std::printf("Start-up to the first step of a whole inceptionist-cli dream (%d runs)\n", kRuns);
    std::vector<std::vector<double>> startups(variants.size()), floors(variants.size());
    for (int run = 0; run < kRuns; ++run)
        for (size_t i = 0; i < variants.size(); ++i) {
            floors[i].push_back(timeToUsage(variants[i]));
            int fds[2];
            if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
            const auto t0 = Clock::now();
            const pid_t pid = spawnDream(variants[i], o, 0, fds[1], true);
            close(fds[1]);
            // The first three progress lines: the ends of steps 1, 2 and 3 of the first octave.
            std::vector<double> lines;
            FILE* err = fdopen(fds[0], "r");
            char line[512];
            while (std::fgets(line, sizeof line, err) != nullptr)
                if (std::strncmp(line, "progress ", 9) == 0 && lines.size() < 3)
                    lines.push_back(secondsSince(t0));
            std::fclose(err);
            waitSucceeded(pid, "the dream of " + variants[i].cli);
            if (lines.size() < 3) throw std::runtime_error("no progress lines");
            startups[i].push_back(lines[0] - (lines[2] - lines[1]));
        }
    for (size_t i = 0; i < variants.size(); ++i) {
        const Spread s = spreadOf(startups[i]);
        const Spread f = spreadOf(floors[i]);
        std::printf(
            "  [%s] %.3f s (%.3f-%.3f), target <= 0.4 s; the libraries alone "
            "(to the usage of inceptionist-cli without arguments): %.3f s (%.3f-%.3f)\n",
            variants[i].name.c_str(), s.median, s.low, s.high, f.median, f.low, f.high);
    }
    // The floor under any of them: an empty program that links libtorch.
    std::vector<double> empty;
    for (int run = 0; run < kRuns; ++run)
        empty.push_back(timeToUsage({"libtorch alone", INCEPTIONIST_TORCH_FLOOR_PATH, {}}));
    const Spread e = spreadOf(empty);
    std::printf(
        "  an empty program linked with libtorch, to its first output: %.3f s (%.3f-%.3f)\n",
        e.median, e.low, e.high);
    std::printf("\n");
    return 0;
}

}  // namespace inceptionist::bench
