"""Generate a synthetic fleet in the same record format as vega-datasets'
flights (date, delay, distance, origin, destination) and airports.csv, sized
for scale runs of fleet.yaml:

    /usr/bin/python3 examples/foresight/synth.py --airports 3500   # -> ~/.cache/loom/synth-3500
    FORESIGHT_DATA_DIR=~/.cache/loom/synth-3500 examples/foresight/run.sh -p limit=500
    (or: build/loom run examples/foresight/fleet.yaml -p data-dir=... -p code-dir=...)

Keep the output outside /tmp: every Loom step has its own private /tmp.

Rows per airport are log-normal (median --median-flights, clipped to
[--min-rows, --max-rows]), so training times spread widely: the largest
airports train 10x+ longer than the smallest. Flights are stored one file per
destination (<out>/by-destination/<CODE>.json, plus index.json with the
counts) so each split reads only its own airport; list_airports.py and
split.py use that layout when it is there.
"""
import argparse
import csv
import itertools
import json
import math
import os
import random
import string

p = argparse.ArgumentParser()
p.add_argument("--airports", type=int, default=3500)
p.add_argument("--median-flights", type=int, default=120)
p.add_argument("--sigma", type=float, default=1.2, help="log-normal spread of rows per airport")
p.add_argument("--min-rows", type=int, default=20)
p.add_argument("--max-rows", type=int, default=10000)
p.add_argument("--origins", type=int, default=150, help="how many airports flights come from")
p.add_argument("--seed", type=int, default=7)
p.add_argument("--out", help="output folder (default ~/.cache/loom/synth-<airports>)")
a = p.parse_args()
if not a.out:
    a.out = os.path.join(os.path.expanduser("~/.cache/loom"), f"synth-{a.airports}")
if os.path.abspath(a.out).startswith("/tmp/"):
    print("synth: warning: Loom steps each see a private /tmp, so they will not find data there")

rng = random.Random(a.seed)
codes = ["".join(c) for c in itertools.product(string.ascii_uppercase, repeat=3)]
rng.shuffle(codes)
if a.airports + a.origins > len(codes):
    raise SystemExit(f"at most {len(codes) - a.origins} airports")
destinations = sorted(codes[:a.airports])
origins = codes[a.airports:a.airports + a.origins]

coords = {c: (rng.uniform(25, 48), rng.uniform(-123, -70)) for c in destinations + origins}
origin_weight = [rng.paretovariate(1.2) for _ in origins]   # a few hubs, many small fields
origin_delay = {c: rng.gauss(0, 6) for c in origins}

os.makedirs(os.path.join(a.out, "by-destination"), exist_ok=True)
with open(os.path.join(a.out, "airports.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["iata", "name", "city", "state", "country", "latitude", "longitude"])
    for c, (lat, lon) in sorted(coords.items()):
        w.writerow([c, f"Synthetic {c}", f"City {c}", "XX", "USA", f"{lat:.6f}", f"{lon:.6f}"])


def distance_miles(x, y):
    (la1, lo1), (la2, lo2) = coords[x], coords[y]
    dx = (lo2 - lo1) * 53 * math.cos(math.radians((la1 + la2) / 2))
    return max(50, int(math.hypot(dx, (la2 - la1) * 69)))


index = {}
for dest in destinations:
    n = int(min(a.max_rows, max(a.min_rows, rng.lognormvariate(math.log(a.median_flights), a.sigma))))
    local = rng.gauss(0, 5)                   # this airport's own delay level
    evening = rng.uniform(0.5, 2.5)           # how much delays build up through the day
    flights = []
    for _ in range(n):
        origin = rng.choices(origins, origin_weight)[0]
        day = rng.randrange(90)               # Jan-Mar 2001, like the real data
        month, mday = (1, day + 1) if day < 31 else (2, day - 30) if day < 59 else (3, day - 58)
        minute = int(min(1439, max(0, rng.gauss(14 * 60, 4 * 60))))
        weekday = day % 7                     # 2001-01-01 was a Monday (0)
        dist = distance_miles(origin, dest)
        mean = (local + origin_delay[origin] + evening * max(0, minute / 60 - 12)
                + (4 if weekday in (4, 6) else 0) + (3 if month == 2 else 0) + dist / 400)
        delay = int(rng.gauss(mean, 8) + (rng.expovariate(1 / 25) if rng.random() < 0.2 else 0) - 8)
        flights.append({"date": f"2001/{month:02d}/{mday:02d} {minute // 60:02d}:{minute % 60:02d}",
                        "delay": delay, "distance": dist, "origin": origin, "destination": dest})
    flights.sort(key=lambda r: r["date"])
    with open(os.path.join(a.out, "by-destination", dest + ".json"), "w") as f:
        json.dump(flights, f, separators=(",", ":"))
    index[dest] = n

with open(os.path.join(a.out, "by-destination", "index.json"), "w") as f:
    json.dump(index, f, indent=0)
sizes = sorted(index.values())
print(f"synth: {len(index)} airports, {sum(sizes)} flights "
      f"(rows per airport min {sizes[0]}, median {sizes[len(sizes) // 2]}, max {sizes[-1]}) in {a.out}")
