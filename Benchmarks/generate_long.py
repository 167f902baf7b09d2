#!/usr/bin/env python3
"""Generate the scoring benchmark's long answer file: respondents x evaluated units, two-stage design.

One row per respondent x evaluated unit (the layout of `pingyi responses export --format long`).
Columns (9): case_id, unit, tier, stage1_stratum, stage1_unit, stage1_N, stage2_unit, stage2_N, weight
  case_id         respondent id, R000001.. (one respondent per sampled household)
  unit            evaluated unit, D01..D44
  tier            1 满意 (100), 2 比较满意 (80), 3 基本满意 (60), 4 不满意 (0), 7 不了解 (don't know)
  stage1_stratum  town stratum, T01..T12
  stage1_unit     sampled village (PSU), e.g. T03V05 (unique across towns)
  stage1_N        villages in the town (population count, for the stage-1 fpc)
  stage2_unit     sampled household (SSU), e.g. T03V05H0012 (unique)
  stage2_N        households in the village (population count, for the stage-2 fpc)
  weight          (stage1_N / villages sampled in the town) x (stage2_N / households sampled in the village)

Design: 12 town strata; in each town 4-8 of 15-40 villages are drawn (simple random sampling
without replacement), then households by simple random sampling inside each drawn village, the
respondents spread over the villages with unequal cluster sizes. Every respondent rates every unit;
about 6 % of the answers are don't-know (tier 7); the other tiers follow unit-specific
probabilities. Deterministic: the same arguments give the same file, byte for byte.

The matching R design (Benchmarks/score_r.R):
  svydesign(ids=~stage1_unit+stage2_unit, strata=~stage1_stratum, fpc=~stage1_N+stage2_N,
            weights=~weight, data=d)

Usage: generate_long.py OUT.csv [--respondents 20000] [--units 44] [--seed 20261122]
"""
import argparse
import random

TOWNS = 12
DONT_KNOW = 0.06


def allocate(total, shares):
    """Largest-remainder allocation of `total` to integer parts proportional to `shares`."""
    s = sum(shares)
    raw = [total * x / s for x in shares]
    out = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def unit_probabilities(units, rng):
    """Tier 1..4 probabilities per unit: a unit-specific level of satisfaction."""
    probs = []
    for _ in range(units):
        good = rng.uniform(0.25, 0.65)          # share of tier 1
        fair = rng.uniform(0.15, 0.35)          # tier 2
        basic = rng.uniform(0.08, 0.25)         # tier 3
        bad = rng.uniform(0.02, 0.20)           # tier 4
        s = good + fair + basic + bad
        probs.append([good / s, fair / s, basic / s, bad / s])
    return probs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--respondents", type=int, default=20_000)
    ap.add_argument("--units", type=int, default=44)
    ap.add_argument("--seed", type=int, default=20261122)
    a = ap.parse_args()
    if a.respondents < TOWNS * 8 * 2:
        ap.error("--respondents must be at least %d" % (TOWNS * 8 * 2))
    rng = random.Random(a.seed)

    # Stage 1: villages per town in the population and in the sample.
    town_sizes = allocate(a.respondents, [rng.uniform(0.5, 1.5) for _ in range(TOWNS)])
    villages = []  # (stratum, village, N1, N2, sampled households)
    for t in range(TOWNS):
        stratum = "T%02d" % (t + 1)
        n1_pop = rng.randint(15, 40)
        n1 = rng.randint(4, 8)
        chosen = sorted(rng.sample(range(1, n1_pop + 1), n1))
        takes = allocate(town_sizes[t], [rng.lognormvariate(0, 0.5) for _ in chosen])
        for v, m in zip(chosen, takes):
            m = max(m, 2)
            n2_pop = max(int(m * rng.uniform(1.5, 6.0)), m + 1)
            villages.append((stratum, "%sV%02d" % (stratum, v), n1_pop, n1, n2_pop, m))

    probs = unit_probabilities(a.units, rng)
    cum = []
    for p in probs:
        c, acc = [], 0.0
        for x in p:
            acc += x
            c.append(acc)
        c[-1] = 1.0
        cum.append(c)
    units = ["D%02d" % (u + 1) for u in range(a.units)]

    case = 0
    with open(a.out, "w", encoding="utf-8", newline="") as f:
        f.write("case_id,unit,tier,stage1_stratum,stage1_unit,stage1_N,stage2_unit,stage2_N,weight\n")
        for stratum, village, n1_pop, n1, n2_pop, m in villages:
            households = sorted(rng.sample(range(1, n2_pop + 1), m))
            weight = repr((n1_pop / n1) * (n2_pop / m))
            head = ",%s,%s,%d," % (stratum, village, n1_pop)
            for h in households:
                case += 1
                cid = "R%06d" % case
                tail = "%sH%04d,%d,%s\n" % (village, h, n2_pop, weight)
                lines = []
                for u, unit in enumerate(units):
                    if rng.random() < DONT_KNOW:
                        tier = 7
                    else:
                        r = rng.random()
                        c = cum[u]
                        tier = 1 if r < c[0] else 2 if r < c[1] else 3 if r < c[2] else 4
                    lines.append("%s,%s,%d%s%s" % (cid, unit, tier, head, tail))
                f.write("".join(lines))


if __name__ == "__main__":
    main()
