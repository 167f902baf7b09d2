#!/usr/bin/env python3
"""Reading a 200,000-row x 6-column roster workbook (.xlsx): pingyi against openpyxl (read-only
mode) and python-calamine (Rust), in one run.

The roster is shaped like a bureau's: register-style text ids, Chinese names, towns and villages,
an employee count and a phone number. It is written once with openpyxl's write-only mode into
Benchmarks/data (not committed). pingyi is timed end to end as a command (`pingyi frame inspect
FILE --json`: process start, unzip, XML scan, typing); openpyxl and calamine inside Python,
iterating every cell's value, which favours them. Median of 5 runs each, interleaved. Prints
each ratio reference / pingyi: above 1 means pingyi is faster.
"""
import json
import os
import random
import statistics
import subprocess
import time

import openpyxl
from python_calamine import CalamineWorkbook

from common import require_pingyi

HERE = os.path.dirname(os.path.abspath(__file__))
ROWS = 200_000


def ensure_roster():
    path = os.path.join(HERE, "data", "roster-200k.xlsx")
    if os.path.exists(path):
        return path
    os.makedirs(os.path.dirname(path), exist_ok=True)
    rng = random.Random(20261202)
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
    towns = ["城关镇", "北关街道", "南台乡", "西城镇", "东湖镇", "河口乡", "石桥镇", "青山乡"]
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("名单")
    ws.append(["id", "name", "town", "village", "employees", "phone"])
    for i in range(ROWS):
        t = rng.randrange(len(towns))
        ws.append([
            "130123-%03d-%07d" % (100 + t, i),
            rng.choice(surnames) + rng.choice(given) + (rng.choice(given) if rng.random() < 0.6 else ""),
            towns[t],
            "%s第%d村" % (towns[t][:2], rng.randrange(1, 30)),
            rng.randrange(1, 2000),
            "1%010d" % rng.randrange(10**10),
        ])
    wb.save(path + ".tmp")
    os.replace(path + ".tmp", path)
    return path


def read_openpyxl(path):
    wb = openpyxl.load_workbook(path, read_only=True)
    n = 0
    for row in wb.worksheets[0].iter_rows(values_only=True):
        n += 1
    wb.close()
    return n - 1


def read_calamine(path):
    wb = CalamineWorkbook.from_path(path)
    rows = wb.get_sheet_by_index(0).to_python()
    return len(rows) - 1


def main():
    pingyi = require_pingyi()
    path = ensure_roster()
    ours, pyxl, cal = [], [], []
    for _ in range(5):
        t = time.perf_counter()
        out = subprocess.run([pingyi, "frame", "inspect", path, "--json"], check=True, stdout=subprocess.PIPE).stdout
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        n1 = read_openpyxl(path)
        pyxl.append(time.perf_counter() - t)
        t = time.perf_counter()
        n2 = read_calamine(path)
        cal.append(time.perf_counter() - t)
    report = json.loads(out)
    assert report["rows"] == n1 == n2 == ROWS, (report["rows"], n1, n2)
    assert [c["type"] for c in report["columns"]] == ["text", "text", "text", "text", "integer", "integer"], report["columns"]
    a, b, c = statistics.median(ours), statistics.median(pyxl), statistics.median(cal)
    print("roster: %s (%d rows, 6 columns, %.1f MB)" % (path, ROWS, os.path.getsize(path) / 1e6))
    print("pingyi frame inspect:       %.3f s (median of 5, whole command)" % a)
    print("openpyxl read-only:         %.3f s (median of 5, in-process)  ratio %.2f" % (b, b / a))
    print("python-calamine to_python:  %.3f s (median of 5, in-process)  ratio %.2f" % (c, c / a))
    print("(ratio = reference / pingyi; above 1: pingyi is faster)")


if __name__ == "__main__":
    main()
