"""Benchmark: online self-completion in `pingyi serve` under load, on SQLite.

The sample of Benchmarks/load_calls.py (20,140 enterprises drawn from a 60,000-row register)
is loaded into a fresh store and `pingyi invitations make` gives every case a code. Then 200
respondents, each on its own keep-alive connection, open their link (GET /s/CODE) and answer the
enterprise questionnaire item by item as the page's script does — one POST /s/CODE/save per
answer, after a think time (exponential, mean --think seconds) — and submit at the end
(POST /s/CODE/submit), for a fixed time; a respondent who submits is followed by the next code.
Printed: saves per second, the p50/p99 of a save (milliseconds, measured by the client), the
pages opened and the submissions; then the store is read: every acknowledged submission must be
a complete case with an online form.

Target (issue 15): p99 per save under 50 ms on SQLite with 200 respondents.

    swift build -c release --product pingyi
    python3 Benchmarks/load_online.py [--seconds 20] [--respondents 200] [--think 0.5]

(`make bench-online`.) Python 3 standard library only.
"""
import argparse
import asyncio
import csv
import os
import random
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import DATA, require_pingyi  # noqa: E402
from load_calls import DEPARTMENTS, Browser, Server, generate, percentile  # noqa: E402

ITEMS = ["q_business_env", "q_approval"] + DEPARTMENTS + ["q_suggest"]


def answer(item, rng):
    if item == "q_approval":
        return "2"
    if item == "q_suggest":
        return rng.choice(["", "希望简化审批流程", "<b>加强窗口服务</b>"])
    return str(rng.choice((1, 1, 2, 2, 2, 3, 4, 7)))


async def respondent(port, codes, seed, think, deadline, log):
    rng = random.Random(seed)
    browser = Browser(port)
    await browser.open()
    try:
        await asyncio.sleep(rng.uniform(0, think))
        while time.time() < deadline and codes:
            case_id, code = codes.pop()
            status, _, _ = await browser.request("GET", "/s/" + code)
            if status != 200:
                log["errors"].append("open %d" % status)
                continue
            log["opened"] += 1
            finished = True
            for item in ITEMS:
                await asyncio.sleep(rng.expovariate(1 / think) if think > 0 else 0)
                if time.time() >= deadline:
                    finished = False
                    break
                t = time.perf_counter()
                status, _, text = await browser.request("POST", "/s/%s/save" % code, {item: answer(item, rng)}, accept="application/json")
                if status == 200:
                    log["save_ms"].append((time.perf_counter() - t) * 1000)
                else:
                    log["errors"].append("save %d %s" % (status, text[:120]))
            if not finished:
                break
            t = time.perf_counter()
            status, _, text = await browser.request("POST", "/s/%s/submit" % code, {})
            if status == 200 and "问卷已提交" in text:
                log["submit_ms"].append((time.perf_counter() - t) * 1000)
                log["submitted"].append(case_id)
            else:
                log["errors"].append("submit %d" % status)
    finally:
        browser.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--respondents", type=int, default=200)
    parser.add_argument("--think", type=float, default=0.5, help="mean seconds a respondent takes per answer")
    parser.add_argument("--pingyi", default=None)
    args = parser.parse_args()
    pingyi = args.pingyi or require_pingyi()
    calls = os.path.join(DATA, "calls")
    os.makedirs(calls, exist_ok=True)
    if not os.path.exists(os.path.join(calls, "enterprises.yaml")):
        generate(calls)
    listing = os.path.join(calls, "list.csv")
    if not os.path.exists(listing):
        subprocess.run([pingyi, "sample", "--design", os.path.join(calls, "design.yaml"), "--seed", "20171106", "--out", listing],
                       check=True, stdout=subprocess.DEVNULL)
    directory = os.path.join(DATA, "online")
    os.makedirs(directory, exist_ok=True)
    db = os.path.join(directory, "bench.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    subprocess.run([pingyi, "cases", "load", "--list", listing, "--survey", os.path.join(calls, "enterprises.yaml"), "--db", db],
                   check=True, stdout=subprocess.DEVNULL)
    codes_file = os.path.join(directory, "codes.csv")
    t = time.perf_counter()
    subprocess.run([pingyi, "invitations", "make", "--questionnaire", "enterprises", "--base-url", "http://127.0.0.1", "--out", codes_file,
                    "--db", db], check=True, stdout=subprocess.DEVNULL)
    made = time.perf_counter() - t
    with open(codes_file, encoding="utf-8") as f:
        codes = [(r["case_id"], r["link"].rsplit("/", 1)[1]) for r in csv.DictReader(f)]
    codes.reverse()
    print("%d enterprises invited (codes made in %.1f s); %d respondents; %.0f s; think time %.2f s per answer (exponential mean)" % (
        len(codes), made, args.respondents, args.seconds, args.think))

    # A server answers nobody before its first admin exists (the first-start setup).
    password = os.path.join(directory, "password")
    with open(password, "w") as f:
        f.write("bench-admin-2026\n")
    subprocess.run([pingyi, "users", "add", "admin", "--role", "admin", "--password-file", password, "--db", db],
                   check=True, stdout=subprocess.DEVNULL)
    server = Server(pingyi, ["--db", db], os.path.join(directory, "serve.log"))
    log = {"save_ms": [], "submit_ms": [], "submitted": [], "opened": 0, "errors": []}

    async def run():
        deadline = time.time() + args.seconds
        await asyncio.gather(*[respondent(server.port, codes, 1000 + i, args.think, deadline, log) for i in range(args.respondents)])
    asyncio.run(run())
    server.stop()

    saves = len(log["save_ms"])
    p99 = percentile(log["save_ms"], 0.99)
    print("%-8s %11s %8s %9s %9s %7s %9s %10s %s" % ("store", "respondents", "saves", "saves/s", "save p50", "save p99", "submitted",
                                                    "submit p99", "errors"))
    print("%-8s %11d %8d %9.1f %9.1f %8.1f %9d %10.1f %s" % ("SQLite", args.respondents, saves, saves / args.seconds,
                                                           percentile(log["save_ms"], 0.5), p99, len(log["submitted"]),
                                                           percentile(log["submit_ms"], 0.99), len(log["errors"])))
    if log["errors"]:
        print("  first errors:", log["errors"][:3])
    with sqlite3.connect(db) as con:
        complete = {r[0] for r in con.execute("SELECT c.case_id FROM cases c JOIN forms f ON f.case_id = c.case_id "
                                              "WHERE c.disposition = 'complete' AND f.mode = 'online'")}
    missing = [c for c in log["submitted"] if c not in complete]
    print("store: %d of %d acknowledged submissions complete with an online form" % (len(log["submitted"]) - len(missing), len(log["submitted"])))
    ok = p99 < 50 and not missing and not log["errors"]
    print("target (SQLite save p99 < 50 ms with %d respondents; every submission stored): %s" % (args.respondents, "met" if ok else "NOT met"))
    return 0 if not missing and not log["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
