#!/usr/bin/env bash
# The README's main job: installs what is needed, builds Loom, and runs the
# example ML pipeline on this machine (embedded default: no server, no cluster).
# Extra arguments go to `loom run` (e.g. -p regions=20).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh build >&2
exec build/loom run examples/quickstart/train-models.yaml "$@"
