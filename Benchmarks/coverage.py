#!/usr/bin/env python3
"""Coverage study: do pingyi's 95 % intervals cover the true scores 95 % of the time?

    python3 Benchmarks/coverage.py [--reps 500] [--workers 2] [--group rural] [--seed 20170401]

`pingyi simulate population` gives every member of the group's population (the shipped county's
rural households, by default) a fixed opinion of every unit, so each unit's true score and rate
over the whole population are known (truth.csv). Then, R times, the shipped design is drawn with
a new seed and fielded as the demo fields it — `pingyi simulate field --population` (the sampled
members answer as the population says; non-response drawn at the group's typical rate, reserves
activated), `cases load`, `cases dispose`, both passes imported by two operators, `responses
verify`, the long and case files exported, `pingyi weights` (non-response adjustment within
stage-1 strata), `pingyi score --rate-interval logit` — and each unit's intervals are checked
against the truth. The same answers are also scored with pingyi's earlier rules (`--fpc counts
--df design`), for comparison. Every step is a real pingyi command; the draws are seeded, so a
run is reproducible.

Prints, per method, the coverage of the score interval overall, for departments and for towns
(and the worst unit), of the logit and Wald rate intervals, and a table per town; writes the
replicate results to Benchmarks/data/coverage-GROUP.csv and the summary to
Benchmarks/data/coverage-GROUP.md. Needs the release build (make release) and scipy.
"""
import argparse
import concurrent.futures
import csv
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

from common import DATA, ROOT, require_pingyi

try:
    from scipy.stats import t as student_t
except ImportError:  # pragma: no cover
    sys.exit("coverage: needs scipy (pip install scipy)")

METHODS = {
    "now": [],                                   # probabilities as fpc (Brewer at PPS stages), each unit's own df
    "before": ["--fpc", "counts", "--df", "design"],  # pingyi's rules before: stratum counts as fpc, the design's df
}


def run(args, cwd):
    result = subprocess.run(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited {result.returncode}: {result.stderr.strip()}")
    return result.stdout


def read_csv(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def replicate(pingyi, group, population, seed):
    """One draw, fielded, weighted and scored by both methods: {method: rows of the score file}."""
    design = os.path.join(ROOT, "surveys", "designs", group + ".yaml")
    survey = os.path.join(ROOT, "surveys", "questionnaires", group + ".yaml")
    scale = os.path.join(ROOT, "surveys", "scales", "four-tier.yaml")
    work = tempfile.mkdtemp(prefix="pingyi-coverage-")
    try:
        run([pingyi, "sample", "--design", design, "--seed", str(seed), "--out", "list.csv"], work)
        run([pingyi, "cases", "load", "--list", "list.csv", "--survey", survey, "--db", "s.sqlite"], work)
        run([pingyi, "simulate", "field", "--list", "list.csv", "--survey", survey, "--seed", str(seed),
             "--population", population, "--out", "field"], work)
        run([pingyi, "cases", "dispose", "field/dispositions.csv", "--db", "s.sqlite", "--operator", "调查员"], work)
        # The paper forms keyed twice without slips: the study is about sampling, not keying.
        for p, who in (("1", "录入员1"), ("2", "录入员2")):
            run([pingyi, "responses", "import", "field/forms.csv", "--survey", survey, "--pass", p, "--operator", who,
                 "--db", "s.sqlite"], work)
        run([pingyi, "responses", "verify", "--db", "s.sqlite", "--operator", "审核员"], work)
        run([pingyi, "responses", "export", "--format", "long", "--out", "long.csv", "--db", "s.sqlite"], work)
        run([pingyi, "responses", "export", "--format", "cases", "--out", "cases.csv", "--db", "s.sqlite"], work)
        run([pingyi, "weights", "--responses", "long.csv", "--cases", "cases.csv", "--out", "weighted.csv"], work)
        out = {}
        for method, options in METHODS.items():
            run([pingyi, "score", "--responses", "weighted.csv", "--scale", scale, "--rate-interval", "logit",
                 "--out", f"scores-{method}.csv"] + options, work)
            out[method] = read_csv(os.path.join(work, f"scores-{method}.csv"))
        return seed, out
    finally:
        shutil.rmtree(work, ignore_errors=True)


def covered(low, high, truth):
    try:
        return float(low) <= truth <= float(high)
    except ValueError:
        return False  # no interval (no degrees of freedom): it covers nothing


def wald(row, truth):
    df = int(row["df"])
    if df <= 0 or row["rate_se"] == "":
        return False
    t = student_t.ppf(0.975, df)
    rate, se = float(row["rate"]), float(row["rate_se"])
    return rate - t * se <= truth <= rate + t * se


def percent(k, n):
    return f"{100 * k / n:.1f} %" if n else "—"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--group", default="rural")
    parser.add_argument("--seed", type=int, default=20170401, help="seed of the population; draw r uses seed + r")
    options = parser.parse_args()
    pingyi = require_pingyi()
    os.makedirs(DATA, exist_ok=True)
    popdir = os.path.join(DATA, f"population-{options.group}")
    run([pingyi, "simulate", "population", "--design", os.path.join(ROOT, "surveys", "designs", options.group + ".yaml"),
         "--survey", os.path.join(ROOT, "surveys", "questionnaires", options.group + ".yaml"),
         "--seed", str(options.seed), "--out", popdir], ROOT)
    truth = {r["unit"]: r for r in read_csv(os.path.join(popdir, "truth.csv"))}
    population = os.path.join(popdir, "population.json")

    started = time.perf_counter()
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=options.workers) as pool:
        futures = [pool.submit(replicate, pingyi, options.group, population, options.seed + r) for r in range(1, options.reps + 1)]
        for i, future in enumerate(concurrent.futures.as_completed(futures), 1):
            results.append(future.result())
            if i % 25 == 0:
                print(f"  {i}/{options.reps} draws ({time.perf_counter() - started:.0f} s)", flush=True)
    results.sort()

    detail = os.path.join(DATA, f"coverage-{options.group}.csv")
    with open(detail, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["seed", "method", "unit", "true_score", "score", "score_low", "score_high", "df", "psus", "score_covered",
                    "true_rate", "rate", "rate_low", "rate_high", "rate_covered", "wald_covered"])
        for seed, methods in results:
            for method, rows in methods.items():
                for row in rows:
                    t = truth.get(row["unit"])
                    if t is None or row["score"] == "":
                        continue
                    ts, tr = float(t["score"]), float(t["rate"])
                    w.writerow([seed, method, row["unit"], ts, row["score"], row["score_low"], row["score_high"], row["df"],
                                row.get("psus", ""), int(covered(row["score_low"], row["score_high"], ts)), tr, row["rate"],
                                row["rate_low"], row["rate_high"], int(covered(row["rate_low"], row["rate_high"], tr)),
                                int(wald(row, tr))])

    rows = read_csv(detail)
    lines = [f"Coverage of 95 % intervals, {options.group} design, {options.reps} draws (seed {options.seed} + r), "
             f"{len(truth)} units; `python3 Benchmarks/coverage.py --reps {options.reps} --group {options.group}`", ""]
    lines += ["| method | score: all | departments | towns | worst unit | rate (logit): all | rate (Wald): all | mean df, towns |",
              "|---|---|---|---|---|---|---|---|"]
    per_unit = {}
    for method in METHODS:
        mine = [r for r in rows if r["method"] == method]
        depts = [r for r in mine if r["unit"].startswith("D")]
        towns = [r for r in mine if not r["unit"].startswith("D")]
        by_unit = {}
        for r in mine:
            by_unit.setdefault(r["unit"], []).append(r)
        per_unit[method] = by_unit
        worst_unit, worst = min(((u, sum(int(x["score_covered"]) for x in v) / len(v)) for u, v in by_unit.items()), key=lambda p: p[1])
        def share(subset, key):
            return percent(sum(int(r[key]) for r in subset), len(subset))
        town_df = sum(int(r["df"]) for r in towns) / len(towns) if towns else float("nan")
        lines.append(f"| {method} ({' '.join(METHODS[method]) or 'defaults'}) | {share(mine, 'score_covered')} | {share(depts, 'score_covered')} | "
                     f"{share(towns, 'score_covered')} | {worst_unit} {100 * worst:.1f} % | {share(mine, 'rate_covered')} | "
                     f"{share(mine, 'wald_covered')} | {town_df:.1f} |")
    lines += ["", "Towns (own-town score): coverage now / before, mean df and PSUs now", "",
              "| town | households | true score | now | before | df | PSUs |", "|---|---|---|---|---|---|---|"]
    for unit in sorted(u for u in truth if not u.startswith("D")):
        now, before = per_unit["now"].get(unit, []), per_unit["before"].get(unit, [])
        if not now:
            continue
        c = lambda v: percent(sum(int(x["score_covered"]) for x in v), len(v))
        lines.append(f"| {unit} | {truth[unit]['members']} | {float(truth[unit]['score']):.1f} | {c(now)} | {c(before)} | "
                     f"{sum(int(x['df']) for x in now) / len(now):.1f} | {sum(int(x['psus'] or 0) for x in now) / len(now):.1f} |")
    elapsed = time.perf_counter() - started
    lines += ["", f"{options.reps} draws in {elapsed:.0f} s ({options.workers} workers)."]
    text = "\n".join(lines) + "\n"
    with open(os.path.join(DATA, f"coverage-{options.group}.md"), "w", encoding="utf-8") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
