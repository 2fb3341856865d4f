"""Lists the destination airports to model, as a JSON list on stdout (the
workflow fans out over it with withParam): those with at least --min-flights
flights (never fewer than 2: a model needs one flight to train on and one to
test on), busiest first, at most --limit of them (0 = all). --airports A,B,C
picks those instead. The --poison airport is always included, so a test can
add one broken branch to a small fleet.

Real data: <data-dir>/flights-20k.json. Synthetic data (synth.py) may instead
give <data-dir>/by-destination/index.json ({"AIRPORT": flights, ...}).
"""
import argparse
import collections
import json
import os
import sys

p = argparse.ArgumentParser()
p.add_argument("--data-dir", required=True)
p.add_argument("--min-flights", type=int, default=20)
p.add_argument("--limit", type=int, default=0)
p.add_argument("--airports", default="")
p.add_argument("--poison", default="")
a = p.parse_args()
if not a.data_dir:
    sys.exit("list-airports: no data: pass -p data-dir=DIR (scripts/fleet-data.sh prints it)")

index = os.path.join(a.data_dir, "by-destination", "index.json")
flights = os.path.join(a.data_dir, "flights-20k.json")
if not os.path.exists(index) and not os.path.exists(flights):
    hint = (" (each step has a private /tmp: keep the data outside /tmp)"
            if os.path.abspath(a.data_dir).startswith("/tmp/") else "")
    sys.exit(f"list-airports: no flights-20k.json or by-destination/index.json in {a.data_dir}{hint}")
if os.path.exists(index):
    with open(index) as f:
        counts = json.load(f)
else:
    with open(flights) as f:
        counts = collections.Counter(r["destination"] for r in json.load(f))

if a.airports.strip():
    chosen = [code.strip() for code in a.airports.split(",") if code.strip()]
else:
    least = max(a.min_flights, 2)
    chosen = sorted((c for c, n in counts.items() if n >= least), key=lambda c: (-counts[c], c))
    if a.limit > 0:
        chosen = chosen[:a.limit]
    print(f"list-airports: {len(chosen)} of {len(counts)} airports "
          f"(at least {least} flights, limit {a.limit or 'none'})", file=sys.stderr)
if a.poison and a.poison not in chosen:
    chosen.append(a.poison)
print(json.dumps(chosen))
