"""Benchmark: keyed-form import against SQLite's own CSV import.

Generates N urban household forms (default 20,000; the urban questionnaire has 50 items, so about a
million answers) as the wide CSV that `pingyi responses import` reads, with a respondent list drawn
from the shipped household frame (communities as stage-1 units, households as stage-2 units), and the
same answers in long form (case_id,item,value). Then times, each on a fresh copy of the store:

  pingyi responses import forms.csv --survey surveys/questionnaires/urban.yaml --pass 1 --operator bench
  sqlite3 floor.sqlite '.import --csv --skip 1 long.csv answers'   (a plain table, no checks)

and prints both medians and their ratio (the target is within 2x of the sqlite3 floor).

    swift build -c release --product pingyi
    python3 Benchmarks/import_forms.py [--forms 20000] [--repeats 5]

Python 3, standard library only. The data is deterministic (seeded) and kept in Benchmarks/data/.
"""
import argparse
import csv
import os
import random
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import DATA, ROOT, require_pingyi, run_timed  # noqa: E402

QUESTIONNAIRE = os.path.join(ROOT, "surveys", "questionnaires", "urban.yaml")
DEPARTMENTS = ["D%02d" % i for i in range(1, 45)]
COMMENTS = ["办事效率有待提高", "希望加强社区服务", "总体满意", "道路维修要及时", "窗口服务态度很好"]


def generate(forms, directory, seed=2024):
    """Writes list.csv, forms.csv and long.csv for `forms` households; returns the answer count."""
    rng = random.Random(seed)
    with open(os.path.join(ROOT, "datasets", "households.csv"), encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["urban"] == "城镇"]
    by_village = {}
    for r in rows:
        by_village.setdefault(r["village_id"], []).append(r)
    villages = sorted(by_village)
    communities_in_town = {}
    for v in villages:
        communities_in_town.setdefault(by_village[v][0]["town_id"], []).append(v)
    # Allocate the sample to communities in proportion to their size (at least 1 each).
    total = len(rows)
    if forms > total:
        sys.exit("benchmark: at most %d urban households in the shipped frame" % total)
    alloc = {v: max(1, round(forms * len(by_village[v]) / total)) for v in villages}
    while sum(alloc.values()) > forms:
        v = max(alloc, key=lambda k: alloc[k] / len(by_village[k]))
        alloc[v] -= 1
    while sum(alloc.values()) < forms:
        v = min(alloc, key=lambda k: alloc[k] / len(by_village[k]))
        alloc[v] += 1
    frame_columns = ["household_id", "town_id", "town", "village_id", "village", "urban", "head", "members", "address", "phone"]
    design = []
    for k in (1, 2):
        design += ["stage%d_%s" % (k, s) for s in ("stratum", "unit", "prob", "N", "n")]
    header = frame_columns + design + ["prob", "weight", "role", "reserve_rank", "reserve_group", "reserve_prob", "case_id"]
    items = DEPARTMENTS + ["own_town", "members", "q_students", "q_education", "q_safety", "q_suggest"]
    answers = 0
    with open(os.path.join(directory, "list.csv"), "w", encoding="utf-8", newline="") as lf, \
            open(os.path.join(directory, "forms.csv"), "w", encoding="utf-8", newline="") as ff, \
            open(os.path.join(directory, "long.csv"), "w", encoding="utf-8", newline="") as gf:
        lw, fw, gw = csv.writer(lf, lineterminator="\n"), csv.writer(ff, lineterminator="\n"), csv.writer(gf, lineterminator="\n")
        lw.writerow(header)
        fw.writerow(["case_id"] + items)
        gw.writerow(["case_id", "item", "value"])
        serial = 0
        for v in villages:
            households = by_village[v]
            n, big_n = alloc[v], len(households)
            town = households[0]["town_id"]
            chosen = rng.sample(range(big_n), min(big_n, n + 2))
            n_communities = len(communities_in_town[town])
            p2 = n / big_n
            for rank, index in enumerate(chosen):
                h = households[index]
                serial += 1
                case_id = "H-%s-%05d" % (town[1:], serial)
                role, reserve_rank = ("sample", "") if rank < n else ("reserve", str(rank - n + 1))
                lw.writerow([h[c] for c in frame_columns]
                            + [town, v, 1, n_communities, n_communities, v, h["household_id"], p2, big_n, n]
                            + [p2, 1 / p2, role, reserve_rank, v, "" if role == "sample" else (len(chosen) - n) / big_n, case_id])
                if role != "sample":
                    continue
                students = rng.choice(["1", "2"])
                values = [rng.choice("12341234127") for _ in DEPARTMENTS]
                values += [rng.choice("1234"), h["members"], students,
                           rng.choice("1234") if students == "1" else "", rng.choice("12347"),
                           rng.choice(COMMENTS) if rng.random() < 0.1 else ""]
                fw.writerow([case_id] + values)
                for item, value in zip(items, values):
                    if value != "":
                        gw.writerow([case_id, item, value])
                        answers += 1
    return answers


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--forms", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    pingyi = require_pingyi()
    directory = os.path.join(DATA, "import_%d" % args.forms)
    os.makedirs(directory, exist_ok=True)
    answers = generate(args.forms, directory)
    print("generated %d forms, %d answers in %s" % (args.forms, answers, directory))

    loaded = os.path.join(directory, "loaded.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(loaded + suffix):
            os.remove(loaded + suffix)
    subprocess.run([pingyi, "cases", "load", "--list", os.path.join(directory, "list.csv"), "--survey", QUESTIONNAIRE,
                    "--db", loaded, "--operator", "bench"], check=True, stdout=subprocess.DEVNULL)
    store = os.path.join(directory, "store.sqlite")
    floor = os.path.join(directory, "floor.sqlite")

    def fresh_store():
        for suffix in ("-wal", "-shm"):
            if os.path.exists(store + suffix):
                os.remove(store + suffix)
        shutil.copyfile(loaded, store)

    def fresh_floor():
        if os.path.exists(floor):
            os.remove(floor)
        subprocess.run(["sqlite3", floor, "CREATE TABLE answers (case_id TEXT, item TEXT, value TEXT);"], check=True)

    import_cmd = [pingyi, "responses", "import", os.path.join(directory, "forms.csv"), "--survey", QUESTIONNAIRE,
                  "--pass", "1", "--operator", "bench", "--db", store]
    floor_cmd = ["sqlite3", floor, ".import --csv --skip 1 %s answers" % os.path.join(directory, "long.csv")]
    pingyi_times, floor_times = [], []
    for _ in range(args.repeats):
        fresh_store()
        t, _, _ = run_timed(import_cmd, repeats=1)
        pingyi_times.append(t)
        fresh_floor()
        t, _, _ = run_timed(floor_cmd, repeats=1)
        floor_times.append(t)
    pingyi_times.sort()
    floor_times.sort()
    p, s = pingyi_times[len(pingyi_times) // 2], floor_times[len(floor_times) // 2]
    print("pingyi responses import  %.3f s  (%d forms, %d answers, checked, with audit trail)" % (p, args.forms, answers))
    print("sqlite3 .import (floor)  %.3f s  (the same answers in long form, plain table)" % s)
    print("ratio                    %.2fx  (target: within 2x)" % (p / s))


if __name__ == "__main__":
    main()
