#include "core/engine/thread_policy.h"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <mutex>
#include <sstream>

namespace inceptionist {

namespace {

// --- What libgomp reads when it is loaded -------------------------------------------------------
//
// libgomp reads OMP_* and GOMP_* once, in its own constructor, which runs before main() and
// before any constructor of this executable. Its default wait (OMP_WAIT_POLICY unset) spins
// 300000 times (a few milliseconds) before sleeping: when another program holds a core, the threads
// spin for a partner the kernel has not scheduled, and a dream takes 3-25 times as long.
// Measured on the 2-core development machine (default dream, the machine kept to itself with
// chrt): 1000 spins are as fast as 300000 (3.23-3.33 s against 3.27-3.38 s), 300 cost 3 %,
// passive waiting (0) 8 %; under a load of 13, 1000 spins took 9.4 s, 3000 12 s, 300000 48 s.
//
// The one moment to change what libgomp sees is a pre-initialiser of the executable
// (.preinit_array): it runs after the libraries are loaded and before any of their
// constructors. setenv() cannot be used there, since libc has not set its environment up yet
// (it would later replace ours with the original); instead the entries of the initial
// environment array are swapped in place for the time of the constructors and swapped back by
// this executable's own constructor, which runs after libgomp's.
constexpr long long kSpinCount = 1000;
char spinEntry[48] = "GOMP_SPINCOUNT=1000";
long long spinCount = kSpinCount;
char setAsideEntry[] = "INCEPTIONIST_OMP_SETTING_SET_ASIDE=1";

struct SwappedEntry {
    char** slot;
    char* original;
};
constexpr int kMaxSwapped = 32;
SwappedEntry swapped[kMaxSwapped];
int swappedCount = 0;
bool waitSet = false;

bool startsWith(const char* s, const char* prefix) {
    return std::strncmp(s, prefix, std::strlen(prefix)) == 0;
}

// OpenMP settings that change the thread count, the waiting or the placement of threads. Stack
// sizes and OMP_DISPLAY_ENV (libgomp's own report of what it read) stay as the user set them.
bool isThreadingSetting(const char* entry) {
    if (!startsWith(entry, "OMP_") && !startsWith(entry, "GOMP_")) return false;
    for (const char* kept : {"OMP_STACKSIZE=", "GOMP_STACKSIZE=", "OMP_DISPLAY_ENV=",
                             "OMP_DISPLAY_AFFINITY=", "OMP_AFFINITY_FORMAT=", "GOMP_DEBUG="})
        if (startsWith(entry, kept)) return false;
    return true;
}

void swapEntry(char** slot, char* replacement) {
    if (swappedCount == kMaxSwapped) return;
    swapped[swappedCount++] = {slot, *slot};
    *slot = replacement;
}

void setLibgompEnvironment(int, char**, char** env) {
    if (env == nullptr || env[0] == nullptr) return;  // nowhere to write: libgomp's defaults
    char** spinSlot = nullptr;
    char** underscore = nullptr;
    char** last = nullptr;
    for (char** e = env; *e != nullptr; ++e) {
        // The benchmark compares other spin counts (0 is passive waiting, 300000 libgomp's
        // default) with this variable; a value that is not a plain number is ignored.
        if (startsWith(*e, "INCEPTIONIST_GOMP_SPINCOUNT=")) {
            const char* value = *e + std::strlen("INCEPTIONIST_GOMP_SPINCOUNT=");
            char* end = nullptr;
            const long long n = std::strtoll(value, &end, 10);
            if (end != value && *end == '\0' && n >= 0 && std::strlen(value) < 20) {
                spinCount = n;
                std::strcpy(spinEntry + std::strlen("GOMP_SPINCOUNT="), value);
            }
        }
    }
    for (char** e = env; *e != nullptr; ++e) {
        last = e;
        if (startsWith(*e, "_=")) underscore = e;
        if (!isThreadingSetting(*e)) continue;
        if (spinSlot == nullptr) {
            spinSlot = e;
            swapEntry(e, spinEntry);
        } else {
            swapEntry(e, setAsideEntry);
        }
    }
    // No OpenMP setting to replace: borrow the shell's "_" (the program's path, read by no
    // library) or else the last entry, for the few constructors that run before ours.
    if (spinSlot == nullptr) swapEntry(underscore != nullptr ? underscore : last, spinEntry);
    waitSet = true;
}

__attribute__((section(".preinit_array"),
               used)) void (*const preinitEntry)(int, char**, char**) = &setLibgompEnvironment;

// This executable's constructor: libgomp has read its settings, the user's environment is due
// back (programs this one starts inherit it).
__attribute__((constructor)) void restoreEnvironment() {
    for (int i = swappedCount - 1; i >= 0; --i) *swapped[i].slot = swapped[i].original;
}

// --- The cores and their load ---------------------------------------------------------------

int quotaCores() {
    std::ifstream in("/sys/fs/cgroup/cpu.max");  // "max 100000" or "QUOTA PERIOD"
    std::string quota;
    double period = 0;
    if (!(in >> quota >> period) || quota == "max" || period <= 0) return 0;
    return std::max(1, static_cast<int>(std::ceil(std::atof(quota.c_str()) / period)));
}

double processCpuSeconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

double wallSeconds() {
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Busy time of the given CPUs, in seconds since boot, from /proc/stat.
double busySeconds(const cpu_set_t& cpus) {
    static const double tick = 1.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
    std::ifstream in("/proc/stat");
    std::string line;
    unsigned long long busy = 0;
    while (std::getline(in, line)) {
        if (!startsWith(line.c_str(), "cpu")) break;
        if (line.size() < 4 || line[3] == ' ') continue;  // the all-CPU total
        std::istringstream fields(line.substr(3));
        int cpu = -1;
        unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0,
                           softirq = 0, steal = 0;
        fields >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
        if (cpu >= 0 && cpu < CPU_SETSIZE && CPU_ISSET(cpu, &cpus))
            busy += user + nice + system + irq + softirq + steal;
    }
    return static_cast<double>(busy) * tick;
}

constexpr double kSampleInterval = 0.25;  // seconds between looks at the machine's load

thread_local int computeDepth = 0;

}  // namespace

struct ThreadPolicy::State {
    mutable std::mutex mutex;
    cpu_set_t cpus{};
    int cores = 1;
    int fixed = 0;          // INCEPTIONIST_THREADS=N
    bool adaptive = false;  // INCEPTIONIST_THREADS=adaptive
    std::vector<std::string> setAside;
    // The last sample: wall clock, busy seconds of our CPUs, this process's CPU seconds.
    double sampleWall = 0, sampleBusy = 0, sampleOwn = 0;
    double othersBusy = 0;
    int available = 1;  // cores left for this process at the last sample
    int lastThreads = 1;
    int computing = 0, peakComputing = 0;
    long long computeScopes = 0;
};

ThreadPolicy& ThreadPolicy::instance() {
    static ThreadPolicy policy;
    return policy;
}

ThreadPolicy::ThreadPolicy() : state_(new State) {
    State& s = *state_;
    CPU_ZERO(&s.cpus);
    if (sched_getaffinity(0, sizeof(s.cpus), &s.cpus) == 0) {
        s.cores = std::max(1, CPU_COUNT(&s.cpus));
    } else {
        s.cores = std::max(1, static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)));
        for (int c = 0; c < s.cores && c < CPU_SETSIZE; ++c) CPU_SET(c, &s.cpus);
    }
    if (const int quota = quotaCores(); quota > 0) s.cores = std::min(s.cores, quota);
    if (const char* mode = std::getenv("INCEPTIONIST_THREADS")) {
        s.adaptive = std::strcmp(mode, "adaptive") == 0;
        s.fixed = std::clamp(std::atoi(mode), 0, s.cores);
    }
    for (int i = 0; i < swappedCount; ++i)
        if (isThreadingSetting(swapped[i].original)) s.setAside.emplace_back(swapped[i].original);
    s.available = s.fixed > 0 ? s.fixed : s.cores;
    s.lastThreads = s.available;
    s.sampleWall = wallSeconds();
    s.sampleBusy = busySeconds(s.cpus);
    s.sampleOwn = processCpuSeconds();
}

int ThreadPolicy::threadsForNextWork() {
    State& s = *state_;
    const std::lock_guard lock(s.mutex);
    if (s.fixed > 0) return s.fixed;
    // A fixed count by default: a dream's pixels depend on its thread count (by a few levels
    // of 255 after a dream), so they do not change with the machine's load.
    if (!s.adaptive) return s.cores;
    const double now = wallSeconds();
    if (now - s.sampleWall >= kSampleInterval) {
        const double busy = busySeconds(s.cpus), own = processCpuSeconds();
        // What the other programs used of our cores over the interval, in cores. Our own
        // threads count as ours whether they computed or spun.
        s.othersBusy =
            std::max(0.0, ((busy - s.sampleBusy) - (own - s.sampleOwn)) / (now - s.sampleWall));
        s.available = std::clamp(static_cast<int>(std::lround(s.cores - s.othersBusy)), 1, s.cores);
        s.sampleWall = now;
        s.sampleBusy = busy;
        s.sampleOwn = own;
    }
    return std::max(1, s.available / std::max(1, s.computing));
}

int ThreadPolicy::nominalThreads() const { return state_->cores; }

void ThreadPolicy::setFixedThreads(int threads) {
    const std::lock_guard lock(state_->mutex);
    state_->fixed = std::clamp(threads, 0, state_->cores);
}

void ThreadPolicy::enterCompute() {
    if (computeDepth++ > 0) return;
    State& s = *state_;
    const std::lock_guard lock(s.mutex);
    ++s.computing;
    ++s.computeScopes;
    s.peakComputing = std::max(s.peakComputing, s.computing);
}

void ThreadPolicy::leaveCompute() {
    if (--computeDepth > 0) return;
    State& s = *state_;
    const std::lock_guard lock(s.mutex);
    --s.computing;
}

void ThreadPolicy::noteApplied(int threads) {
    const std::lock_guard lock(state_->mutex);
    state_->lastThreads = threads;
}

ThreadPolicyReport ThreadPolicy::report() const {
    const State& s = *state_;
    const std::lock_guard lock(s.mutex);
    ThreadPolicyReport r;
    r.cores = s.cores;
    r.threads = s.lastThreads;
    r.fixed = s.fixed > 0;
    r.adaptive = s.adaptive;
    r.waitSet = waitSet;
    r.spinCount = waitSet ? spinCount : -1;
    r.setAside = s.setAside;
    r.othersBusy = s.othersBusy;
    r.computing = s.computing;
    r.peakComputing = s.peakComputing;
    r.computeScopes = s.computeScopes;
    return r;
}

std::string ThreadPolicy::describe() const {
    const ThreadPolicyReport r = report();
    std::ostringstream out;
    out << "threads " << r.threads << " of " << r.cores << " cores"
        << (r.fixed      ? " (fixed by INCEPTIONIST_THREADS)"
            : r.adaptive ? " (adaptive: fewer while other programs are busy)"
                         : "")
        << ", ";
    if (r.waitSet)
        out << "idle threads spin " << r.spinCount << " then sleep";
    else
        out << "idle threads wait as libgomp's defaults say";
    if (!r.setAside.empty()) {
        out << ", set aside:";
        for (const auto& e : r.setAside) out << ' ' << e;
    }
    return out.str();
}

}  // namespace inceptionist
