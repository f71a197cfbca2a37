#!/usr/bin/env bash
# Paints a mask in the window as a person would (under Xvfb, with xdotool: the Mask tool, a
# larger brush, three strokes over the dog) and saves a picture of the screen once the masked
# dream has grown (docs/screenshot-mask.png).
#
#   scripts/screenshot-mask.sh [OUTPUT]      OUTPUT defaults to docs/screenshot-mask.png
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${INCEPTIONIST_BUILD_DIR:-$root/build}
out=${1:-$root/docs/screenshot-mask.png}
# A fresh settings folder, so the picture shows the defaults and not someone's last session.
export XDG_CONFIG_HOME=$(mktemp -d) XDG_DATA_HOME=$(mktemp -d)
trap 'rm -rf "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"' EXIT
export INCEPTIONIST_BIN=${INCEPTIONIST_BIN:-$build/app/inceptionist} OUT=$out
xvfb-run -a -s "-screen 0 1440x900x24" bash -c '
    "$INCEPTIONIST_BIN" & pid=$!
    wid=$(xdotool search --sync --onlyvisible --name "Inceptionist" | head -1)
    sleep 20                      # the first dream of the sample photo
    xdotool mousemove 400 400 click 1   # the canvas takes the keys (Xvfb has no window manager)
    xdotool key m key bracketright key bracketright key bracketright
    for x in 170 250 330; do      # down the dog, in the left half of the photo
        xdotool mousemove "$x" 330 mousedown 1
        for y in 380 430 480 530 580 630 680; do xdotool mousemove "$x" "$y"; sleep 0.05; done
        xdotool mouseup 1
        sleep 1
    done
    xdotool mousemove 560 300     # the brush outline, over the part left as the photo
    sleep 45                      # the masked dream
    import -window root -crop 1280x800+0+0 +repage "$OUT"   # the window (1280×800 at 0,0)
    kill "$pid"'
echo "screenshot: $out"
