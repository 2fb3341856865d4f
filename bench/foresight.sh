#!/usr/bin/env bash
# The engine benchmark: runs the foresight DAG (bench/foresight.py) with Loom
# and with `ninja -j2` in one go, and prints both times and their ratio.
# Usage: bench/foresight.sh [MODELS] [extra loom run flags]   (default 2500 -> 10,001 steps)
# Loom runs with --isolation=none (as ninja has none) and again with isolation.
set -euo pipefail
cd "$(dirname "$0")/.."
models=${1:-2500}
shift || true
out=$(mktemp -d /tmp/loom-foresight.XXXXXX)
python3 bench/foresight.py --models "$models" --out "$out" >/dev/null
loom=${LOOM:-build/loom}
export LOOM_HOME="$out/home"

seconds() { local start=$1 end=$2; echo "scale=3; ($end - $start) / 1000000000" | bc; }

start=$(date +%s%N)
(cd "$out" && ninja -j2 >/dev/null)
end=$(date +%s%N)
ninja_s=$(seconds "$start" "$end")

start=$(date +%s%N)
/usr/bin/time -f "%M" -o "$out/loom.rss" "$loom" run "$out/foresight.yaml" --isolation=none --parallelism 2 -o name "$@" >/dev/null
end=$(date +%s%N)
loom_s=$(seconds "$start" "$end")

start=$(date +%s%N)
"$loom" run "$out/foresight.yaml" --parallelism 2 --name foresight-isolated -o name "$@" >/dev/null
end=$(date +%s%N)
isolated_s=$(seconds "$start" "$end")

steps=$((models * 4 + 1))
echo "steps:                  $steps"
echo "ninja -j2:              ${ninja_s} s"
echo "loom (isolation=none):  ${loom_s} s   peak RSS $(cat "$out/loom.rss") KiB"
echo "loom (isolation on):    ${isolated_s} s"
echo "ratio loom/ninja:       $(echo "scale=3; $loom_s / $ninja_s" | bc)"
echo "isolation cost per step: $(echo "scale=3; ($isolated_s - $loom_s) * 1000 / $steps" | bc) ms"
rm -rf "$out"
