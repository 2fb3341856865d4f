"""Publish one airport's chosen model (the first one if it passed the check,
else the retrained one) with a metrics JSON that records both attempts and
the lineage (content hashes of the data and the model). Writes
<out>/model.pkl, <out>/metrics.json and <out>/row.json (one line, the output
parameter the report aggregates).
"""
import argparse
import hashlib
import json
import os
import shutil

p = argparse.ArgumentParser()
p.add_argument("--airport", required=True)
p.add_argument("--model", required=True, help="the chosen model.pkl")
p.add_argument("--metrics", required=True, help="the chosen model's check metrics (JSON)")
p.add_argument("--first-metrics", required=True, help="the first model's check metrics (JSON)")
p.add_argument("--train", required=True)
p.add_argument("--test", required=True)
p.add_argument("--out", default="/tmp/publish")
a = p.parse_args()


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


chosen, first = json.loads(a.metrics), json.loads(a.first_metrics)
os.makedirs(a.out, exist_ok=True)
shutil.copyfile(a.model, os.path.join(a.out, "model.pkl"))
row = dict(chosen, retrained=chosen["params"] != first["params"],
           first_mae=first["mae"], first_passed=first["passed"])
record = {
    "airport": a.airport,
    "chosen": chosen,
    "attempts": [first] + ([chosen] if row["retrained"] else []),
    "lineage": {"train_csv_sha256": sha256(a.train), "test_csv_sha256": sha256(a.test),
                "model_sha256": sha256(os.path.join(a.out, "model.pkl"))},
}
with open(os.path.join(a.out, "metrics.json"), "w") as f:
    json.dump(record, f, indent=2)
with open(os.path.join(a.out, "row.json"), "w") as f:
    json.dump(row, f, separators=(",", ":"))
print(f"publish {a.airport}: {chosen['params']} model, MAE {chosen['mae']} "
      f"vs baseline {chosen['baseline_mae']}{'' if chosen['passed'] else ' (still not better)'}")
