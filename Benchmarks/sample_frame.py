#!/usr/bin/env python3
"""Two-stage draw on the 2,000,000-household frame: pingyi against R's sampling package.

Both draw villages PPS-systematic (2 per town x urban stratum, sizes = households) and 15
households systematic in each selected village, reading the CSV included:
  pingyi sample --frame F --design Benchmarks/designs/two-stage.yaml --seed 1 --out OUT
  Rscript Benchmarks/sample_r.R F OUT
pingyi also hashes the frame (SHA-256) and writes the manifest. pingyi: median of 5 runs;
R: median of 3 runs (its own `seconds:` line, which excludes R's start-up). Prints both, the
ratio R / pingyi, and pingyi's peak memory.
"""
import os
import re
import statistics
import subprocess
import tempfile
import time

from common import ROOT, ensure_households, require_pingyi


def main():
    pingyi = require_pingyi()
    frame = ensure_households()
    design = os.path.join(ROOT, "Benchmarks", "designs", "two-stage.yaml")
    out = tempfile.mkdtemp(prefix="pingyi-bench-")
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
    a, b = statistics.median(ours), statistics.median(theirs)
    print("frame: %s" % frame)
    print("pingyi sample: %.3f s (median of 5, whole command), peak memory %.0f MB, %d households" % (a, max(rss), rows_ours))
    print("R sampling:    %.3f s (median of 3)%s, %d households" % (b, "", rows_r))
    print("ratio R/pingyi: %.1f  (target: at least 20)" % (b / a))


if __name__ == "__main__":
    main()
