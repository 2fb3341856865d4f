#!/usr/bin/python3
"""End-to-end test of examples/foresight/fleet.yaml: runs a small fleet with
`loom run -o json` and checks real outcomes in the final status and the files.

Fleet: four real airports chosen to exercise both paths of the check (ORD, whose
first model beats the baseline; CLT and PHL, whose first model does not, so they
are retrained; BOS, which no model beats) plus PHX, poisoned: its split blanks
the delays, so its training fails (3 attempts) and only its branch fails.

Run with Debian's python (it imports nothing outside the standard library, but
the steps need python3-sklearn):
    /usr/bin/python3 tests/fleet/fleet_test.py [--loom build/loom] [--data-dir DIR] [--executor slurm]
Data: --data-dir, else $FLEET_DATA_DIR, else scripts/fleet-data.sh (fetches once, then cached).
Exits 1 when any check fails, 77 (skipped) when the Python packages or the data
are missing; the last line is "N passed, N failed".
"""
import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CODE = os.path.join(ROOT, "examples", "foresight")
GOOD = ["ORD", "CLT", "BOS", "PHL"]
POISON = "PHX"
NAME = "fleet-test"

p = argparse.ArgumentParser()
p.add_argument("--loom", default=os.environ.get("LOOM_BINARY", os.path.join(ROOT, "build", "loom")))
p.add_argument("--data-dir", default=os.environ.get("FLEET_DATA_DIR", ""))
p.add_argument("--workflow", default=os.path.join(CODE, "fleet.yaml"))
p.add_argument("--keep", action="store_true", help="keep LOOM_HOME and print it")
p.add_argument("--executor", default="local", help="loom run --executor (slurm: SLURM_CONF's cluster)")
args = p.parse_args()

passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {what}")
    else:
        failed += 1
        print(f"FAIL {what}" + (f": {detail}" if detail else ""))
    return ok


def finish():
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed or not passed else 0)


# ---- run the fleet -------------------------------------------------------
SKIP = 77  # ctest: SKIP_RETURN_CODE 77


def skip(why):
    print(f"SKIP {why}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(SKIP)


if subprocess.run(["/usr/bin/python3", "-c", "import sklearn, numpy, matplotlib"],
                  capture_output=True).returncode != 0:
    skip("Debian's python3-sklearn, python3-numpy or python3-matplotlib is not installed")
fetch = None
if not args.data_dir:
    fetch = subprocess.run(["bash", os.path.join(ROOT, "scripts", "fleet-data.sh")],
                           check=False, capture_output=True, text=True)
data = args.data_dir or fetch.stdout.strip()
if not data or not os.path.exists(os.path.join(data, "flights-20k.json")):
    skip(f"no flight data ({fetch.stderr.strip()[-300:] if fetch else data}); run scripts/fleet-data.sh")
if not check(os.access(args.loom, os.X_OK), f"loom binary at {args.loom}"):
    finish()

home = tempfile.mkdtemp(prefix="loom-fleet-test-")
env = dict(os.environ, LOOM_HOME=home)
# Every step has a private /tmp, so host files under /tmp are out of its sight:
# a checkout there (a CI clone, say) lends the steps a copy of the scripts.
code_dir = CODE
if os.path.realpath(CODE).startswith("/tmp/"):
    code_dir = os.path.join(os.path.expanduser("~/.cache/loom"), f"fleet-test-code-{os.getpid()}")
    shutil.copytree(CODE, code_dir)
command = [args.loom, "run", args.workflow, "--name", NAME, "-o", "json",
           "-p", f"data-dir={data}", "-p", f"code-dir={code_dir}",
           "-p", "airports=" + ",".join(GOOD), "-p", f"poison-airport={POISON}",
           "--executor", args.executor]
print("running:", " ".join(command), f"(LOOM_HOME={home})", flush=True)
started = time.monotonic()
run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
print(f"loom exited {run.returncode} after {time.monotonic() - started:.1f}s")
check(run.returncode == 1, "loom exits 1 (the workflow failed: one airport is poisoned)",
      f"exit {run.returncode}; stderr: {run.stderr[-2000:]}")
try:
    wf = json.loads(run.stdout)
except ValueError:
    check(False, "loom -o json prints the Workflow as JSON", run.stdout[-2000:] + run.stderr[-2000:])
    finish()

status = wf.get("status", {})
nodes = status.get("nodes", {})
check(status.get("phase") == "Failed", "workflow phase is Failed", status.get("phase"))
artifacts_dir = os.path.join(home, "runs", wf.get("metadata", {}).get("name", NAME), "artifacts")


def children_of(boundary):
    """The nodes of one DAG (by their boundaryID), keyed by display name."""
    return {n["displayName"]: n for n in nodes.values() if n.get("boundaryID") == boundary}


def out_param(node, name):
    for prm in (node or {}).get("outputs", {}).get("parameters", []) or []:
        if prm.get("name") == name:
            return prm.get("value")
    return None


def pods_under(node):
    """The Pod nodes of a task: itself, or its Retry node's attempts."""
    if node is None:
        return []
    if node.get("type") == "Pod":
        return [node]
    return [nodes[c] for c in node.get("children", []) if nodes.get(c, {}).get("type") == "Pod"]


def artifact_file(node, name):
    """Where the local artifact repository holds `name` of a task's successful attempt."""
    for pod in pods_under(node):
        if pod.get("phase") != "Succeeded":
            continue
        for candidate in (name, name + ".tgz"):
            path = os.path.join(artifacts_dir, pod["id"], candidate)
            if os.path.exists(path):
                return path
        for art in pod.get("outputs", {}).get("artifacts", []) or []:
            loc = art.get("location") or ""
            if art.get("name") == name and loc and os.path.exists(loc):
                return loc
    return None


# ---- the fan-out ---------------------------------------------------------
root_id = next((i for i, n in nodes.items() if n.get("type") == "DAG" and not n.get("boundaryID")
                and n.get("templateName") == "fleet"), None)
top = children_of(root_id) if root_id else {}
listing = top.get("list-airports")
listed = json.loads(listing["outputs"]["result"]) if listing and listing.get("outputs", {}).get("result") else []
check(listed == GOOD + [POISON], "list-airports lists the chosen airports plus the poisoned one", listed)

branches = {}
for n in nodes.values():
    m = re.match(r"airport\(\d+:([A-Z]{3})\)$", n.get("displayName", ""))
    if m and n.get("templateName") == "airport":
        branches[m.group(1)] = n
check(sorted(branches) == sorted(GOOD + [POISON]), "one airport branch per listed airport", sorted(branches))

retrained, first_passed = [], []
for code in GOOD:
    branch = branches.get(code)
    if not check(branch is not None and branch.get("phase") == "Succeeded", f"{code}: branch Succeeded",
                 branch and (branch.get("phase"), branch.get("message"))):
        continue
    tasks = children_of(branch["id"])
    first = out_param(tasks.get("check"), "passed")
    check(first in ("true", "false"), f"{code}: check outputs passed=true|false", first)
    metrics = json.loads(out_param(tasks.get("check"), "metrics") or "{}")
    check({"mae", "baseline_mae", "n_train", "n_test"} <= set(metrics),
          f"{code}: check outputs metrics", metrics)
    want = "Skipped" if first == "true" else "Succeeded"
    for task in ("retrain", "recheck"):
        got = (tasks.get(task) or {}).get("phase")
        check(got == want, f"{code}: {task} {want} (first check passed={first})", got)
    (first_passed if first == "true" else retrained).append(code)

    publish = tasks.get("publish")
    model, record = artifact_file(publish, "model"), artifact_file(publish, "metrics")
    check(model is not None and os.path.getsize(model) > 0, f"{code}: published a model file", model)
    if check(record is not None, f"{code}: published a metrics JSON", record):
        with open(record) as f:
            rec = json.load(f)
        chosen = rec.get("chosen", {})
        check(rec.get("airport") == code and chosen.get("params") == ("first" if first == "true" else "retrain"),
              f"{code}: the published model is the one the check chose", chosen)
        check(len(rec.get("attempts", [])) == (1 if first == "true" else 2),
              f"{code}: metrics record every attempt", rec.get("attempts"))
    if model:
        load = subprocess.run(["/usr/bin/python3", "-c", "import pickle,sys; b=pickle.load(open(sys.argv[1],'rb'));"
                               "assert hasattr(b['pipeline'],'predict'); print(b['airport'])", model],
                              capture_output=True, text=True, cwd=CODE)
        check(load.returncode == 0 and load.stdout.strip() == code, f"{code}: model.pkl loads and predicts",
              load.stderr[-500:])

check(bool(first_passed) and bool(retrained),
      "the fleet exercises both paths (some first models pass, some are retrained)",
      f"first passed: {first_passed}, retrained: {retrained}; pick other airports if the models changed")

# ---- the poisoned airport ------------------------------------------------
branch = branches.get(POISON)
check(branch is not None and branch.get("phase") == "Failed", f"{POISON}: poisoned branch Failed",
      branch and branch.get("phase"))
if branch:
    tasks = children_of(branch["id"])
    check((tasks.get("split") or {}).get("phase") == "Succeeded", f"{POISON}: its split Succeeded")
    train = tasks.get("train") or {}
    attempts = pods_under(train)
    check(train.get("phase") == "Failed" and len(attempts) == 3 and
          all(a.get("phase") == "Failed" for a in attempts),
          f"{POISON}: train Failed after 3 attempts (retryStrategy limit 2)",
          (train.get("phase"), [a.get("phase") for a in attempts]))
    log = os.path.join(home, "runs", NAME, "steps", attempts[-1]["id"], "log") if attempts else ""
    text = open(log, errors="replace").read() if log and os.path.exists(log) else ""
    check("no usable rows" in text, f"{POISON}: its train log says why (no usable rows)", log)
    check(all(t not in tasks or tasks[t].get("phase") in ("Omitted", "Skipped")
              for t in ("check", "retrain", "recheck", "publish")),
          f"{POISON}: nothing after train ran", {t: tasks[t].get("phase") for t in tasks})

# ---- report and exit handler ---------------------------------------------
report_dir = artifact_file(top.get("report"), "report")
check(report_dir is not None and os.path.isdir(report_dir), "report published a folder", report_dir)
if report_dir:
    with open(os.path.join(report_dir, "report.csv"), newline="") as f:
        rows = {r["airport"]: r for r in csv.DictReader(f)}
    check(sorted(rows) == sorted(GOOD + [POISON]), "report.csv lists every airport", sorted(rows))
    check(rows.get(POISON, {}).get("status") == "failed", f"report.csv marks {POISON} failed", rows.get(POISON))
    check(all(rows.get(c, {}).get("status") in ("beats baseline", "no better") for c in GOOD),
          "report.csv has metrics for every good airport")
    check(all(rows.get(c, {}).get("model") == "retrain" for c in retrained),
          "report.csv shows the retrained model for retrained airports")
    with open(os.path.join(report_dir, "report.md")) as f:
        md = f.read()
    check(all(f"| {c} |" in md for c in GOOD + [POISON]), "report.md lists every airport")
    png = os.path.join(report_dir, "mae.png")
    with open(png, "rb") as f:
        check(f.read(8) == b"\x89PNG\r\n\x1a\n", "report drew mae.png")

exit_node = next((n for n in nodes.values() if n.get("name", "").endswith(".onExit")), None)
check(exit_node is not None and exit_node.get("phase") == "Succeeded", "exit handler Succeeded",
      exit_node and exit_node.get("phase"))
summary_dir = artifact_file(exit_node, "summary") if exit_node else None
if check(summary_dir is not None, "exit handler published a summary", summary_dir):
    with open(os.path.join(summary_dir, "summary.json")) as f:
        summary = json.load(f)
    check(summary.get("status") == "Failed", "summary says the workflow Failed", summary.get("status"))
    check(summary.get("failed_airports") == [POISON], f"summary names {POISON} as the only failed airport",
          summary.get("failed_airports"))
    check(any(fl.get("templateName") == "train" for fl in summary.get("failures", [])),
          "summary says which phase failed (train)")

if code_dir != CODE:
    shutil.rmtree(code_dir, ignore_errors=True)
if args.keep or failed:
    print(f"LOOM_HOME kept at {home}")
else:
    subprocess.run(["rm", "-rf", home])
finish()
