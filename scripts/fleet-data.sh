#!/usr/bin/env bash
# Fetches the real flight data for examples/foresight: the npm package
# vega-datasets@3.2.1 (data/flights-20k.json, data/airports.csv), unpacked into
# a cache folder: $LOOM_DATA_CACHE if set, else ~/.cache/loom/vega-datasets-3.2.1.
# Idempotent: does nothing when the files are already there. Prints the data
# folder (the one holding flights-20k.json) on stdout; progress goes to stderr.
# Nothing here is committed to the repository.
set -euo pipefail

version=3.2.1
cache="${LOOM_DATA_CACHE:-$HOME/.cache/loom/vega-datasets-$version}"
data="$cache/package/data"

if [ -s "$data/flights-20k.json" ] && [ -s "$data/airports.csv" ]; then
  echo "$data"
  exit 0
fi

command -v npm >/dev/null || { echo "fleet-data: npm not found (apt-get install npm)" >&2; exit 1; }
mkdir -p "$cache"
tmp="$(mktemp -d "$cache/.fetch.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

echo "fleet-data: fetching vega-datasets@$version into $cache" >&2
(cd "$tmp" && npm pack --silent "vega-datasets@$version" >/dev/null)
tarball="$(ls "$tmp"/vega-datasets-*.tgz)"
tar -xzf "$tarball" -C "$tmp" package/data/flights-20k.json package/data/airports.csv package/package.json

for f in flights-20k.json airports.csv; do
  [ -s "$tmp/package/data/$f" ] || { echo "fleet-data: $f missing from the package" >&2; exit 1; }
done
# Move into place only when complete, so an interrupted fetch is never taken for a good one.
rm -rf "$cache/package"
mv "$tmp/package" "$cache/package"
echo "$data"
