#!/usr/bin/env python3
"""Scoring many domains: pingyi score --by against svy (PyPI), time against domains.

The long file of Benchmarks/score_long.py (20,000 respondents x 44 units, 880,000 answers, two
stages with fpc) gets a respondent-level column `area` with K values (the respondent's case id
hashed), K = 1, 11 and 114, so that `--by area` scores 44, 484 and 5,016 domains (unit x area),
as a city scores unit x town x group. Each is scored by
  pingyi score --responses F --scale surveys/scales/four-tier.yaml --by area --out OUT   (median of 3)
  svy: Sample.estimation.mean(..., by="domain", where=valid), domain = unit|area         (once)
reading the CSV included, and the estimates and standard errors compared. Prints a row per K:
domains, both times, the ratio, pingyi's time per domain, and the CPU steal during the run.
pingyi's time should grow with rows + domains, not rows x domains.

    python3 Benchmarks/score_domains.py [--areas 1,11,114] [--no-svy] [--svy-max-domains 1000]

svy is not run above --svy-max-domains: on 2026-12-03 it was killed by the kernel for memory
(past 5.5 GB of this 24 GB machine, after several minutes) at 5,016 domains.
"""
import argparse
import csv
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time

from common import DATA, ROOT, CPUSteal, require_pingyi

SVY = r'''
import sys, time
started = time.perf_counter()
import polars as pl, svy
data = pl.read_csv(sys.argv[1], schema_overrides={"case_id": pl.Utf8, "unit": pl.Utf8, "tier": pl.Int64,
    "stage1_stratum": pl.Utf8, "stage1_unit": pl.Utf8, "stage1_N": pl.Float64, "stage2_unit": pl.Utf8,
    "stage2_N": pl.Float64, "weight": pl.Float64, "area": pl.Utf8})
tier = pl.col("tier")
data = data.with_columns(valid=tier.is_between(1, 4),
    score=pl.when(tier == 1).then(100.0).when(tier == 2).then(80.0).when(tier == 3).then(60.0).otherwise(0.0),
    domain=pl.col("unit") + "|" + pl.col("area"))
design = svy.Design(stratum="stage1_stratum", psu="stage1_unit", ssu="stage2_unit", wgt="weight",
                    pop_size=svy.PopSize(psu="stage1_N", ssu="stage2_N"))
est = svy.Sample(data, design).estimation.mean("score", by="domain", where=svy.col("valid") == True).to_polars()
with open(sys.argv[2], "w") as f:
    f.write("domain,score,score_se\n")
    for r in est.iter_rows(named=True):
        f.write("%s,%.17g,%.17g\n" % (r["domain"], r["est"], r["se"]))
print("seconds: %.3f" % (time.perf_counter() - started))
'''


def with_areas(source, target, k):
    """The long file with an `area` column: the case id's hash modulo k (A000…)."""
    with open(source, encoding="utf-8") as f, open(target, "w", encoding="utf-8") as g:
        header = f.readline().rstrip("\n").split(",")
        case = header.index("case_id")
        # The format column stays last.
        last = header[-1] == "format"
        names = header[:-1] + ["area", header[-1]] if last else header + ["area"]
        g.write(",".join(names) + "\n")
        cache = {}
        for line in f:
            cells = line.rstrip("\n").split(",")
            cid = cells[case]
            area = cache.get(cid)
            if area is None:
                area = cache[cid] = "A%03d" % (int(hashlib.md5(cid.encode()).hexdigest()[:8], 16) % k)
            cells = cells[:-1] + [area, cells[-1]] if last else cells + [area]
            g.write(",".join(cells) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--areas", default="1,11,114")
    ap.add_argument("--no-svy", action="store_true")
    ap.add_argument("--svy-max-domains", type=int, default=1000)
    a = ap.parse_args()
    pingyi = require_pingyi()
    long = os.path.join(DATA, "long_880k.csv")
    if not os.path.exists(long):
        print("generating %s ..." % long, flush=True)
        subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks", "generate_long.py"), long], check=True)
    work = tempfile.mkdtemp(prefix="pingyi-domains-")
    steal = CPUSteal()
    rows = []
    for k in (int(x) for x in a.areas.split(",")):
        path = os.path.join(DATA, "long_880k_areas_%d.csv" % k)
        if not os.path.exists(path):
            with_areas(long, path, k)
        times = []
        for _ in range(3):
            t = time.perf_counter()
            subprocess.run([pingyi, "score", "--responses", path, "--scale", os.path.join(ROOT, "surveys", "scales", "four-tier.yaml"),
                            "--by", "area", "--out", os.path.join(work, "p.csv")], check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - t)
        mine = {}
        with open(os.path.join(work, "p.csv"), encoding="utf-8") as f:
            for r in csv.DictReader(f):
                if r["score"]:
                    mine[r["unit"] + "|" + r["area"]] = (float(r["score"]), float(r["score_se"]))
        svy_time, worst = None, None
        if not a.no_svy and len(mine) <= a.svy_max_domains:
            script = os.path.join(work, "svy_domains.py")
            with open(script, "w") as f:
                f.write(SVY)
            out = subprocess.run([sys.executable, script, path, os.path.join(work, "s.csv")], check=True,
                                 stdout=subprocess.PIPE, text=True).stdout
            svy_time = float(out.strip().split()[-1])
            worst = 0.0
            with open(os.path.join(work, "s.csv"), encoding="utf-8") as f:
                for r in csv.DictReader(f):
                    x = mine.get(r["domain"])
                    if x is None:
                        continue
                    for ours, theirs in zip(x, (float(r["score"]), float(r["score_se"]))):
                        worst = max(worst, abs(ours - theirs) / max(abs(ours), abs(theirs), 1e-300))
        rows.append((k, len(mine), statistics.median(times), svy_time, worst))
    print("| domains (unit × area) | pingyi score --by area (median of 3) | per domain | svy | svy / pingyi | largest relative difference |")
    print("|---|---|---|---|---|---|")
    for k, domains, t, s, worst in rows:
        print("| %d (%d areas) | %.3f s | %.2f ms | %s | %s | %s |" % (
            domains, k, t, 1000 * t / domains, "%.2f s" % s if s else "—", "%.1f×" % (s / t) if s else "—",
            "%.1g" % worst if worst is not None else "—"))
    print("CPU steal during the run: %.1f %%" % steal.percent())


if __name__ == "__main__":
    main()
