#pragma once

// How many threads the engine's kernels use and how their idle threads wait: one policy for
// libtorch's intra-op pool, OpenMP and oneDNN alike (all three run on GNU OpenMP here), decided
// by the engine rather than by the user's environment.
//
// - Threads: the cores the process may run on (sched_getaffinity, and a cgroup CPU quota), the
//   same count whatever OMP_NUM_THREADS says; every thread that runs a network applies it for
//   itself (OpenMP's count is per thread), tile by tile.
// - Waiting: an idle OpenMP thread spins briefly (GOMP_SPINCOUNT=1000, some microseconds) and
//   then sleeps, instead of libgomp's default of milliseconds: a thread waiting for a partner
//   the kernel has not scheduled (another program holds the core) gives its core away at once,
//   while an idle machine keeps its speed. libgomp reads its settings once, when it is loaded,
//   so the executable sets them in the environment before any library starts (a
//   pre-initialiser, see thread_policy.cpp) and sets aside the user's OMP_* / GOMP_* settings
//   for that moment; they are back in the environment by main().
//
// INCEPTIONIST_THREADS=N fixes another count; INCEPTIONIST_THREADS=adaptive lets the count
// follow the load (the cores less what other programs used over the last quarter second,
// shared between this process's computing threads): faster next to busy programs, but a
// dream's pixels then depend on the load, as they depend on the thread count.
// INCEPTIONIST_GOMP_SPINCOUNT=N sets another spin count (the benchmark compares them).

#include <string>
#include <vector>

namespace inceptionist {

struct ThreadPolicyReport {
    int cores = 1;                      // CPUs this process may run on
    int threads = 1;                    // the count the last computing thread used
    bool fixed = false;                 // INCEPTIONIST_THREADS fixed the count
    bool adaptive = false;              // INCEPTIONIST_THREADS=adaptive: the count follows the load
    bool waitSet = false;               // libgomp read our wait settings (false: its defaults)
    long long spinCount = 0;            // GOMP_SPINCOUNT libgomp was given
    std::vector<std::string> setAside;  // the user's OMP_* settings left out ("NAME=value")
    double othersBusy = 0;              // cores other programs used, at the last sample
    int computing = 0;                  // threads of this process computing now
    int peakComputing = 0;              // most threads of this process computing at once so far
    long long computeScopes = 0;        // how often a thread started computing (network runs)
};

class ThreadPolicy {
public:
    static ThreadPolicy& instance();

    // The thread count for the calling thread's next piece of work (a tile); when adaptive,
    // samples the machine's load at most every quarter second.
    int threadsForNextWork();

    // The count that reductions whose rounding depends on the thread count always use (the
    // cores), so a dream's pixels do not depend on how many threads the load allowed.
    int nominalThreads() const;

    // Fixes the count (0: back to the policy), as INCEPTIONIST_THREADS=N does; for tests and
    // the benchmark.
    void setFixedThreads(int threads);

    // Marks the calling thread as computing (nested scopes count once), so threads of this
    // process that compute at the same time share the cores rather than each taking all.
    void enterCompute();
    void leaveCompute();

    // Records the count the calling thread's OpenMP runtime reports after applying the policy.
    void noteApplied(int threads);

    ThreadPolicyReport report() const;
    // One line: "threads 2 of 2 cores, idle threads spin 1000 then sleep, ...".
    std::string describe() const;

private:
    ThreadPolicy();
    struct State;
    State* state_;
};

}  // namespace inceptionist
