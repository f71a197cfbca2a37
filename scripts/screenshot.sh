#!/usr/bin/env bash
# Starts the window under Xvfb on the sample photo and saves a picture of it halfway through the
# first dream, another with the explorer open, and one with the Motion panel previewing a zoom
# journey (the ones in the README).
#
#   scripts/screenshot.sh [OUTPUT]      OUTPUT defaults to docs/screenshot.png
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${INCEPTIONIST_BUILD_DIR:-$root/build}
out=${1:-$root/docs/screenshot.png}
# A fresh settings folder, so the picture shows the defaults and not someone's last session.
export XDG_CONFIG_HOME=$(mktemp -d)
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT
xvfb-run -a -s "-screen 0 1440x900x24" "$build/app/inceptionist" --screenshot "$out"
echo "screenshot: $out"
explorer="${out%.png}-explorer.png"
xvfb-run -a -s "-screen 0 1440x1000x24" "$build/app/inceptionist" --show-explorer --screenshot "$explorer"
echo "screenshot: $explorer"
motion="${out%.png}-motion.png"
xvfb-run -a -s "-screen 0 1440x1000x24" "$build/app/inceptionist" --show-motion --screenshot "$motion"
echo "screenshot: $motion"
