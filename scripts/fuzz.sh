#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, clang with ASan and UBSan), replays their seed
# corpora, then fuzzes each for SECONDS (default 30; 0: replay only). New inputs go to a
# working corpus under the build folder; a crash, leak, timeout or out-of-memory input stops the
# script with the input saved in build-fuzz/found/.
#
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
# The memory an input may use before libFuzzer stops it as out of memory.
rss=${INCEPTIONIST_FUZZ_RSS_MB:-2048}
build=${INCEPTIONIST_FUZZ_BUILD_DIR:-$root/build-fuzz}
[ -f "$build/build.ninja" ] ||
    cmake -S "$root/tests/fuzz" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build "$build" -j2
# Each run keeps its own findings: libFuzzer writes the input behind a crash, a leak, a timeout or
# an out-of-memory stop into $found (cleared here, so an old finding does not fail a new run).
found="$build/found"
rm -rf "$found"
mkdir -p "$found"
failed=0
# Runs one fuzz target and prints libFuzzer's summary lines; a non-zero exit marks the run failed.
fuzz() {
    local target=$1 log status=0
    shift
    log=$(mktemp)
    (cd "$build" && "./fuzz_$target" -artifact_prefix="$found/$target-" "$@" >"$log" 2>&1) ||
        status=$?
    grep -E "INITED|DONE|^stat::number_of_executed_units|^==[0-9]+== ?ERROR|runtime error|SUMMARY" \
        "$log" || true
    if [ "$status" -ne 0 ]; then  # the whole report, stack included, beside the input
        failed=1
        mv "$log" "$found/$target.log"
        echo "fuzz_$target: the whole report is in $found/$target.log"
    else
        rm -f "$log"
    fi
}
for target in image params tfjs; do
    seeds="$root/tests/fuzz/corpus/$target"
    work="$build/work-$target"
    mkdir -p "$work"
    echo "fuzz_$target: replaying $(ls "$seeds" | wc -l) seeds"
    fuzz "$target" -runs=0 -rss_limit_mb="$rss" "$seeds"
    if [ "$seconds" -gt 0 ]; then
        echo "fuzz_$target: fuzzing for $seconds s"
        fuzz "$target" "$work" "$seeds" -max_total_time="$seconds" -rss_limit_mb="$rss" \
            -timeout=10 -print_final_stats=1
    fi
    # A crash, a leak, a timeout or running out of memory (the image limit keeps the targets
    # far below 2 GB, so an input that reaches it is a bomb the reader let through) fails the run.
    problems=$(compgen -G "$found/$target-crash-*"; compgen -G "$found/$target-leak-*"
               compgen -G "$found/$target-timeout-*"; compgen -G "$found/$target-oom-*") || true
    if [ "$failed" -ne 0 ] || [ -n "$problems" ]; then
        echo "fuzz_$target found a problem:" $problems
        exit 1
    fi
done
