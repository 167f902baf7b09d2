#!/usr/bin/env python3
"""Scale: the two-stage draw on 2,000,000 and 20,000,000 register-shaped households.

The frames come from Benchmarks/generate_households.py --shape register (20,000,000 rows: 1,000
towns, 30,000 villages, about 2.3 GB; generated on first use, never committed). Each is drawn
with Benchmarks/designs/two-stage-register.yaml (2 villages per town x urban stratum, PPS; 15
households each), reading the CSV included; median of 3 runs, peak memory from /usr/bin/time.
Prints both rows, the ratio of the times (target: at most 11, linear in the rows) and each peak
memory against its file's size (target: at most 1.5), with the CPU steal during the run.

    python3 Benchmarks/sample_scale.py [--rows 2000000,20000000]
"""
import argparse
import os
import statistics
import subprocess
import tempfile
import time

from common import DATA, ROOT, CPUSteal, require_pingyi

FRAMES = {2_000_000: ["--towns", "100", "--villages", "3000"], 20_000_000: ["--towns", "1000", "--villages", "30000"]}


def frame(rows):
    path = os.path.join(DATA, "households_register_%d.csv" % rows)
    if not os.path.exists(path):
        print("generating %s ..." % path, flush=True)
        subprocess.run(["python3", os.path.join(ROOT, "Benchmarks", "generate_households.py"), path, "--rows", str(rows),
                        "--shape", "register"] + FRAMES.get(rows, []), check=True)
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", default="2000000,20000000")
    a = ap.parse_args()
    pingyi = require_pingyi()
    design = os.path.join(ROOT, "Benchmarks", "designs", "two-stage-register.yaml")
    out = tempfile.mkdtemp(prefix="pingyi-scale-")
    steal = CPUSteal()
    results = []
    for rows in (int(x) for x in a.rows.split(",")):
        path = frame(rows)
        times, peaks = [], []
        for _ in range(3):
            t = time.perf_counter()
            r = subprocess.run(["/usr/bin/time", "-f", "%M", pingyi, "sample", "--frame", path, "--design", design, "--seed", "1",
                                "--out", os.path.join(out, "list.csv")], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            times.append(time.perf_counter() - t)
            peaks.append(int(r.stderr.strip().splitlines()[-1]) * 1024)
        listed = sum(1 for _ in open(os.path.join(out, "list.csv"), encoding="utf-8")) - 1
        results.append((rows, os.path.getsize(path), statistics.median(times), max(peaks), listed))
    print("| frame | file | pingyi sample (median of 3, whole command) | peak memory | memory / file | households drawn |")
    print("|---|---|---|---|---|---|")
    for rows, size, t, peak, listed in results:
        print("| %d register rows | %.2f GB | %.2f s | %.2f GB | %.2f | %d |" % (rows, size / 1e9, t, peak / 1e9, peak / size, listed))
    if len(results) == 2:
        (r1, _, t1, _, _), (r2, _, t2, _, _) = results
        print("time ratio %d / %d rows: %.1f (target: at most %.0f)" % (r2, r1, t2 / t1, 1.1 * r2 / r1))
    print("CPU steal during the run: %.1f %%" % steal.percent())


if __name__ == "__main__":
    main()
