#!/usr/bin/env bash
# Scale benchmark: one step fanned out with withSequence over N items
# (default 100,000), each `true`. Prints wall time, Loom's CPU time and peak RSS.
# Usage: bench/fanout.sh [N] [extra loom run flags]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
shift || true
out=$(mktemp -d /tmp/loom-fanout.XXXXXX)
cat > "$out/fanout.yaml" <<YAML
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: fanout
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: item
        template: noop
        withSequence: {count: "$n"}
  - name: noop
    container:
      image: alpine
      command: ["true"]
YAML
export LOOM_HOME="$out/home"
/usr/bin/time -f "wall %e s, loom user %U s + sys %S s, peak RSS %M KiB" \
  "${LOOM:-build/loom}" run "$out/fanout.yaml" --isolation=none -o name "$@" 2>&1 >/dev/null | tail -1
rm -rf "$out"
