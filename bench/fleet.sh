#!/usr/bin/env bash
# The foresight fleet at scale: runs examples/foresight/fleet.yaml once and
# prints its wall time and Loom's own CPU time and peak RSS (the loom process
# alone, its steps excluded: sampled from /proc/<pid>/stat and VmHWM every
# 0.2 s while it runs), plus how many airports published a model.
# Usage: bench/fleet.sh DATA_DIR [loom run flags...]
#   bench/fleet.sh "$(bash scripts/fleet-data.sh)" -p min-flights=2          # the real 213 airports
#   /usr/bin/python3 examples/foresight/synth.py --airports 3500 --out /work/synth-3500
#   bench/fleet.sh /work/synth-3500 -p model=tiny -p min-flights=2             # 3,500 synthetic airports
# Keep DATA_DIR out of /tmp (each step has a private /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: $0 DATA_DIR [loom run flags...]" >&2; exit 2; }
data=$(realpath "$1")
shift
loom=${LOOM:-build/loom}
home=$(mktemp -d "${TMPDIR:-/var/tmp}/loom-fleet.XXXXXX")
export LOOM_HOME=$home
ticks=$(getconf CLK_TCK)

start=$(date +%s%N)
"$loom" run examples/foresight/fleet.yaml --name fleet -o name \
  -p data-dir="$data" -p code-dir="$PWD/examples/foresight" "$@" >/dev/null 2>"$home/loom.err" &
pid=$!
cpu=0 rss=0
while kill -0 "$pid" 2>/dev/null; do
  if stat=$(cat "/proc/$pid/stat" 2>/dev/null) && status=$(cat "/proc/$pid/status" 2>/dev/null); then
    fields=(${stat##*) })   # after the command name; utime and stime are fields 14 and 15
    cpu=$((fields[11] + fields[12]))
    rss=$(awk '/^VmHWM:/ {print $2}' <<<"$status")
  fi
  sleep 0.2
done
set +e
wait "$pid"
rc=$?
set -e
end=$(date +%s%N)

models=$(find "$home/runs/fleet/artifacts" -mindepth 2 -maxdepth 2 -type f -name metrics | wc -l)
steps=$(find "$home/runs/fleet/steps" -mindepth 1 -maxdepth 1 -type d | wc -l)
echo "loom exit:         $rc"
echo "wall:              $(echo "scale=1; ($end - $start) / 1000000000" | bc) s"
echo "loom's own CPU:    $(echo "scale=2; $cpu / $ticks" | bc) s (user+system, steps excluded)"
echo "loom's peak RSS:   $(echo "scale=1; $rss / 1024" | bc) MiB"
echo "step folders:      $steps"
echo "models published:  $models"
echo "load average:      $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$home"
