#!/usr/bin/env bash
# What running through `loom server` costs over `loom run`: the same N-step
# fan-out (each step `true`, isolation none) run by `loom run`, then
# submitted to a server with `loom submit --wait` (every step under its own
# `loom __supervise` process, every node change durable in the store); then
# W workflows of S steps each submitted at once, against one workflow of W*S
# steps. Prints wall times, the overhead per step and the server's own CPU time.
# Usage: bench/server.sh [N=1000] [W=50] [S=20]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
w=${2:-50}
s=${3:-20}
loom=$(realpath "${LOOM:-build/loom}")
out=$(mktemp -d /tmp/loom-server-bench.XXXXXX)
export LOOM_HOME="$out/home"
trap 'kill $server_pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$out"' EXIT

fanout() {  # NAME COUNT -> a workflow file
  cat > "$out/$1.yaml" <<YAML
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: $1-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: item, template: noop, withSequence: {count: "$2"}}
  - name: noop
    container: {image: alpine, command: ["true"]}
YAML
}
now() { date +%s.%N; }
cpu_of() { awk '{print ($14 + $15) / 100}' "/proc/$1/stat"; }

fanout one "$n"
fanout many "$s"
fanout big $((w * s))

start=$(now)
"$loom" run "$out/one.yaml" --isolation=none -o name >/dev/null
run_wall=$(echo "$(now) - $start" | bc)

port=$((20000 + RANDOM % 20000))
"$loom" server --listen "127.0.0.1:$port" --no-auth --isolation=none >"$out/server.log" 2>&1 &
server_pid=$!
export LOOM_SERVER="http://127.0.0.1:$port"
for _ in $(seq 100); do "$loom" list >/dev/null 2>&1 && break; sleep 0.1; done

cpu0=$(cpu_of $server_pid)
start=$(now)
"$loom" submit "$out/one.yaml" --wait >/dev/null
server_wall=$(echo "$(now) - $start" | bc)
cpu1=$(cpu_of $server_pid)

start=$(now)
"$loom" submit "$out/big.yaml" --wait >/dev/null
big_wall=$(echo "$(now) - $start" | bc)
cpu2=$(cpu_of $server_pid)

start=$(now)
names=()
for _ in $(seq "$w"); do names+=("$("$loom" submit "$out/many.yaml" -o name)"); done
"$loom" wait "${names[@]}" >/dev/null
many_wall=$(echo "$(now) - $start" | bc)
cpu3=$(cpu_of $server_pid)
rss=$(awk '/VmHWM/ {print $2}' "/proc/$server_pid/status")

printf 'steps per workflow:              %d\n' "$n"
printf 'loom run:                        %.2f s\n' "$run_wall"
printf 'loom server (submit --wait):     %.2f s  (server CPU %.2f s)\n' "$server_wall" \
  "$(echo "$cpu1 - $cpu0" | bc)"
printf 'overhead per step:               %.2f ms\n' "$(echo "($server_wall - $run_wall) * 1000 / $n" | bc -l)"
printf '1 workflow of %d steps:        %.2f s  (server CPU %.2f s)\n' $((w * s)) "$big_wall" \
  "$(echo "$cpu2 - $cpu1" | bc)"
printf '%d workflows of %d steps at once: %.2f s  (server CPU %.2f s)\n' "$w" "$s" "$many_wall" \
  "$(echo "$cpu3 - $cpu2" | bc)"
printf 'ratio many/one:                  %.2f\n' "$(echo "$many_wall / $big_wall" | bc -l)"
printf 'server peak RSS:                 %d KiB\n' "$rss"
