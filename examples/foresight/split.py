"""Split one airport's flights into a train and a test set (deterministic:
the shuffle is seeded by --seed and the airport code), joining the origin
airports' coordinates from airports.csv. Writes <out>/train.csv and
<out>/test.csv (columns in features.py).

--poison AIRPORT: when it names this airport, the delays are blanked out, so
the split "succeeds" but its data is unusable and training fails: an injected
failure that must stay inside this airport's branch.
"""
import argparse
import csv
import json
import os
import random
import sys

p = argparse.ArgumentParser()
p.add_argument("--data-dir", required=True)
p.add_argument("--airport", required=True)
p.add_argument("--seed", default="2001")
p.add_argument("--test-fraction", type=float, default=0.25)
p.add_argument("--poison", default="")
p.add_argument("--out", default="/tmp/split")
a = p.parse_args()

shard = os.path.join(a.data_dir, "by-destination", a.airport + ".json")
if os.path.exists(shard):  # synthetic fleets (synth.py): one file per destination
    with open(shard) as f:
        flights = json.load(f)
else:
    with open(os.path.join(a.data_dir, "flights-20k.json")) as f:
        flights = [r for r in json.load(f) if r["destination"] == a.airport]
if len(flights) < 2:
    sys.exit(f"split: {a.airport} has {len(flights)} flight(s) in {a.data_dir}; "
             "need at least 2 (one to train on, one to test on)")

coords = {}
with open(os.path.join(a.data_dir, "airports.csv"), newline="") as f:
    for r in csv.DictReader(f):
        coords[r["iata"]] = (r["latitude"], r["longitude"])

random.Random(f"{a.seed}:{a.airport}").shuffle(flights)
n_test = min(len(flights) - 1, max(1, round(len(flights) * a.test_fraction)))
poisoned = a.poison == a.airport

os.makedirs(a.out, exist_ok=True)
columns = ["date", "delay", "distance", "origin", "destination", "origin_lat", "origin_lon"]
for name, rows in (("test", flights[:n_test]), ("train", flights[n_test:])):
    with open(os.path.join(a.out, name + ".csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(columns)
        for r in rows:
            lat, lon = coords.get(r["origin"], ("", ""))
            delay = "" if poisoned else r["delay"]
            w.writerow([r["date"], delay, r["distance"], r["origin"], r["destination"], lat, lon])

print(f"split {a.airport}: {len(flights) - n_test} train, {n_test} test"
      + (" (POISONED: delays blanked)" if poisoned else ""))
