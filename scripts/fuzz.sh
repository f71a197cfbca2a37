#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, clang with ASan and UBSan), replays their seed
# corpora, then fuzzes each for SECONDS (default 30; 0: replay only). New inputs go to a
# working corpus under the build folder; a crash stops the script with the input saved there.
#
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
build=${INCEPTIONIST_FUZZ_BUILD_DIR:-$root/build-fuzz}
[ -f "$build/build.ninja" ] ||
    cmake -S "$root/tests/fuzz" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build "$build" -j2
for target in image params tfjs; do
    seeds="$root/tests/fuzz/corpus/$target"
    work="$build/work-$target"
    mkdir -p "$work"
    echo "fuzz_$target: replaying $(ls "$seeds" | wc -l) seeds"
    (cd "$build" && ./fuzz_$target -runs=0 "$seeds" 2>&1 | grep -E "INITED|DONE|ERROR" || true)
    if [ "$seconds" -gt 0 ]; then
        echo "fuzz_$target: fuzzing for $seconds s"
        (cd "$build" && ./fuzz_$target "$work" "$seeds" -max_total_time="$seconds" \
            -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 2>&1 |
            grep -E "^stat::number_of_executed_units|ERROR|SUMMARY" || true)
    fi
    # A crash leaves crash-*, leak-* or timeout-* files: that is a failure.
    found=$(compgen -G "$build/crash-*"; compgen -G "$build/leak-*"; compgen -G "$build/timeout-*") || true
    if [ -n "$found" ]; then
        echo "fuzz_$target found a problem:" $found
        exit 1
    fi
done
