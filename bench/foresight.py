#!/usr/bin/env python3
"""Generates the "foresight" DAG for the engine benchmark, twice: as an Argo
Workflow for Loom and as a build.ninja for ninja, with the same edges.

  N models x {split_train, split_test} -> train -> check, then one report
  that depends on every check: 4N + 1 steps (10,001 for N = 2,500).

Every step runs `sh -c true` (or COMMAND), so the benchmark measures the
engine and process start, not the work.
"""
import argparse
import os


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", type=int, default=2500)
    parser.add_argument("--out", default="/tmp/loom-foresight")
    parser.add_argument("--command", default="true")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    n = args.models

    tasks = []
    for i in range(n):
        tasks.append(f"      - {{name: split-train-{i}, template: step}}")
        tasks.append(f"      - {{name: split-test-{i}, template: step}}")
        tasks.append(f"      - {{name: train-{i}, template: step, "
                     f"depends: 'split-train-{i} && split-test-{i}'}}")
        tasks.append(f"      - {{name: check-{i}, template: step, depends: 'train-{i}'}}")
    report_deps = " && ".join(f"check-{i}" for i in range(n))
    tasks.append(f"      - {{name: report, template: step, depends: '{report_deps}'}}")
    with open(os.path.join(args.out, "foresight.yaml"), "w") as f:
        f.write(f"""apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: foresight
spec:
  entrypoint: main
  templates:
  - name: step
    container:
      image: alpine
      command: [sh, -c, "{args.command}"]
  - name: main
    dag:
      tasks:
""")
        f.write("\n".join(tasks) + "\n")

    with open(os.path.join(args.out, "build.ninja"), "w") as f:
        # ninja wraps every command in /bin/sh -c itself, as it always does.
        f.write(f"rule step\n  command = sh -c \"{args.command}\"\n\n")
        for i in range(n):
            f.write(f"build split-train-{i}: step\n")
            f.write(f"build split-test-{i}: step\n")
            f.write(f"build train-{i}: step split-train-{i} split-test-{i}\n")
            f.write(f"build check-{i}: step train-{i}\n")
        f.write("build report: step " + " ".join(f"check-{i}" for i in range(n)) + "\n")
        f.write("default report\n")
    print(args.out)


if __name__ == "__main__":
    main()
