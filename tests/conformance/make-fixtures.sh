#!/usr/bin/env bash
# Regenerates tests/data/conformance: reference activations computed by TensorFlow.js's own CPU
# backend, which the conformance test compares the engine against. Needs node, npm and the
# default models (models/fetch-models.sh). The fixtures are committed; CI does not run this.
#
#   tests/conformance/make-fixtures.sh [MODELS_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
models=${1:-${INCEPTIONIST_MODELS:-$here/../../build/models}}
(cd "$here" && npm install --no-audit --no-fund --silent)
node "$here/make-fixtures.js" "$models" "$here/../data/conformance"
