#!/usr/bin/env python3
"""Generate example inputs of the 大石桥 composite scheme (surveys/schemes/dashiqiao.yaml).

For the 44 city departments of seed 004 and the county's 12 towns (datasets/units.csv): indicator
results with targets and actual values (one row per task; a department's tasks and points are those
of seed 004 附件 1), process, party-building, leader and (towns) department evaluations, 察访核验
deductions, and bonus, penalty and veto events. The public component comes from `pingyi score`.

Deterministic: one random.Random(seed) stream, only random(), randrange(), choice(), uniform()
and shuffle(), so the same seed gives the same files byte for byte. See datasets/dashiqiao/README.md.

Usage: python3 scripts/make_dashiqiao_inputs.py [--seed 2017] [--units datasets/units.csv]
                                                [--out datasets/dashiqiao]
"""
import argparse
import csv
import os
import random

# Task names of the kinds seed 004 lists (附件 4, 市环保局): (name, unit of measure, lower is better).
TASKS = [
    ("信访工作", "件", False), ("“12345”服务热线办结率", "%", False), ("民心网群众诉求办理", "件", False),
    ("人大代表建议和政协提案办复", "件", False), ("软环境建设", "分", False), ("依法行政工作", "分", False),
    ("重点领域信息公开", "条", False), ("政务信息上报", "条", False), ("应急处突工作", "分", False),
    ("重点项目投资完成额", "万元", False), ("招商引资到位资金", "万元", False), ("固定资产投资增长", "%", False),
    ("一般公共预算收入", "万元", False), ("新增就业人数", "人", False), ("调研工作", "篇", False),
    ("行政处罚案件办结", "件", False), ("专项整治任务完成", "项", False), ("民生实事完成", "项", False),
    ("化学需氧量排放量", "吨", True), ("氨氮排放量", "吨", True), ("可吸入颗粒物浓度", "微克/立方米", True),
    ("生产安全事故起数", "起", True), ("群众有效投诉件数", "件", True), ("行政审批平均办理时限", "工作日", True),
]
TOWN_TASKS = 24          # towns have no task list in seed 004: 24 tasks of 100 points in all
TOWN_POINTS = 100


def split_points(rng, total, n):
    """n task points, multiples of 0.5, at least 1, adding up exactly to total."""
    weights = [rng.uniform(1, 4) for _ in range(n)]
    s = sum(weights)
    points = [max(1.0, round(total * w / s * 2) / 2) for w in weights]
    diff = round((total - sum(points)) * 2) / 2
    i = 0
    while abs(diff) > 1e-9:
        step = 0.5 if diff > 0 else -0.5
        if points[i % n] + step >= 1:
            points[i % n] += step
            diff -= step
        i += 1
    return points


def task_values(rng, lower):
    """(target, actual) with about three tasks in four meeting their target."""
    target = rng.randrange(20, 500)
    met = rng.random() < 0.75
    if lower:
        factor = rng.uniform(0.80, 1.0) if met else rng.uniform(1.02, 1.35)
    else:
        factor = rng.uniform(1.0, 1.15) if met else rng.uniform(0.55, 0.98)
    return target, round(target * factor, 1)


def score(rng, low, high):
    return round(rng.uniform(low, high), 1)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seed", type=int, default=2017)
    p.add_argument("--units", default="datasets/units.csv")
    p.add_argument("--out", default="datasets/dashiqiao")
    a = p.parse_args()
    rng = random.Random(a.seed)
    with open(a.units, encoding="utf-8") as f:
        units = list(csv.DictReader(f))
    os.makedirs(a.out, exist_ok=True)

    indicators, components, events = [], [], []
    for u in units:
        uid, cls = u["unit_id"], u["class"]
        n = int(u["tasks"]) if u["tasks"] else TOWN_TASKS
        total = float(u["points"]) if u["points"] else TOWN_POINTS
        # How well run the unit is: shifts every score a little, so units differ consistently.
        form = rng.uniform(-6, 4)
        for k, pts in enumerate(split_points(rng, total, n), start=1):
            name, measure, lower = rng.choice(TASKS)
            target, actual = task_values(rng, lower)
            points = int(pts) if pts == int(pts) else pts
            indicators.append([uid, f"{k:02d} {name}（{measure}）", points, target, actual, "lower" if lower else "higher"])
        components.append([uid, cls, "process", "", score(rng, 82 + form, 98 + form / 2)])
        components.append([uid, cls, "party", "", score(rng, 84 + form, 99 + form / 4)])
        components.append([uid, cls, "leader", "", score(rng, 80 + form, 97 + form / 2)])
        if cls == "town":
            components.append([uid, cls, "departments", "", score(rng, 78 + form, 96 + form / 2)])
        # 察访核验: about one unit in four loses points, in half-point steps.
        components.append([uid, cls, "inspection", "", rng.choice([0.5, 1, 1, 1.5, 2, 3]) if rng.random() < 0.25 else 0])
        if rng.random() < 0.18:
            events.append([uid, "bonus", "rule-bonus", rng.choice(["省级表彰", "市级表彰", "经验推广", "争取上级资金"]),
                           rng.choice([0.5, 1, 1.5, 2])])
        if rng.random() < 0.12:
            events.append([uid, "penalty", "rule-penalty", rng.choice(["工作延误", "通报批评", "数据报送迟报"]),
                           rng.choice([0.5, 1, 1.5])])
    vetoed = rng.choice([u["unit_id"] for u in units if u["class"] == "department"])
    events.append([vetoed, "veto", "party-responsibility", "", ""])

    def write(name, header, rows):
        with open(os.path.join(a.out, name), "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)

    write("indicators.csv", ["unit", "indicator", "points", "target", "actual", "direction"], indicators)
    write("components.csv", ["unit", "class", "component", "period", "value"], components)
    write("events.csv", ["unit", "kind", "code", "item", "points"], events)
    print(f"{len(units)} units: {len(indicators)} indicators, {len(components)} component rows, {len(events)} events in {a.out}")


if __name__ == "__main__":
    main()
