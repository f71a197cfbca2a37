#!/usr/bin/env bash
# Quick start: set up what is missing, build, and dream the bundled sample photo.
#
#   scripts/run.sh [OUTPUT]      OUTPUT defaults to dream.png in the current folder
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
build=${INCEPTIONIST_BUILD_DIR:-$root/build}
out=${1:-dream.png}
"$build/app/inceptionist-cli" dream "$root/resources/sample-dog.jpg" "$out"
echo "run: wrote $out"
