#!/usr/bin/env bash
# Installs what is needed, builds Loom, and runs the whole test suite twice:
# a normal build, then one under AddressSanitizer + UBSan.
# Usage: scripts/test.sh            (both)
#        LOOM_SKIP_SANITIZE=1 scripts/test.sh   (normal build only)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

echo "== build (RelWithDebInfo)"
bash scripts/build.sh build
echo "== tests"
(cd build && ctest --output-on-failure -j"$jobs" --timeout 600)

if [ -z "${LOOM_SKIP_SANITIZE:-}" ]; then
  echo "== build (AddressSanitizer + UBSan)"
  bash scripts/build.sh build-asan -DLOOM_SANITIZE=ON -DLOOM_BUILD_BENCH=OFF
  echo "== tests under AddressSanitizer + UBSan"
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  # Argo's examples and the fleet on Slurm ran in the normal build; here the Slurm
  # executor's own tests do (the CI's 90 minutes do not hold both twice).
  (cd build-asan && ctest --output-on-failure -j"$jobs" --timeout 900 -E 'SlurmConformance|foresight_fleet_slurm')
fi
