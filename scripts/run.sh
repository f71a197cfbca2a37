#!/usr/bin/env bash
# Quick start: set up what is missing, build, and open the window on the bundled sample photo,
# which starts dreaming at once. Without a display it dreams the sample from the command line
# instead and writes dream.png.
#
#   scripts/run.sh [IMAGE]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
build=${INCEPTIONIST_BUILD_DIR:-$root/build}
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    exec "$build/app/inceptionist" "$@"
fi
echo "run: no display; dreaming the sample from the command line instead"
"$build/app/inceptionist-cli" dream "${1:-$root/resources/sample-dog.jpg}" dream.png
echo "run: wrote dream.png"
