#!/usr/bin/env python3
"""Generate the benchmark household frame: 2,000,000 households in ~3,000 villages of 100 towns.

Columns (5): household_id, town, village, urban, members.
  household_id  integer, unique, 1..N in frame order
  town          Chinese town name (100 towns)
  village       village or community code, e.g. T037-V012 (unique across towns)
  urban         城镇 or 农村
  members       household size, 1..8

Deterministic: the same --seed gives the same file, byte for byte.
Usage: generate_households.py OUT.csv [--rows 2000000] [--towns 100] [--villages 3000] [--seed 20261122]
"""
import argparse
import random

PREFIX = "东西南北中上下前后大小新老金银石水山河桥湖塘林竹松柏梅兰花马牛羊龙凤安平和兴隆丰永长宁康乐"
SUFFIX = ["镇", "乡", "街道"]


def town_names(n, rng):
    names = set()
    out = []
    while len(out) < n:
        name = rng.choice(PREFIX) + rng.choice(PREFIX) + rng.choice(SUFFIX)
        if name not in names:
            names.add(name)
            out.append(name)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--towns", type=int, default=100)
    ap.add_argument("--villages", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=20261122)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    towns = town_names(a.towns, rng)
    # Villages per town, and village sizes from a lognormal, scaled to the row count.
    per_town = [a.villages // a.towns] * a.towns
    for i in range(a.villages - sum(per_town)):
        per_town[i] += 1
    villages = []  # (town, code, urban, weight)
    for t, name in enumerate(towns):
        for v in range(per_town[t]):
            urban = "城镇" if v < max(1, per_town[t] // 4) else "农村"
            weight = rng.lognormvariate(0, 0.6) * (2.5 if urban == "城镇" else 1.0)
            villages.append((name, "T%03d-V%03d" % (t + 1, v + 1), urban, weight))
    total = sum(w for *_, w in villages)
    counts = [max(10, int(a.rows * w / total)) for *_, w in villages]
    diff = a.rows - sum(counts)
    i = 0
    while diff != 0:
        step = 1 if diff > 0 else -1
        if counts[i % len(counts)] + step >= 10:
            counts[i % len(counts)] += step
            diff -= step
        i += 1
    hid = 0
    with open(a.out, "w", encoding="utf-8", newline="") as f:
        f.write("household_id,town,village,urban,members\n")
        lines = []
        for (town, code, urban, _), count in zip(villages, counts):
            for _ in range(count):
                hid += 1
                lines.append("%d,%s,%s,%s,%d\n" % (hid, town, code, urban, 1 + min(7, int(rng.expovariate(0.45)))))
            if len(lines) > 100_000:
                f.write("".join(lines))
                lines = []
        f.write("".join(lines))


if __name__ == "__main__":
    main()
