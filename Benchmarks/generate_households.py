#!/usr/bin/env python3
"""Generate the benchmark household frame: 2,000,000 households in ~3,000 villages of 100 towns.

--shape integer (the first benchmark's frame), columns (5): household_id, town, village, urban, members.
  household_id  integer, unique, 1..N in frame order
  town          Chinese town name (100 towns)
  village       village or community code, e.g. T037-V012 (unique across towns)
  urban         城镇 or 农村
  members       household size, 1..8

--shape register (a household register as bureaus have it), columns (10): household_id, town_id,
town, village_id, village, urban, head, members, address, phone.
  household_id  register code COUNTY-TOWN-SERIAL, e.g. 130123-105-0001234 (text, unique, in order)
  town_id       T001…; town as above
  village_id    T037-V012; village a Chinese village or community name (repeats across towns)
  head          the household head's Chinese name; address in Chinese; phone an 11-digit mobile

Deterministic: the same --seed gives the same file, byte for byte.
Usage: generate_households.py OUT.csv [--rows 2000000] [--towns 100] [--villages 3000] [--seed 20261122] [--shape integer|register]
"""
import argparse
import random

PREFIX = "东西南北中上下前后大小新老金银石水山河桥湖塘林竹松柏梅兰花马牛羊龙凤安平和兴隆丰永长宁康乐"
SUFFIX = ["镇", "乡", "街道"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍建华红梅建国海燕春梅志强立新文华永红金凤德明淑珍桂芳国强"
VILLAGE_ENDS = ["村", "村", "村", "社区"]


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
    ap.add_argument("--shape", choices=["integer", "register"], default="integer")
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
    if a.shape == "register":
        write_register(a, rng, towns, villages, counts)
        return
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


def write_register(a, rng, towns, villages, counts):
    """The register shape: text ids of register form, Chinese names, ten columns."""
    town_ids = {name: "T%03d" % (i + 1) for i, name in enumerate(towns)}
    serial = {}
    with open(a.out, "w", encoding="utf-8", newline="") as f:
        f.write("household_id,town_id,town,village_id,village,urban,head,members,address,phone\n")
        lines = []
        for (town, code, urban, _), count in zip(villages, counts):
            # 800 towns per county code: a province's frame spans counties 130123, 130124, …
            town_number = int(code[1:code.index("-")])
            county, town_code = 130123 + (town_number - 1) // 800, 101 + (town_number - 1) % 800
            village_name = rng.choice(PREFIX) + rng.choice(PREFIX) + rng.choice(VILLAGE_ENDS)
            for _ in range(count):
                serial[town] = serial.get(town, 0) + 1
                head = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
                address = "%s%s%d组%d号" % (town, village_name, 1 + rng.randrange(12), 1 + rng.randrange(300))
                phone = "1%d%09d" % (rng.choice([3, 5, 7, 8, 9]), rng.randrange(10 ** 9))
                lines.append("%d-%03d-%07d,%s,%s,%s,%s,%s,%s,%d,%s,%s\n" % (
                    county, town_code, serial[town], town_ids[town], town, code, village_name, urban, head,
                    1 + min(7, int(rng.expovariate(0.45))), address, phone))
            if len(lines) > 100_000:
                f.write("".join(lines))
                lines = []
        f.write("".join(lines))


if __name__ == "__main__":
    main()
