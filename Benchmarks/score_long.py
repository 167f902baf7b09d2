#!/usr/bin/env python3
"""Unit scores on 880,000 answers: pingyi against svy (PyPI) and R survey, side by side.

The long file (Benchmarks/generate_long.py: 20,000 respondents x 44 units, two-stage design with
fpc at both stages, 6 % don't know) is scored three ways, reading the CSV included:
  pingyi score --responses F --scale surveys/scales/four-tier.yaml --out OUT       (median of 5)
  python3 Benchmarks/score_svy.py F OUT                                           (median of 3)
  Rscript Benchmarks/score_r.R F OUT                                              (once; minutes)
and the estimates and standard errors are compared (they must agree to 1e-9 relative).
Prints the times and the ratios svy/pingyi and R/pingyi. `--no-r` skips R.
"""
import argparse
import csv
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

from common import DATA, ROOT, require_pingyi


def run_reference(cmd):
    r = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return float(re.search(r"seconds:\s*([0-9.]+)", r.stdout).group(1))


def read(path):
    with open(path, encoding="utf-8") as f:
        return {row["unit"]: row for row in csv.DictReader(f)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-r", action="store_true", help="skip R (it takes minutes)")
    a = ap.parse_args()
    pingyi = require_pingyi()
    os.makedirs(DATA, exist_ok=True)
    long = os.path.join(DATA, "long_880k.csv")
    if not os.path.exists(long):
        print("generating %s ..." % long, flush=True)
        subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks", "generate_long.py"), long], check=True)
    out = tempfile.mkdtemp(prefix="pingyi-score-")
    ours, rss = [], []
    for _ in range(5):
        t = time.perf_counter()
        r = subprocess.run(["/usr/bin/time", "-f", "%M", pingyi, "score", "--responses", long, "--scale",
                            os.path.join(ROOT, "surveys", "scales", "four-tier.yaml"), "--out", os.path.join(out, "pingyi.csv")],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        ours.append(time.perf_counter() - t)
        rss.append(int(r.stderr.strip().splitlines()[-1]) / 1024)
    svy_times = [run_reference([sys.executable, os.path.join(ROOT, "Benchmarks", "score_svy.py"), long, os.path.join(out, "svy.csv")])
                 for _ in range(3)]
    mine, theirs = read(os.path.join(out, "pingyi.csv")), read(os.path.join(out, "svy.csv"))
    worst = 0.0
    for unit, row in theirs.items():
        for col in ("score", "score_se", "rate", "rate_se"):
            x, y = float(mine[unit][col]), float(row[col])
            worst = max(worst, abs(x - y) / max(abs(x), abs(y), 1e-300))
    a_time, s_time = statistics.median(ours), statistics.median(svy_times)
    print("long file: %s (%d units)" % (long, len(mine)))
    print("pingyi score: %.3f s (median of 5, whole command), peak memory %.0f MB" % (a_time, max(rss)))
    print("svy:          %.3f s (median of 3)  -> ratio svy/pingyi %.1f  (target: at least 10)" % (s_time, s_time / a_time))
    print("largest relative difference pingyi vs svy (score, se, rate, rate se): %.2g" % worst)
    if not a.no_r:
        r_time = run_reference(["Rscript", os.path.join(ROOT, "Benchmarks", "score_r.R"), long, os.path.join(out, "r.csv")])
        rr = read(os.path.join(out, "r.csv"))
        worst_r = max(abs(float(mine[u][c]) - float(rr[u][c])) / max(abs(float(rr[u][c])), 1e-300)
                      for u in rr for c in ("score", "score_se", "rate", "rate_se"))
        print("R survey:     %.3f s (once)  -> ratio R/pingyi %.0f; largest relative difference vs R %.2g" % (r_time, r_time / a_time, worst_r))


if __name__ == "__main__":
    main()
