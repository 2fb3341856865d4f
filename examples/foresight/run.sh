#!/usr/bin/env bash
# Foresight, the README's main job: train one flight-delay model per destination
# airport with Loom, on this machine. Installs what the Python steps need
# (scripts/install-deps.sh), fetches the data (scripts/fleet-data.sh), runs fleet.yaml, then copies
# the report, the run summary and every published model out of Loom's artifact
# repository into a report folder and prints where it is and the table.
#
# Usage: examples/foresight/run.sh [loom run options...]
#   examples/foresight/run.sh -p limit=5                  # the 5 busiest airports
#   examples/foresight/run.sh -p min-flights=2            # every airport that can be split (213)
#   examples/foresight/run.sh -p limit=5 -p poison-airport=BOS   # one branch fails on purpose
# Environment: LOOM (default build/loom), LOOM_HOME (default ~/.loom), LOOM_DATA_CACHE,
#   FORESIGHT_DATA_DIR (data folder to use instead of the real data, e.g. synth.py's output),
#   FORESIGHT_REPORTS (default $LOOM_HOME/reports).
# Exit status: loom's (0 Succeeded, 1 Failed/Error, 2 invalid).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
loom="${LOOM:-$root/build/loom}"
home="${LOOM_HOME:-$HOME/.loom}"

bash "$root/scripts/install-deps.sh"   # Debian packages the Python steps need, npm for the data

[ -x "$loom" ] || { echo "foresight: $loom not found (build it: scripts/build.sh)" >&2; exit 2; }
data="${FORESIGHT_DATA_DIR:-$(bash "$root/scripts/fleet-data.sh")}"
name="foresight-$(date +%Y%m%d-%H%M%S)"

# Every step has a private /tmp, so host files under /tmp are out of its sight:
# a checkout there lends the steps a copy of the scripts; data there is refused.
under_tmp() { [[ "$(realpath "$1")/" == /tmp/* ]]; }
if under_tmp "$data"; then
  echo "foresight: the data folder $data is under /tmp, which steps do not see (each has its own);" \
    "move it elsewhere" >&2
  exit 2
fi
code="$here"
if under_tmp "$here"; then
  mkdir -p "$HOME/.cache/loom"
  code="$(mktemp -d "$HOME/.cache/loom/foresight-code.XXXXXX")"
  trap 'rm -rf "$code"' EXIT
  cp -r "$here"/. "$code"/
fi

set +e
"$loom" run "$here/fleet.yaml" --name "$name" \
  -p data-dir="$data" -p code-dir="$code" "$@"
rc=$?
set -e

# Steps write into private views of /, so the results live in Loom's artifact
# repository; copy them to a folder a person can open.
artifacts="$home/runs/$name/artifacts"
out="${FORESIGHT_REPORTS:-$home/reports}/$name"
mkdir -p "$out/models"
report="$(find "$artifacts" -mindepth 2 -maxdepth 2 -type d -name report 2>/dev/null | head -n1)"
summary="$(find "$artifacts" -mindepth 2 -maxdepth 2 -type d -name summary 2>/dev/null | head -n1)"
[ -n "$report" ] && cp -r "$report"/. "$out"/
[ -n "$summary" ] && cp -r "$summary"/. "$out"/
# Each airport's publish step stored `model` and `metrics` side by side.
while IFS= read -r metrics; do
  airport="$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["airport"])' "$metrics" 2>/dev/null)" || continue
  [ -n "$airport" ] || continue
  cp "$metrics" "$out/models/$airport.metrics.json"
  [ -f "$(dirname "$metrics")/model" ] && cp "$(dirname "$metrics")/model" "$out/models/$airport.pkl"
done < <(find "$artifacts" -mindepth 2 -maxdepth 2 -type f -name metrics 2>/dev/null)

echo
echo "foresight: workflow $name finished (loom exit $rc)"
echo "foresight: report in $out"
if [ -f "$out/report.md" ]; then
  echo "  $out/report.md, report.csv, mae.png; models/<AIRPORT>.pkl and .metrics.json"
  echo
  sed -n '3p' "$out/report.md"          # the totals line
  echo
  # The table; for big fleets only its first 30 airports (awk, not head: no SIGPIPE under pipefail).
  rows=$(grep -c '^|' "$out/report.md" || true)
  show=$((rows <= 42 ? rows : 32))
  awk -v show="$show" '/^\|/ && ++n <= show' "$out/report.md"
  ((rows > show)) && echo "... $((rows - show)) more rows in $out/report.md"
else
  echo "  no report was produced; see $home/runs/$name/"
fi
if [ -f "$out/summary.json" ] && grep -q '^failed airports' "$out/summary.md"; then
  echo
  grep '^failed airports' "$out/summary.md"
  # Why: the last line each failed step wrote (its log is on the host, not in the step's view).
  /usr/bin/python3 - "$out/summary.json" "$home/runs/$name/steps" <<'PY'
import json, os, re, sys
summary, steps = json.load(open(sys.argv[1])), sys.argv[2]
seen = set()
for f in summary["failures"]:
    log = os.path.join(steps, f["podName"], "log")
    if not re.search(r"\(\d+\)$", f["displayName"]) or not os.path.exists(log):
        continue
    lines = [l.strip() for l in open(log, errors="replace") if l.strip()]
    why = lines[-1] if lines else f["message"]
    if why not in seen:
        seen.add(why)
        print(f"  {f['templateName']} failed: {why}\n    log: {log}")
PY
fi
exit "$rc"
