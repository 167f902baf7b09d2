#!/usr/bin/env python3
"""Independent check of docs/algorithms/estimation.md against the R fixtures in this folder.

This is NOT R's code: it implements the formulas of estimation.md from scratch (numpy only) and
compares every estimate, standard error, design effect, interval and don't-know share with the
fixtures' expected.csv. If it passes, the spec is complete enough to reproduce R to ~1e-12.

Usage: python3 Tests/AnalyticsTests/Fixtures/verify_spec.py [CASE ...]
"""
import csv
import math
import os
import sys

import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
POINTS = {1: 100.0, 2: 80.0, 3: 60.0, 4: 0.0}


# ---------------------------------------------------------------------------------------------
# Design
# ---------------------------------------------------------------------------------------------

class Design:
    """Stratified (multi-stage) design over the rows of a long file."""

    def __init__(self, rows, ids, strata, fpc, weight):
        self.rows = rows
        self.n = len(rows)
        self.w = np.array([float(r[weight]) for r in rows])
        s = [r[strata] for r in rows]
        # Cluster labels nested in stratum and previous stages (R's nest=TRUE; harmless if unique).
        self.stages = []
        prev = s
        for k, col in enumerate(ids):
            lab = [prev[i] + "\x1f" + rows[i][col] for i in range(self.n)]
            stratum = s if k == 0 else prev  # stage-k strata = previous stage's clusters
            counts = {}
            for st, c in zip(stratum, lab):
                counts.setdefault(st, set()).add(c)
            npsu = np.array([len(counts[st]) for st in stratum], dtype=float)
            N = np.array([float(rows[i][fpc[k]]) for i in range(self.n)]) if fpc else None
            self.stages.append({"strata": stratum, "cluster": lab, "npsu": npsu, "N": N})
            prev = lab
        self.has_fpc = bool(fpc)
        self.calibration = []  # list of ("ps", cell, psw, oldw) or ("rake", [(cell, psw), ...])

    def degf(self):
        st = self.stages[0]
        return len(set(st["cluster"])) - len(set(st["strata"]))


def onestrat(x, cluster, npsu, N, lonely, stage):
    """Contribution of one stratum (all arrays restricted to the stratum's rows present)."""
    if N is None:
        f = 1.0
    else:
        f = (N - npsu) / N
    if f < 1e-7:
        return 0.0
    scale = f * npsu / (npsu - 1) if npsu > 1 else f
    order = []
    totals = {}
    for c, v in zip(cluster, x):
        if c not in totals:
            totals[c] = 0.0
            order.append(c)
        totals[c] += v
    t = np.array([totals[c] for c in order])
    nsub = len(t)
    if nsub < npsu:
        t = np.concatenate([t, np.zeros(int(npsu) - nsub)])
    if lonely != "adjust" or nsub > 1 or npsu > 1:  # survey.adjust.domain.lonely = FALSE
        t = t - t.mean()
    if npsu > 1:
        return scale * float(np.sum(t * t))
    if lonely in ("certainty", "remove", "adjust"):
        return scale * float(np.sum(t * t))
    if lonely == "average":
        return float("nan")
    raise RuntimeError("Stratum has only one PSU at stage %d" % stage)


def multistage(d, x, present, k, lonely):
    """Variance of sum(x) over `present` rows (indices), stages k, k+1, ..."""
    st = d.stages[k]
    by_stratum = {}
    for i in present:
        by_stratum.setdefault(st["strata"][i], []).append(i)
    contributions = []
    for h, idx in by_stratum.items():
        N = st["N"][idx[0]] if d.has_fpc else None
        contributions.append(onestrat(x[idx], [st["cluster"][i] for i in idx], st["npsu"][idx[0]], N, lonely, k + 1))
    ok = [c for c in contributions if not math.isnan(c)]
    # Sum of non-NA strata x nstrat/nokstrat; all strata NA gives 0 x n/0 = NaN in R.
    v = sum(ok) * len(contributions) / len(ok) if ok else float("nan")
    if d.has_fpc and k + 1 < len(d.stages):
        by_cluster = {}
        for i in present:
            by_cluster.setdefault(st["cluster"][i], []).append(i)
        for c, idx in by_cluster.items():
            v += multistage(d, x, idx, k + 1, lonely) * st["npsu"][idx[0]] / st["N"][idx[0]]
    return v


def residualize(d, z):
    z = z.copy()
    for cal in d.calibration:
        if cal[0] == "ps":
            _, cell, psw, oldw = cal
            psw = psw.copy()
            psw[(psw == 0) & (oldw == 0)] = 1.0
            num, den = {}, {}
            for i in range(d.n):
                num[cell[i]] = num.get(cell[i], 0.0) + z[i] * oldw[i] / psw[i]
                den[cell[i]] = den.get(cell[i], 0.0) + oldw[i]
            z = np.array([z[i] - psw[i] * num[cell[i]] / den[cell[i]] for i in range(d.n)])
        else:
            for _ in range(10):
                for cell, psw in cal[1]:
                    s, c = {}, {}
                    for i in range(d.n):
                        s[cell[i]] = s.get(cell[i], 0.0) + z[i] / psw[i]
                        c[cell[i]] = c.get(cell[i], 0) + 1
                    z = np.array([z[i] - psw[i] * s[cell[i]] / c[cell[i]] for i in range(d.n)])
    return z


def domain_mean(d, y, dom, lonely):
    """Mean of y over the domain (boolean array), its variance and deff (R's svymean on a subset)."""
    w = np.where(dom, d.w, 0.0)
    W = w.sum()
    mean = float(np.sum(w * y) / W)
    z = w * (y - mean) / W
    if d.calibration:
        z = residualize(d, z)
        present = list(range(d.n))          # calibrated designs keep every row
    else:
        present = [i for i in range(d.n) if dom[i]]
    v = multistage(d, z, present, 0, lonely)
    n = int(np.sum(w != 0))
    s2 = float(np.sum(w * (y - mean) ** 2) / W) * n / (n - 1)
    vsrs = s2 * (W - n) / (W * n)
    return mean, v, v / vsrs if vsrs != 0 else float("nan")


# ---------------------------------------------------------------------------------------------
# Calibration (weights)
# ---------------------------------------------------------------------------------------------

def post_stratify(w, cell, pop):
    tot = {}
    for c, wi in zip(cell, w):
        tot[c] = tot.get(c, 0.0) + wi
    return np.array([wi * pop[c] / tot[c] for c, wi in zip(cell, w)])


def rake(d, margins, pops, maxit, eps):
    allcell = [tuple(m[i] for m in margins) for i in range(d.n)]

    def table(w):
        t = {}
        for c, wi in zip(allcell, w):
            t[c] = t.get(c, 0.0) + wi
        return t
    epsilon = eps * d.w.sum() if eps < 1 else eps
    w = d.w.copy()
    old = table(w)
    steps = None
    for _ in range(maxit):
        steps = []
        for m, pop in zip(margins, pops):
            w = post_stratify(w, m, pop)
            steps.append((m, w.copy()))
        new = table(w)
        delta = max(abs(old.get(c, 0.0) - new.get(c, 0.0)) for c in set(old) | set(new))
        if delta < epsilon:
            break
        old = new
    return w, steps


# ---------------------------------------------------------------------------------------------
# JKn
# ---------------------------------------------------------------------------------------------

def jkn_replicates(d, lonely):
    st = d.stages[0]
    strata_order = []
    for h in st["strata"]:
        if h not in strata_order:
            strata_order.append(h)
    reps = []  # (multiplier array, rscale)
    nstrat = len(strata_order)
    for h in strata_order:
        idx = [i for i in range(d.n) if st["strata"][i] == h]
        psus = []
        for i in idx:
            if st["cluster"][i] not in psus:
                psus.append(st["cluster"][i])
        nh = len(psus)
        f = (st["N"][idx[0]] - nh) / st["N"][idx[0]] if d.has_fpc else 1.0
        if f == 0:
            continue
        if nh == 1:
            if lonely == "adjust":
                a = np.array([0.0 if st["strata"][i] == h else nstrat / (nstrat - 1) for i in range(d.n)])
                reps.append((a, (nstrat - 1) / nstrat))
            continue
        for p in psus:
            a = np.array([1.0 if st["strata"][i] != h else (0.0 if st["cluster"][i] == p else nh / (nh - 1))
                          for i in range(d.n)])
            reps.append((a, f * (nh - 1) / nh))
    return reps


# ---------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------

def read_csv(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def check_case(name):
    folder = os.path.join(HERE, name)
    rows = read_csv(os.path.join(folder, "long.csv"))
    expected = read_csv(os.path.join(folder, "expected.csv"))
    cols = rows[0].keys()
    two = "stage2_unit" in cols
    ids = ["stage1_unit", "stage2_unit"] if two else ["stage1_unit"]
    fpc = (["stage1_N", "stage2_N"] if two else ["stage1_N"]) if "stage1_N" in cols else []
    d = Design(rows, ids, "stage1_stratum", fpc, "weight")
    lonely = name.split("-")[1] if name.startswith("lonely-") else "fail"
    tier = np.array([int(r["tier"]) for r in rows])
    valid = (tier >= 1) & (tier <= 4)
    answered = valid | (tier == 7)
    score = np.array([POINTS.get(t, 0.0) for t in tier])
    satisfied = ((tier >= 1) & (tier <= 3)).astype(float)
    dk = (tier == 7).astype(float)
    df = d.degf()
    if name in ("poststratify", "rake"):
        pop = {(r["town"], r["urban"]): float(r["Freq"]) * 8 for r in read_csv(os.path.join(folder, "population.csv"))}
        town = [r["town"] for r in rows]
        urban = [r["urban"] for r in rows]
        if name == "poststratify":
            cell = list(zip(town, urban))
            neww = post_stratify(d.w, cell, pop)
            d.calibration.append(("ps", cell, neww, d.w.copy()))
        else:
            pt, pu = {}, {}
            for (t, u), f in pop.items():
                pt[t] = pt.get(t, 0.0) + f
                pu[u] = pu.get(u, 0.0) + f
            neww, steps = rake(d, [town, urban], [pt, pu], 200, 1e-13)
            d.calibration.append(("rake", steps))
        d.w = neww
    by = ["unit", "group"] if "group" in cols else ["unit"]
    key = [tuple(r[b] for b in by) for r in rows]
    reps = jkn_replicates(d, lonely) if name == "jkn" else None
    if reps is not None:
        df = len(reps) - len({d.stages[0]["strata"][int(np.argmax(a == 0))] for a, _ in reps})
    worst = 0.0
    for e in expected:
        k = tuple(e[b] for b in by)
        inkey = np.array([kk == k for kk in key])
        dom = inkey & valid
        out = {}
        for var, y in (("score", score), ("rate", satisfied)):
            mean, v, deff = domain_mean(d, y, dom, lonely)
            if reps is not None:
                thetas = []
                for a, _ in reps:
                    ww = np.where(dom, d.w * a, 0.0)
                    thetas.append(float(np.sum(ww * y) / ww.sum()))
                thetas = np.array(thetas)
                rs = np.array([r for _, r in reps])
                v = float(np.sum(rs * (thetas - thetas[rs > 0].mean()) ** 2))
                w = np.where(dom, d.w, 0.0)
                W, n = w.sum(), int(dom.sum())
                s2 = float(np.sum(w * (y - mean) ** 2) / W) * n / (n - 1)
                deff = v / (s2 / n * (W - n) / W)
            se = math.sqrt(v)
            q = stats.t.ppf(0.975, df)
            out[var] = mean
            out[var + "_se"] = se
            out[var + "_low"] = mean - q * se
            out[var + "_high"] = mean + q * se
            if var == "score":
                out["deff"] = deff
        ans = inkey & answered
        out["dont_know"] = float(np.sum(np.where(ans, d.w, 0) * dk) / np.sum(np.where(ans, d.w, 0)))
        out["n"] = int(dom.sum())
        out["df"] = df
        for c, got in out.items():
            want = float(e[c])
            if math.isnan(want) and math.isnan(got):
                continue
            # Values that are 0 in exact arithmetic (the SE of a rate of 1) come out of R as 0 or as
            # rounding noise (~1e-17): compare those absolutely.
            err = abs(got - want) / abs(want) if abs(want) > 1e-12 else abs(got - want)
            worst = max(worst, err)
            if err > 1e-9:
                print("  %s %s %s: spec %.17g, R %.17g" % (name, k, c, got, want))
    return worst


def main():
    cases = sys.argv[1:] or sorted(
        c for c in os.listdir(HERE) if os.path.exists(os.path.join(HERE, c, "expected.csv")))
    bad = False
    for c in cases:
        worst = check_case(c)
        print("%-22s max relative difference %.2e" % (c, worst))
        bad |= worst > 1e-9
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
