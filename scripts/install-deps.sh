#!/usr/bin/env bash
# Installs the Debian packages Loom needs to build, test and run its example
# (and npm, which fetches the example's data).
# Idempotent: skips apt entirely when every package is already present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git clang-format
  libyaml-cpp-dev nlohmann-json3-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev libsqlite3-dev zlib1g-dev
  libpq-dev postgresql  # the store's PostgreSQL backend and its tests' server
  libcpp-httplib-dev  # the server's REST API and the CLI's client of it
  libhowardhinnant-date-dev tzdata  # CronWorkflow schedules in their time zones
  bubblewrap python-is-python3 python3 procps bc time
  python3-numpy python3-sklearn python3-matplotlib  # the foresight example's steps
  slurm-wlm munge  # the Slurm executor's tests start a real cluster (scripts/slurm-test-cluster.sh)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm fetches the example's data; any npm on PATH will do.
command -v npm >/dev/null || missing+=(npm)

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
