#!/usr/bin/env python3
"""Two-stage draw on 2,000,000-household frames: pingyi against R's sampling package, both in
one run, on the register-shaped frame (text register codes such as 130123-105-0001234, Chinese
town, village and head names, address and phone: ten columns) and on the integer-id frame of the
first benchmark (five columns).

Both draw villages PPS-systematic (2 per town x urban stratum, sizes = households) and 15
households systematic in each selected village, reading the CSV included:
  pingyi sample --frame F --design Benchmarks/designs/two-stage[-register].yaml --seed 1 --out OUT
  Rscript Benchmarks/sample_r.R F OUT
pingyi also hashes the frame (SHA-256) and writes the manifest. pingyi: median of 5 runs;
R: median of 3 runs (its own `seconds:` line, which excludes R's start-up). Prints, per frame,
both times, the ratio R / pingyi, pingyi's peak memory, and the CPU steal during the run.

    python3 Benchmarks/sample_frame.py [--rows 2000000] [--shapes register,integer]
"""
import argparse
import os
import re
import statistics
import subprocess
import tempfile
import time

from common import ROOT, CPUSteal, ensure_households, require_pingyi

DESIGNS = {"register": "two-stage-register.yaml", "integer": "two-stage.yaml"}
TARGET = {"register": 25, "integer": 20}


def measure(pingyi, frame, design, out):
    ours, rss = [], []
    for _ in range(5):
        t = time.perf_counter()
        r = subprocess.run(["/usr/bin/time", "-f", "%M", pingyi, "sample", "--frame", frame, "--design", design,
                            "--seed", "1", "--out", os.path.join(out, "pingyi.csv")],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        ours.append(time.perf_counter() - t)
        rss.append(int(r.stderr.strip().splitlines()[-1]) / 1024)
    theirs = []
    for _ in range(3):
        r = subprocess.run(["Rscript", os.path.join(ROOT, "Benchmarks", "sample_r.R"), frame, os.path.join(out, "r.csv")],
                           check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        theirs.append(float(re.search(r"seconds:\s*([0-9.]+)", r.stdout).group(1)))
    rows_ours = sum(1 for _ in open(os.path.join(out, "pingyi.csv"), encoding="utf-8")) - 1
    rows_r = sum(1 for _ in open(os.path.join(out, "r.csv"), encoding="utf-8")) - 1
    return statistics.median(ours), max(rss), rows_ours, statistics.median(theirs), rows_r


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--shapes", default="register,integer")
    options = parser.parse_args()
    pingyi = require_pingyi()
    frames = {shape: ensure_households(options.rows, shape) for shape in options.shapes.split(",")}
    out = tempfile.mkdtemp(prefix="pingyi-bench-")
    steal = CPUSteal()
    rows = []
    for shape, frame in frames.items():
        design = os.path.join(ROOT, "Benchmarks", "designs", DESIGNS[shape])
        rows.append((shape, frame, os.path.getsize(frame)) + measure(pingyi, frame, design, out))
    print("| frame | size | pingyi sample (median of 5, whole command) | peak memory | R sampling (median of 3) | R / pingyi | target |")
    print("|---|---|---|---|---|---|---|")
    for shape, frame, size, a, rss, n_ours, b, n_r in rows:
        print("| %s ids, %d rows (%s) | %.0f MB | %.3f s, %d households | %.0f MB | %.3f s, %d households | %.1f× | ≥ %d× |" % (
            shape, options.rows, os.path.basename(frame), size / 1e6, a, n_ours, rss, b, n_r, b / a, TARGET[shape]))
    print("CPU steal during the run: %.1f %%" % steal.percent())


if __name__ == "__main__":
    main()
