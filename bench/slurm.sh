#!/usr/bin/env bash
# Loom on Slurm against Slurm alone: N one-second steps (default 100) as one
# fan-out with `loom run --executor slurm`, then the same N jobs submitted
# with plain `sbatch --wrap 'sleep 1'` and waited for (squeue until none is
# left), on the cluster SLURM_CONF names. Prints both wall times and the ratio.
# Usage: eval "$(scripts/slurm-test-cluster.sh up /var/tmp/slurm)"; bench/slurm.sh [N] [loom run flags]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${SLURM_CONF:-}" ] || { echo "bench/slurm.sh: set SLURM_CONF (scripts/slurm-test-cluster.sh up DIR)" >&2; exit 2; }
steps=${1:-100}
shift || true
loom=${LOOM:-build/loom}
work=$(mktemp -d /var/tmp/loom-slurm-bench.XXXXXX)
export LOOM_HOME=$work/home

cat >"$work/fanout.yaml" <<YAML
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: slurm-bench}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: sleep, template: sleep, withSequence: {count: "$steps"}}
  - name: sleep
    container: {image: alpine, command: [sleep, "1"], resources: {requests: {cpu: "1"}}}
YAML

seconds() { echo "scale=2; ($2 - $1) / 1000000000" | bc; }

start=$(date +%s%N)
"$loom" run "$work/fanout.yaml" --executor slurm -o name "$@" >/dev/null
end=$(date +%s%N)
loom_s=$(seconds "$start" "$end")

start=$(date +%s%N)
ids=()
for ((i = 0; i < steps; i++)); do
  ids+=("$(sbatch --parsable --no-requeue --cpus-per-task=1 --output=/dev/null --job-name=plain-bench --wrap 'sleep 1')")
done
list=$(IFS=,; echo "${ids[*]}")
while [ -n "$(squeue -h -j "$list" -t PENDING,RUNNING,CONFIGURING,COMPLETING -o %i 2>/dev/null)" ]; do
  sleep 0.1
done
end=$(date +%s%N)
plain_s=$(seconds "$start" "$end")

echo "steps:                   $steps one-second jobs, $(sinfo -h -o %D) nodes, $(sinfo -h -o %C | cut -d/ -f4) CPUs"
echo "loom --executor slurm:   $loom_s s"
echo "plain sbatch + squeue:   $plain_s s"
echo "ratio loom/plain:        $(echo "scale=3; $loom_s / $plain_s" | bc)"
rm -rf "$work"
