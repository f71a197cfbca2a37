#!/usr/bin/env bash
# Set up what is missing, build, and run the whole test suite through CTest.
#
#   scripts/test.sh [CTEST OPTIONS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
build=${INCEPTIONIST_BUILD_DIR:-$root/build}
ctest --test-dir "$build" --output-on-failure "$@"
