"""The exit handler: write a run summary (workflow status, duration and every
failed node, with the airport it belongs to) to <out>/summary.json and
<out>/summary.md, and print it.

--failures: a file with Argo's {{workflow.failures}} JSON list.
"""
import argparse
import json
import os
import re

p = argparse.ArgumentParser()
p.add_argument("--workflow", required=True)
p.add_argument("--status", required=True)
p.add_argument("--duration", default="")
p.add_argument("--failures", required=True)
p.add_argument("--out", default="/tmp/summary")
a = p.parse_args()

with open(a.failures) as f:
    text = f.read().strip()
failures = json.loads(text) if text and text != "null" else []

# A fan-out item's node is displayed "airport(3:BOS)"; its steps are under it.
failed_airports = sorted({m.group(1) for n in failures
                          if (m := re.match(r"airport\(\d+:([^)]+)\)$", n.get("displayName", "")))})
summary = {
    "workflow": a.workflow, "status": a.status,
    "duration_seconds": round(float(a.duration), 1) if a.duration else None,
    "failed_airports": failed_airports,
    "failures": [{k: n.get(k, "") for k in ("displayName", "templateName", "phase", "message",
                                              "podName")} for n in failures],
}
os.makedirs(a.out, exist_ok=True)
with open(os.path.join(a.out, "summary.json"), "w") as f:
    json.dump(summary, f, indent=2)

lines = [f"# Run summary: {a.workflow}", "",
         f"status: **{a.status}**, {summary['duration_seconds']} s", ""]
if failed_airports:
    lines.append(f"failed airports ({len(failed_airports)}): {', '.join(failed_airports)}")
    lines.append("")
pods = [n for n in summary["failures"] if n["templateName"] not in ("airport", "fleet")]
if pods:
    lines += ["| node | template | phase | message | log folder |", "|---|---|---|---|---|"]
    lines += [f"| {n['displayName']} | {n['templateName']} | {n['phase']} | {n['message']} | "
              f"steps/{n['podName']} |" for n in pods]
with open(os.path.join(a.out, "summary.md"), "w") as f:
    f.write("\n".join(lines) + "\n")
print("\n".join(lines))
