"""Check one model on the test split: does it beat "predict the mean train
delay" by mean absolute error? Writes <out>/passed ("true"/"false") and
<out>/metrics.json (one line), the step's output parameters.
"""
import argparse
import json
import os
import pickle
import sys

import numpy as np

import features

p = argparse.ArgumentParser()
p.add_argument("--airport", required=True)
p.add_argument("--model", required=True)
p.add_argument("--test", required=True, help="test.csv from split.py")
p.add_argument("--out", default="/tmp/check")
a = p.parse_args()

with open(a.model, "rb") as f:
    bundle = pickle.load(f)
try:
    X, y, _ = features.load(a.test)
except features.UnusableData as e:
    sys.exit(f"check {a.airport}: {e}")

mae = float(np.abs(y - bundle["pipeline"].predict(X)).mean())
baseline_mae = float(np.abs(y - bundle["train_mean_delay"]).mean())
passed = mae < baseline_mae
metrics = {
    "airport": a.airport, "params": bundle["params"], "passed": passed,
    "mae": round(mae, 3), "baseline_mae": round(baseline_mae, 3),
    "n_train": bundle["n_train"], "n_test": int(len(y)),
    "fit_seconds": round(bundle["fit_seconds"], 3),
}
os.makedirs(a.out, exist_ok=True)
with open(os.path.join(a.out, "passed"), "w") as f:
    f.write("true" if passed else "false")
with open(os.path.join(a.out, "metrics.json"), "w") as f:
    json.dump(metrics, f, separators=(",", ":"))
print(f"check {a.airport} [{bundle['params']}]: MAE {mae:.2f} vs baseline {baseline_mae:.2f}"
      f" -> {'passed' if passed else 'FAILED'}")
