"""Aggregate every airport's published metrics into <out>/report.csv,
<out>/report.md and <out>/mae.png (model MAE vs baseline MAE per airport), and
print a short table. Airports that were listed but published nothing (their
branch failed) appear with status "failed".

--airports: a file with the JSON list the fleet fanned out over.
--metrics:  a file with the airports' aggregated output parameters, a JSON list of
            {"row": "<json>"} (or of the rows themselves).
"""
import argparse
import csv
import json
import os

p = argparse.ArgumentParser()
p.add_argument("--airports", required=True)
p.add_argument("--metrics", required=True)
p.add_argument("--out", default="/tmp/report")
p.add_argument("--show", type=int, default=15, help="rows printed to stdout")
a = p.parse_args()


def read_json(path):
    with open(path) as f:
        text = f.read().strip()
    return json.loads(text) if text else []


airports = read_json(a.airports)
published = {}
for item in read_json(a.metrics):
    if isinstance(item, dict) and "airport" not in item:
        item = item.get("row")  # {{tasks.airport.outputs.parameters}}: [{"row": "..."}, ...]
    row = json.loads(item) if isinstance(item, str) else item
    if row:
        published[row["airport"]] = row

columns = ["airport", "status", "model", "mae", "baseline_mae", "gain_pct", "first_mae",
           "n_train", "n_test", "fit_seconds"]
rows = []
for code in airports:
    m = published.get(code)
    if m is None:
        rows.append({"airport": code, "status": "failed"})
        continue
    gain = 100 * (m["baseline_mae"] - m["mae"]) / m["baseline_mae"] if m["baseline_mae"] else 0
    rows.append({"airport": code, "status": "beats baseline" if m["passed"] else "no better",
                 "model": m["params"], "mae": m["mae"], "baseline_mae": m["baseline_mae"],
                 "gain_pct": round(gain, 1), "first_mae": m["first_mae"],
                 "n_train": m["n_train"], "n_test": m["n_test"], "fit_seconds": m["fit_seconds"]})

os.makedirs(a.out, exist_ok=True)
with open(os.path.join(a.out, "report.csv"), "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=columns, restval="")
    w.writeheader()
    w.writerows(rows)

ok = [r for r in rows if r["status"] != "failed"]
counts = {s: sum(r["status"] == s for r in rows) for s in ("beats baseline", "no better", "failed")}
retrained = sum(r.get("model") == "retrain" for r in ok)
totals = (f"{len(rows)} airports: {counts['beats baseline']} beat the baseline, "
          f"{counts['no better']} no better, {counts['failed']} failed; "
          f"{retrained} retrained after failing the first check")


def markdown(rs):
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(r.get(c, "")) for c in columns) + " |" for r in rs]
    return "\n".join(lines)


with open(os.path.join(a.out, "report.md"), "w") as f:
    f.write("# Flight-delay models, one per destination airport\n\n")
    f.write(f"{totals}.\n\nMAE in minutes on each airport's test split; baseline = "
            "predict the mean train delay.\n\n![model vs baseline MAE](mae.png)\n\n")
    f.write(markdown(rows) + "\n")

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 6))
    for model, colour in (("first", "tab:blue"), ("retrain", "tab:orange")):
        pts = [r for r in ok if r["model"] == model]
        ax.scatter([r["baseline_mae"] for r in pts], [r["mae"] for r in pts], s=18,
                   c=colour, label=f"{model} model ({len(pts)})")
    if ok:
        top = max(max(r["baseline_mae"], r["mae"]) for r in ok) * 1.05
        ax.plot([0, top], [0, top], "k--", lw=1, label="model = baseline")
    if len(ok) <= 40:
        for r in ok:
            ax.annotate(r["airport"], (r["baseline_mae"], r["mae"]), fontsize=7,
                        xytext=(3, 3), textcoords="offset points")
    ax.set_xlabel("baseline MAE (predict the mean), minutes")
    ax.set_ylabel("model MAE, minutes")
    ax.set_title("Arrival-delay models per airport: below the line beats the baseline")
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(os.path.join(a.out, "mae.png"), dpi=110)
except ImportError:
    print("report: matplotlib not installed, no plot")

print(totals)
print(markdown(rows[:a.show]))
if len(rows) > a.show:
    print(f"... {len(rows) - a.show} more rows in report.csv / report.md")
