#!/usr/bin/env bash
# Builds the tests with a sanitizer, each kind in its own folder, and runs them through CTest.
#
#   scripts/sanitize.sh address [CTEST OPTIONS]   the whole suite under ASan + UBSan (build-asan)
#   scripts/sanitize.sh thread  [CTEST OPTIONS]   the threaded tests under TSan (build-tsan)
#
# Only the project's code is instrumented; libtorch, Qt, OpenCV and libgomp are Debian's builds.
# Reports inside them are suppressed in tests/sanitizers/ (each entry says why); any report in
# the project's code fails the run. Only the test executables and what they need are built (not
# the benchmark or the fuzz targets). The normal build in build/ is left as it is.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kind=${1:-}
[ $# -gt 0 ] && shift
supp="$root/tests/sanitizers"

case "$kind" in
address)
    build=${INCEPTIONIST_ASAN_BUILD_DIR:-$root/build-asan}
    tests=()  # all of them
    ;;
thread)
    build=${INCEPTIONIST_TSAN_BUILD_DIR:-$root/build-tsan}
    # The tests that run the dream worker, the controller, the explorer and prints across threads.
    tests=(test_request_mailbox test_dream_controller test_explorer test_print test_main_window)
    ;;
*)
    echo "usage: scripts/sanitize.sh address|thread [CTEST OPTIONS]" >&2
    exit 2
    ;;
esac

# The models the tests use: the normal build's (scripts/setup.sh fetched them).
models=${INCEPTIONIST_MODELS:-$root/build/models}
"$root/models/fetch-models.sh" "$models"

# As in scripts/setup.sh: the precompiled torch header works with ccache only when ccache may
# ignore these details, and paths are hashed relative to the clone so another clone reuses them.
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
export CCACHE_BASEDIR="$root"

if [ ! -f "$build/build.ninja" ]; then
    # -O1 keeps the run fast enough and the stacks readable; -g1 gives file:line in reports
    # without full debug info. NDEBUG as in the normal Release build, so the same code runs.
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" \
        -DINCEPTIONIST_SANITIZE="$kind" -DINCEPTIONIST_MODELS_DIR="$models" >/dev/null
fi

# The test executables (CTest names them after their targets); their own dependencies (the
# command line, the window for test_thread_policy, autosave_child) come with them.
if [ ${#tests[@]} -eq 0 ]; then
    mapfile -t targets < <(ctest --test-dir "$build" -N | sed -n 's/^ *Test *#[0-9]*: *//p')
    regex=""
else
    targets=("${tests[@]}")
    regex="^($(IFS='|'; echo "${tests[*]}"))\$"
fi
cmake --build "$build" --target "${targets[@]}" -j2

# Qt Test stops a test function after 5 minutes by default; instrumented code is slower.
export QTEST_FUNCTION_TIMEOUT=${QTEST_FUNCTION_TIMEOUT:-1200000}
case "$kind" in
address)
    export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=0:check_initialization_order=1"
    export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
    export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
    ;;
thread)
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$supp/tsan.supp:print_suppressions=0"
    # libgomp's barriers are not instrumented: TSan cannot see their ordering and reports
    # torch's parallel loops as races. One thread per dream keeps those out of the run.
    export INCEPTIONIST_THREADS=1
    ;;
esac

if [ -n "$regex" ]; then
    ctest --test-dir "$build" --output-on-failure -R "$regex" "$@"
else
    ctest --test-dir "$build" --output-on-failure "$@"
fi
