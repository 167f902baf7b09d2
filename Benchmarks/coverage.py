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

Ranks and grades: each draw's scores also come with `--replicates-out` (Rao–Wu bootstrap
replicates of the whole design); the rank intervals within each class (departments, towns) are
checked against the true ranks, and the departments are graded by the demonstration scheme
datasets/demo/public-quota.yaml (先进 for the top 25 % by public score) with `pingyi composite`,
p_grade from the replicates (`--replicates`) and from independent normal draws; each is checked
against whether the published grade differs from the grade the true scores give (Brier score
and a reliability table).
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

REPLICATES = 200
QUOTA_SCHEME = os.path.join(ROOT, "datasets", "demo", "public-quota.yaml")

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


def departments_only(source, target):
    """The rows of departments (units D…) of a CSV, header kept."""
    with open(source, encoding="utf-8") as f, open(target, "w", encoding="utf-8") as g:
        for i, line in enumerate(f):
            if i == 0 or line.startswith("D"):
                g.write(line)


def write_components(units, path):
    with open(path, "w", encoding="utf-8") as f:
        f.write("unit,class,component,period,value\n")
        for u in units:
            f.write(f"{u},department,,,\n")


def grades(pingyi, work, public, replicates=None, draws=1000):
    """{unit: (grade, p_grade)} of the departments under the quota scheme."""
    args = [pingyi, "composite", "--scheme", QUOTA_SCHEME, "--components", "quota-components.csv", "--public", public,
            "--top", "0", "--draws", str(draws), "--out", "quota.csv"]
    if replicates:
        args += ["--replicates", replicates]
    run(args, work)
    return {r["unit"]: (r["grade"], float(r["p_grade"]) if r.get("p_grade") else None) for r in read_csv(os.path.join(work, "quota.csv"))}


def rank_intervals(path):
    """{unit: (low, high)}: the 2.5th and 97.5th percentiles of each unit's rank within its class
    (departments, towns) over the replicates, as pingyi ranks (1 = highest)."""
    by_unit = {}
    for r in read_csv(path):
        if r["replicate"] != "0":
            by_unit.setdefault(r["unit"], []).append(float(r["score"]) if r["score"] else float("nan"))
    result = {}
    for prefix in ("D", "T"):
        units = [u for u in by_unit if u.startswith(prefix)]
        count = len(next(iter(by_unit.values())))
        ranks = {u: [] for u in units}
        for k in range(count):
            values = {u: by_unit[u][k] for u in units if not math.isnan(by_unit[u][k])}
            for u, v in values.items():
                ranks[u].append(1 + sum(1 for w in values.values() if w > v))
        for u, rs in ranks.items():
            rs.sort()
            if rs:
                low = max(0, math.ceil(0.025 * len(rs)) - 1)
                high = min(len(rs) - 1, math.ceil(0.975 * len(rs)) - 1)
                result[u] = (rs[low], rs[high])
    return result


def replicate(pingyi, group, population, seed, true_grades):
    """One draw, fielded, weighted and scored by both methods: (seed, {method: rows of the score
    file}, {unit: rank interval}, {unit: (grade, p_grade normal, p_grade replicates, true grade)})."""
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
            extra = ["--replicates-out", "reps.csv", "--replicates", str(REPLICATES), "--seed", str(seed)] if method == "now" else []
            run([pingyi, "score", "--responses", "weighted.csv", "--scale", scale, "--rate-interval", "logit",
                 "--out", f"scores-{method}.csv"] + options + extra, work)
            out[method] = read_csv(os.path.join(work, f"scores-{method}.csv"))
        ranks = rank_intervals(os.path.join(work, "reps.csv"))
        graded = {}
        if true_grades:
            departments_only(os.path.join(work, "scores-now.csv"), os.path.join(work, "public.csv"))
            departments_only(os.path.join(work, "reps.csv"), os.path.join(work, "public-reps.csv"))
            write_components([r["unit"] for r in read_csv(os.path.join(work, "public.csv"))], os.path.join(work, "quota-components.csv"))
            normal = grades(pingyi, work, "public.csv")
            replicated = grades(pingyi, work, "public.csv", "public-reps.csv")
            for unit, (grade, p) in replicated.items():
                graded[unit] = (grade, normal[unit][1], p, true_grades.get(unit))
        return seed, out, ranks, graded
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
    # True ranks within each class, and the departments' true grades under the quota scheme.
    true_rank = {}
    for prefix in ("D", "T"):
        units = [u for u in truth if u.startswith(prefix)]
        for u in units:
            true_rank[u] = 1 + sum(1 for w in units if float(truth[w]["score"]) > float(truth[u]["score"]))
    true_grades = {}
    departments = sorted(u for u in truth if u.startswith("D"))
    if departments:
        work = tempfile.mkdtemp(prefix="pingyi-coverage-truth-")
        with open(os.path.join(work, "public.csv"), "w", encoding="utf-8") as f:
            f.write("unit,score\n")
            for u in departments:
                f.write(f"{u},{truth[u]['score']}\n")
        write_components(departments, os.path.join(work, "quota-components.csv"))
        true_grades = {u: g for u, (g, _) in grades(pingyi, work, "public.csv").items()}
        shutil.rmtree(work, ignore_errors=True)

    started = time.perf_counter()
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=options.workers) as pool:
        futures = [pool.submit(replicate, pingyi, options.group, population, options.seed + r, true_grades) for r in range(1, options.reps + 1)]
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
        for seed, methods, _, _ in results:
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
    # Rank intervals (replicates) against the true rank within the class.
    lines += ["", f"Rank intervals within the class (95 %, from {REPLICATES} Rao–Wu bootstrap replicates of each draw) against the true ranks", "",
              "| class | covered | mean width | worst unit |", "|---|---|---|---|"]
    for prefix, label in (("D", "departments"), ("T", "towns")):
        hits, widths, by_unit = 0, 0, {}
        total = 0
        for _, _, ranks, _ in results:
            for unit, (low, high) in ranks.items():
                if not unit.startswith(prefix) or unit not in true_rank:
                    continue
                ok = low <= true_rank[unit] <= high
                hits += ok
                total += 1
                widths += high - low
                by_unit.setdefault(unit, []).append(ok)
        if total:
            worst = min(by_unit.items(), key=lambda kv: sum(kv[1]) / len(kv[1]))
            lines.append(f"| {label} | {percent(hits, total)} | {widths / total:.1f} ranks | {worst[0]} {100 * sum(worst[1]) / len(worst[1]):.1f} % |")
    # p_grade calibration: does the published grade differ from the true one as often as p_grade says?
    graded = [g for _, _, _, draw in results for g in draw.values() if g[3] is not None]
    if graded:
        lines += ["", "p_grade of the departments under datasets/demo/public-quota.yaml (先进 for the top 25 %) against whether the "
                  "published grade differs from the true scores' grade", "",
                  "| p_grade from | Brier score | mean p_grade | grades that differ |", "|---|---|---|---|"]
        outcome = [int(g[0] != g[3]) for g in graded]
        for index, label in ((2, "replicates (one design)"), (1, "independent normal draws")):
            ps = [g[index] for g in graded]
            brier = sum((p - y) ** 2 for p, y in zip(ps, outcome)) / len(ps)
            lines.append(f"| {label} | {brier:.4f} | {100 * sum(ps) / len(ps):.1f} % | {percent(sum(outcome), len(outcome))} |")
        lines += ["", "Reliability (replicates): units binned by p_grade", "", "| p_grade | units | mean p_grade | share whose grade differs |",
                  "|---|---|---|---|"]
        bins = [(0, 0.05), (0.05, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 1.01)]
        for low, high in bins:
            members = [(g[2], int(g[0] != g[3])) for g in graded if low <= g[2] < high]
            if members:
                lines.append(f"| {low:.2f}–{min(high, 1):.2f} | {len(members)} | {100 * sum(p for p, _ in members) / len(members):.1f} % | "
                             f"{percent(sum(y for _, y in members), len(members))} |")
    elapsed = time.perf_counter() - started
    lines += ["", f"{options.reps} draws in {elapsed:.0f} s ({options.workers} workers)."]
    text = "\n".join(lines) + "\n"
    with open(os.path.join(DATA, f"coverage-{options.group}.md"), "w", encoding="utf-8") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
