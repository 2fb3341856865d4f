#!/usr/bin/env bash
# The README's main job: installs what is needed, builds Loom, and trains the
# foresight fleet (one flight-delay model per airport, real data) on this
# machine with the embedded default: no server, no cluster.
# Extra arguments go to `loom run` (e.g. -p limit=20, or -p limit=0 for every airport).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh build >&2
exec examples/foresight/run.sh "$@"
