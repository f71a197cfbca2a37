#!/usr/bin/env bash
# Installs the .deb that cpack built into a fresh, minimal Debian 12 (debootstrap) and checks that
# it starts there: the command line lists its models and dreams, and the window, under Xvfb,
# saves a screenshot halfway through its first dream. Needs root and Debian's package mirror.
#
#   packaging/check-clean-install.sh [DEB] [CHROOT]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
deb=$(readlink -f "${1:-$(ls "$root"/build/inceptionist_*_amd64.deb | tail -1)}")
chroot=${2:-$(mktemp -d /tmp/inceptionist-clean.XXXXXX)}
command -v debootstrap >/dev/null || apt-get install -y -q debootstrap
[ -x "$chroot/bin/bash" ] || debootstrap --variant=minbase bookworm "$chroot" http://deb.debian.org/debian
cp "$deb" "$chroot/tmp/inceptionist.deb"
mount -t proc proc "$chroot/proc"
trap 'umount "$chroot/proc"' EXIT
chroot "$chroot" bash -euc '
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q /tmp/inceptionist.deb xvfb xauth >/dev/null
    inceptionist-cli models | grep -q "inception_v3"
    inceptionist-cli dream /usr/share/inceptionist/sample-dog.jpg /tmp/dream.png --octaves 2 --steps 2
    XDG_CONFIG_HOME=/tmp/config xvfb-run -a -s "-screen 0 1440x900x24" inceptionist --screenshot /tmp/window.png
'
cp "$chroot/tmp/window.png" "$root/build/clean-install-window.png"
echo "clean install: ok; the window as it started there: build/clean-install-window.png"
