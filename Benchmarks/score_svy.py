#!/usr/bin/env python3
"""Reference timing: per-unit satisfaction score and rate with `svy` from PyPI (polars + Rust core).

The same estimate as Benchmarks/score_r.R, i.e. R's
  svyby(~score+satisfied, ~unit, subset(design, valid), svymean)
on the two-stage design with fpc at both stages:
  svy.Design(stratum="stage1_stratum", psu="stage1_unit", ssu="stage2_unit", wgt="weight",
             pop_size=svy.PopSize(psu="stage1_N", ssu="stage2_N"))
Each unit is a domain (`by="unit"`, `where=valid`): rows outside the domain stay in the design.

Usage: score_svy.py LONG.csv OUT.csv
  LONG.csv  the long answer file of Benchmarks/generate_long.py
  OUT.csv   results, one row per unit: unit,n,score,score_se,rate,rate_se (17 significant digits)
Prints the elapsed wall time of the whole job (file read included) on the last line as
`seconds: X`.

Tiers: 1 满意 = 100, 2 比较满意 = 80, 3 基本满意 = 60, 4 不满意 = 0 (1-3 satisfied);
7 don't know and 8 refused are not valid answers (excluded from the denominator).
"""
import argparse
import time

started = time.perf_counter()

import polars as pl  # noqa: E402
import svy  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("long")
    ap.add_argument("out")
    a = ap.parse_args()

    data = pl.read_csv(
        a.long,
        schema_overrides={
            "case_id": pl.Utf8, "unit": pl.Utf8, "tier": pl.Int64, "stage1_stratum": pl.Utf8,
            "stage1_unit": pl.Utf8, "stage1_N": pl.Float64, "stage2_unit": pl.Utf8,
            "stage2_N": pl.Float64, "weight": pl.Float64,
        },
    )
    tier = pl.col("tier")
    data = data.with_columns(
        valid=tier.is_between(1, 4),
        score=pl.when(tier == 1).then(100.0).when(tier == 2).then(80.0)
        .when(tier == 3).then(60.0).otherwise(0.0),
        satisfied=tier.is_between(1, 3).cast(pl.Float64),
    )
    design = svy.Design(
        stratum="stage1_stratum", psu="stage1_unit", ssu="stage2_unit", wgt="weight",
        pop_size=svy.PopSize(psu="stage1_N", ssu="stage2_N"),
    )
    sample = svy.Sample(data, design)
    where = svy.col("valid") == True  # noqa: E712
    score = sample.estimation.mean("score", by="unit", where=where).to_polars()
    rate = sample.estimation.mean("satisfied", by="unit", where=where).to_polars()

    n = data.filter(pl.col("valid")).group_by("unit").len()
    out = (
        score.select("unit", pl.col("est").alias("score"), pl.col("se").alias("score_se"))
        .join(rate.select("unit", pl.col("est").alias("rate"), pl.col("se").alias("rate_se")), on="unit")
        .join(n.rename({"len": "n"}), on="unit")
        .sort("unit")
    )
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("unit,n,score,score_se,rate,rate_se\n")
        for r in out.iter_rows(named=True):
            f.write("%s,%d,%.17g,%.17g,%.17g,%.17g\n" % (
                r["unit"], r["n"], r["score"], r["score_se"], r["rate"], r["rate_se"]))
    print("seconds: %.3f" % (time.perf_counter() - started))


if __name__ == "__main__":
    main()
