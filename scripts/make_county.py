#!/usr/bin/env python3
"""Generate pingyi's shipped county: a realistic synthetic county in datasets/.

Deterministic: the same seed gives the same files, byte for byte (Python's random.Random with a
fixed seed; only random(), randrange(), choice(), shuffle(), gauss() and lognormvariate() are used,
whose streams are stable across Python 3 versions). See datasets/README.md.

Usage: python3 scripts/make_county.py [--seed 2017] [--out datasets]
"""
import argparse
import csv
import os
import random

# The twelve towns (乡镇/街道) of the county: (name, kind, urban communities, rural villages).
TOWNS = [
    ("城关街道", "街道", 9, 0),
    ("东城街道", "街道", 7, 2),
    ("西城街道", "街道", 6, 3),
    ("石桥镇", "镇", 4, 24),
    ("青山镇", "镇", 2, 26),
    ("河口镇", "镇", 3, 21),
    ("柳林镇", "镇", 2, 19),
    ("龙泉镇", "镇", 2, 22),
    ("白水镇", "镇", 1, 18),
    ("马岭镇", "镇", 1, 16),
    ("高坪乡", "乡", 1, 14),
    ("杨庄乡", "乡", 1, 12),
]

# The 44 city departments evaluated in seed 004 (大石桥市 2017 plan, 附件 1):
# name, number of tasks, task points.
DEPARTMENTS = [
    ("市政府办", 10, 75), ("市信访局", 10, 59), ("市发改局", 15, 127), ("市物价办", 15, 107),
    ("市经信局", 17, 149), ("市科技局", 17, 126), ("市农发局", 20, 155), ("市畜牧兽医局", 25, 142),
    ("市财政局", 18, 165), ("市人社局", 29, 170), ("市城乡规划建设局", 31, 191.5), ("市公安局", 14, 113),
    ("市司法局", 12, 91), ("市综合执法局", 18, 145), ("市卫计局", 17, 132), ("市民政局", 27, 163),
    ("市审计局", 15, 114), ("市交通局", 22, 153), ("市水利局", 20, 135), ("市教育局", 16, 115),
    ("市外经局", 16, 123), ("市环保局", 27, 175), ("市统计局", 13, 104), ("市文广局", 17, 111),
    ("市安监局", 15, 112.5), ("市市场监管局", 19, 125), ("市行政审批办", 11, 83), ("市地震局", 9, 77),
    ("市老龄委办", 8, 69), ("市征收办", 11, 97), ("市粮食总公司", 11, 84), ("市服务业局", 24, 158),
    ("市林业局", 20, 135), ("市农机局", 13, 104), ("市供销社", 16, 83.5), ("大石桥开发区", 29, 249),
    ("沿海产业区", 28, 246), ("基镁园", 17, 133), ("市招商局", 13, 91), ("市旅游局", 20, 127),
    ("市房产局", 20, 150), ("市金融办", 15, 105), ("市农技中心", 13, 122), ("市信息中心", 6, 60),
]

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰玉萍红华建国志文斌辉鹏飞宇浩然子涵欣怡梓轩一诺佳琪思雨俊杰晓东海燕春梅秋菊冬生长林永福德胜金凤玉兰淑珍桂芳")
PLACE = ("东西南北中上下前后大小新老金银石水山河桥湖塘林竹松柏梅兰花马牛羊龙凤安平和兴隆丰永长宁康乐福寿田园庄岭沟坪坝湾")

INDUSTRIES = [  # (industry, share of firms, typical employees multiplier)
    ("农林牧渔业", 0.08, 0.8), ("制造业", 0.24, 2.0), ("建筑业", 0.09, 1.6), ("批发和零售业", 0.25, 0.6),
    ("交通运输业", 0.06, 1.0), ("住宿和餐饮业", 0.12, 0.7), ("信息技术服务业", 0.04, 1.1),
    ("居民服务和其他服务业", 0.12, 0.5),
]
NPC_GROUPS = ["工人", "农民", "专业技术人员", "党政干部", "企业负责人", "解放军"]
CPPCC_SECTORS = ["中共", "民主党派", "无党派人士", "共青团", "工会", "妇联", "工商联", "科技界",
                 "教育界", "医药卫生界", "经济界", "农业界", "社会福利界", "文化艺术界"]


def person_name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def place_name(rng, used, suffix):
    while True:
        name = rng.choice(PLACE) + rng.choice(PLACE) + suffix
        if name not in used:
            used.add(name)
            return name


def phone(rng):
    return "1" + rng.choice("35789") + "".join(str(rng.randrange(10)) for _ in range(9))


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=2017)
    ap.add_argument("--out", default="datasets")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)

    # Towns, their communities (城镇) and villages (农村) with household counts.
    towns, villages, used = [], [], set()
    for t, (town, kind, communities, rural) in enumerate(TOWNS, start=1):
        town_id = "T%02d" % t
        town_households = 0
        for k in range(communities + rural):
            urban = k < communities
            suffix = "社区" if urban else "村"
            size = int(rng.lognormvariate(6.75 if urban else 5.75, 0.35))
            size = max(size, 120 if urban else 60)
            village_id = "%s%s%02d" % (town_id, "C" if urban else "V", k + 1)
            villages.append((village_id, town_id, town, place_name(rng, used, suffix), "城镇" if urban else "农村", size))
            town_households += size
        towns.append((town_id, town, kind, communities, rural, town_households))

    # Households, listed village by village (the order a household register has).
    households = []
    hid = 0
    for village_id, town_id, town, village, urban, size in villages:
        for k in range(size):
            hid += 1
            members = 1 + min(6, int(rng.expovariate(0.42)))
            if urban == "城镇":
                address = "%s%s%d栋%d单元%d室" % (town, village, 1 + k // 24, 1 + (k // 8) % 3, 101 + (k % 8) + 100 * ((k // 2) % 6))
            else:
                address = "%s%s%d组%d号" % (town, village, 1 + k // 30, 1 + k % 30)
            households.append((hid, town_id, town, village_id, village, urban, person_name(rng), members, address, phone(rng)))

    # People's congress deputies (人大代表) and CPPCC members (政协委员) at county and town level.
    deputies = []
    pid = 0
    town_weights = [h for *_, h in towns]

    def pick_town():
        return rng.choices(towns, weights=town_weights)[0]

    for body, level, count, groups in (("人大代表", "县级", 210, NPC_GROUPS), ("人大代表", "乡镇级", 96, NPC_GROUPS),
                                       ("政协委员", "县级", 200, CPPCC_SECTORS)):
        for _ in range(count):
            pid += 1
            town_id, town, *_ = pick_town()
            deputies.append(("P%04d" % pid, body, level, rng.choice(groups), town_id, town, person_name(rng),
                             rng.choice(("男", "男", "女")), phone(rng)))
    deputies.sort(key=lambda r: (r[1], r[2], r[4], r[0]))

    # Enterprise register: industry, size class from employees, town.
    enterprises = []
    for e in range(1, 3001):
        industry, _, mult = rng.choices(INDUSTRIES, weights=[w for _, w, _ in INDUSTRIES])[0]
        employees = max(1, int(rng.lognormvariate(2.5, 1.4) * mult))
        size = "大型" if employees >= 1000 else "中型" if employees >= 300 else "小型" if employees >= 20 else "微型"
        town_id, town, *_ = pick_town()
        enterprises.append(("E%04d" % e, place_name(rng, used, rng.choice(("有限公司", "实业有限公司", "商贸有限公司", "厂"))),
                            industry, size, employees, town_id, town, person_name(rng), phone(rng)))

    # Evaluated units: the 44 departments of seed 004 and the 12 towns.
    units = [("D%02d" % i, name, "department", tasks, points) for i, (name, tasks, points) in enumerate(DEPARTMENTS, start=1)]
    units += [(town_id, town, "town", "", "") for town_id, town, *_ in towns]

    write(os.path.join(a.out, "towns.csv"), ["town_id", "town", "kind", "communities", "villages", "households"], towns)
    write(os.path.join(a.out, "villages.csv"), ["village_id", "town_id", "town", "village", "urban", "households"], villages)
    write(os.path.join(a.out, "households.csv"),
          ["household_id", "town_id", "town", "village_id", "village", "urban", "head", "members", "address", "phone"], households)
    write(os.path.join(a.out, "deputies.csv"),
          ["person_id", "body", "level", "sector", "town_id", "town", "name", "gender", "phone"], deputies)
    write(os.path.join(a.out, "enterprises.csv"),
          ["enterprise_id", "enterprise", "industry", "size_class", "employees", "town_id", "town", "manager", "phone"], enterprises)
    write(os.path.join(a.out, "units.csv"), ["unit_id", "unit", "class", "tasks", "points"], units)
    print("towns %d, villages %d, households %d, deputies %d, enterprises %d, units %d"
          % (len(towns), len(villages), len(households), len(deputies), len(enterprises), len(units)))


if __name__ == "__main__":
    main()
