#!/usr/bin/env bash
# Brings a Debian 12 machine to the point where Inceptionist runs: installs the Debian packages
# that are missing, fetches the default models, configures and builds. Safe to run again: each
# step does only what is not done yet.
#
#   scripts/setup.sh            (sourced by scripts/run.sh and scripts/test.sh)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${INCEPTIONIST_BUILD_DIR:-$root/build}

packages=(cmake ninja-build g++ pkg-config ccache libtorch-dev libdnnl-dev qt6-base-dev libopencv-dev nlohmann-json3-dev
          zlib1g-dev libtiff-dev libonnx-dev libprotobuf-dev libhdf5-dev python3-h5py xvfb xauth
          ffmpeg libavformat-dev libavcodec-dev libavfilter-dev clang libclang-rt-14-dev
          libqt6svg6)  # SVG icons: the toolbar's bundled fallbacks and the window icon
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

"$root/models/fetch-models.sh" "${INCEPTIONIST_MODELS:-$build/models}"

# The precompiled torch header works with ccache only when ccache may ignore these details.
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
# Paths inside the project are hashed relative to it, so another clone (CI's) reuses the cache.
export CCACHE_BASEDIR="$root"
if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$build"
