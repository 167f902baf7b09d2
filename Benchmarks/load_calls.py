"""Benchmark: telephone interviewing in `pingyi serve` under load, on SQLite and on PostgreSQL.

The sample: an enterprise register twenty times the shipped county's (60,000 enterprises: the
shipped frame's rows repeated with new ids, managers and mobile numbers, generated with a fixed
seed) drawn by the shipped enterprise design with its total raised to 20,000, loaded with the
enterprise questionnaire whose calling windows are opened to the whole day (the server runs on
the real clock). 50 interviewer accounts.

The load: 50 simulated interviewers, each on its own keep-alive connection, sign in through the
login page like a browser (CSRF cookie and field) and then, for a fixed time, press "next case"
(POST /calls/enterprises/next), "dial" for a think time (exponential, mean --think seconds), and
record the outcome: no answer, busy, answering machine, an appointment two hours ahead, a soft
or hard refusal, a non-working number, or a completed interview with all 48 answers (POST
/calls/enterprises/interview, a telephone form through the entry rules), then load the start page
the answer redirects to, as a browser does. Printed per store: dials, next-case p50/p99, attempt
p50/p99, start page p99 (milliseconds, measured by the client). Every hand-out is logged (interviewer, case, from, to), and
the check counts cases held by two interviewers at overlapping times: it must be 0. On
PostgreSQL the interviewers are split over two server processes on the same database.

Then the crash test: the load runs again and every server is killed with SIGKILL half-way
through; a server is restarted on the same store and `pingyi calls export` must hold every
attempt whose POST was acknowledged (a 303 to the call list) before the kill.

Target (issue 14): next-case p99 under 20 ms on SQLite; zero cases handed to two interviewers;
zero acknowledged attempts lost.

    swift build -c release --product pingyi
    scripts/with-postgres.sh python3 Benchmarks/load_calls.py [--seconds 20] [--think 0.5]

(`make bench-calls`.) Without a PostgreSQL server (PINGYI_TEST_POSTGRES unset) only SQLite runs.
Python 3 standard library only; psql for the PostgreSQL database.
"""
import argparse
import asyncio
import csv
import os
import random
import re
import shutil
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import DATA, ROOT, require_pingyi  # noqa: E402
from load_serve import Server  # noqa: E402

QUESTIONNAIRE = "enterprises"
PASSWORD = "电话访问-2025"
INTERVIEWERS = ["访员%02d" % i for i in range(1, 51)]
DEPARTMENTS = ["D%02d" % i for i in range(1, 45)]
# Outcomes of a dial and their shares (the rest are completed interviews).
OUTCOMES = [("no-answer", 0.40), ("busy", 0.08), ("answering-machine", 0.06), ("call-back", 0.06),
            ("soft-refusal", 0.06), ("hard-refusal", 0.04), ("non-working", 0.03)]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰建国志强晓东海燕红梅子涵雨轩浩然思远佳怡欣怡"


def generate(directory, copies=20, seed=20171106):
    """The 60,000-enterprise frame, the design drawing 20,000 from it, and the all-day questionnaire."""
    rng = random.Random(seed)
    frame = os.path.join(directory, "enterprises.csv")
    with open(os.path.join(ROOT, "datasets/enterprises.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with open(frame + ".tmp", "w", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        out.writeheader()
        n = 0
        for copy in range(copies):
            for row in rows:
                n += 1
                row = dict(row)
                row["enterprise_id"] = "E%06d" % n
                row["manager"] = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
                row["phone"] = "1%d%d%08d" % (rng.choice((3, 5, 8)), rng.randrange(10), rng.randrange(10 ** 8))
                out.writerow(row)
    os.replace(frame + ".tmp", frame)
    with open(os.path.join(ROOT, "surveys/designs/enterprises.yaml"), encoding="utf-8") as f:
        design = f.read()
    design, a = re.subn(r"frame: \S+", "frame: " + frame, design)
    design, b = re.subn(r"total: 240", "total: 20000", design)
    assert a == 1 and b == 1, "the shipped enterprise design changed shape"
    with open(os.path.join(directory, "design.yaml"), "w", encoding="utf-8") as f:
        f.write(design)
    with open(os.path.join(ROOT, "surveys/questionnaires/enterprises.yaml"), encoding="utf-8") as f:
        text = f.read()
    text = text.replace("scale: four-tier", "scale: " + os.path.join(ROOT, "surveys/scales/four-tier.yaml"))
    text = text.replace("file: ../../datasets/units.csv", "file: " + os.path.join(ROOT, "datasets/units.csv"))
    text, c = re.subn(r"    weekdays: \[[^\]]*\]", "    weekdays: [00:00-24:00]\n    weekend: [00:00-24:00]", text)
    assert c == 1, "the enterprise questionnaire has no weekdays window to open"
    with open(os.path.join(directory, "enterprises.yaml"), "w", encoding="utf-8") as f:
        f.write(text)


class Browser:
    """One interviewer's keep-alive connection with its cookies."""

    def __init__(self, port):
        self.port, self.cookies = port, {}

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    def close(self):
        self.writer.close()

    async def request(self, method, path, fields=None, accept=None):
        body = urllib.parse.urlencode(fields).encode() if fields is not None else b""
        cookie = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        head = "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n" % (method, path, self.port)
        if cookie:
            head += "Cookie: %s\r\n" % cookie
        if accept:
            head += "Accept: %s\r\n" % accept
        if fields is not None:
            head += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n" % len(body)
        self.writer.write(head.encode() + b"\r\n" + body)
        await self.writer.drain()
        raw = await self.reader.readuntil(b"\r\n\r\n")
        status, length, location = int(raw[9:12]), 0, None
        for line in raw.decode("latin-1").split("\r\n")[1:]:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "content-length":
                length = int(value)
            elif name == "location":
                location = value
            elif name == "set-cookie":
                key, _, rest = value.partition("=")
                val = rest.split(";", 1)[0]
                if "max-age=0" in value.lower():
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = val
        text = (await self.reader.readexactly(length)).decode("utf-8", errors="replace")
        return status, location, text

    async def sign_in(self, name):
        _, _, page = await self.request("GET", "/login?next=/calls")
        token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        status, location, _ = await self.request("POST", "/login", {"csrf": token, "next": "/calls", "name": name, "password": PASSWORD})
        assert status in (302, 303) and location == "/calls", "sign-in of %s failed: %d" % (name, status)
        _, _, page = await self.request("GET", "/calls")
        self.csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def field(page, name):
    found = re.search(r'name="%s" value="([^"]*)"' % name, page)
    return found.group(1) if found else None


def interview_answers(rng):
    answers = {d: str(rng.choice((1, 1, 2, 2, 2, 3, 4, 7))) for d in DEPARTMENTS}
    answers["q_business_env"] = str(rng.choice((1, 2, 3, 4)))
    if rng.random() < 0.4:
        answers["q_approval"], answers["q_approval_days"] = "1", str(rng.randrange(1, 60))
    else:
        answers["q_approval"] = "2"
    return answers


class Log:
    """What the interviewers saw: latencies, hand-outs and acknowledged attempts."""

    def __init__(self):
        self.start_ms = []
        self.next_ms, self.attempt_ms, self.handouts, self.acknowledged, self.none, self.errors = [], [], [], [], 0, {}

    def error(self, what):
        self.errors[what] = self.errors.get(what, 0) + 1


async def signed_in(name, port):
    browser = Browser(port)
    await browser.open()
    await browser.sign_in(name)
    return browser


async def interviewer(name, browser, seed, think, deadline, log, stop):
    rng = random.Random(seed)
    try:
        # Interviewers start at random moments of the first think time, not all in one instant.
        await asyncio.sleep(rng.uniform(0, think))
        while time.time() < deadline and not stop.is_set():
            t0 = time.perf_counter()
            status, _, page = await browser.request("POST", "/calls/%s/next" % QUESTIONNAIRE, {"csrf": browser.csrf})
            taken, ms = time.time(), (time.perf_counter() - t0) * 1000
            case_id = field(page, "case_id") if status == 200 else None
            if case_id is None:
                if status >= 500 or status in (200, 403, 404):
                    log.error("next %d" % status)
                log.none += 1
                await asyncio.sleep(0.5)
                continue
            log.next_ms.append(ms)
            started = field(page, "started_at")
            await asyncio.sleep(rng.expovariate(1 / think) if think > 0 else 0)
            u, outcome = rng.random(), "complete"
            for code, share in OUTCOMES:
                if u < share:
                    outcome = code
                    break
                u -= share
            fields = {"csrf": browser.csrf, "case_id": case_id, "started_at": started, "phone_rank": "1", "outcome": outcome}
            if outcome == "complete":
                fields.update(interview_answers(rng))
                path = "/calls/%s/interview" % QUESTIONNAIRE
            else:
                path = "/calls/%s/attempt" % QUESTIONNAIRE
                if outcome == "call-back":
                    fields["appointment"] = time.strftime("%Y-%m-%dT%H:%M", time.gmtime(time.time() + 8 * 3600 + 7200))
            t1 = time.perf_counter()
            status, location, page = await browser.request("POST", path, fields)
            done = time.time()
            log.handouts.append((case_id, name, taken, done))
            if status == 303 and location and location.startswith("/calls?notice="):
                log.attempt_ms.append((time.perf_counter() - t1) * 1000)
                log.acknowledged.append((case_id, name, outcome))
                # As a browser does: the start page with the notice, then N again.
                t2 = time.perf_counter()
                status, _, _ = await browser.request("GET", location)
                if status == 200:
                    log.start_ms.append((time.perf_counter() - t2) * 1000)
                else:
                    log.error("start page %d" % status)
            else:
                log.error("%d %s" % (status, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))[:160] if status != 303 else location))
    except (OSError, asyncio.IncompleteReadError, ConnectionError):
        pass  # the server is gone: what was not acknowledged does not count
    finally:
        browser.close()


async def load(ports, seconds, think, seed, log, kill_after=None, servers=()):
    # Everyone signs in first (password hashing is slow by design), then the clock starts.
    browsers = await asyncio.gather(*[signed_in(name, ports[i % len(ports)]) for i, name in enumerate(INTERVIEWERS)])
    stop = asyncio.Event()
    deadline = time.time() + seconds
    tasks = [asyncio.create_task(interviewer(name, browsers[i], seed * 1000 + i, think, deadline, log, stop))
             for i, name in enumerate(INTERVIEWERS)]

    async def killer():
        await asyncio.sleep(kill_after)
        for s in servers:
            s.kill()
        stop.set()
    if kill_after is not None:
        tasks.append(asyncio.create_task(killer()))
    await asyncio.gather(*tasks)


def double_handed(handouts):
    """Cases held by two interviewers at overlapping times (hand-out to acknowledgement)."""
    by_case = {}
    for case_id, name, start, end in handouts:
        by_case.setdefault(case_id, []).append((start, end, name))
    bad = 0
    for spans in by_case.values():
        spans.sort()
        for (s1, e1, n1), (s2, e2, n2) in zip(spans, spans[1:]):
            if n1 != n2 and s2 < e1:
                bad += 1
    return bad, sum(len(v) > 1 for v in by_case.values())


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")


def exported(pingyi, store_args, directory):
    out = os.path.join(directory, "attempts.csv")
    subprocess.run([pingyi, "calls", "export", "--out", out] + store_args, check=True, stdout=subprocess.DEVNULL)
    with open(out, encoding="utf-8") as f:
        return [(r["case_id"], r["interviewer"], r["outcome"]) for r in csv.DictReader(f)]


def bench(name, pingyi, store_args, processes, directory, args):
    log_file = os.path.join(directory, "serve-%s.log" % name)
    run = lambda *a: subprocess.run([pingyi, *a, *store_args], check=True, stdout=subprocess.PIPE, text=True)  # noqa: E731
    t = time.perf_counter()
    run("cases", "load", "--list", os.path.join(directory, "list.csv"), "--survey", os.path.join(directory, "enterprises.yaml"))
    loaded = time.perf_counter() - t
    for who in INTERVIEWERS:
        run("users", "add", who, "--role", "interviewer", "--password-file", os.path.join(directory, "password"))
    servers = [Server(pingyi, store_args, log_file) for _ in range(processes)]
    ports = [s.port for s in servers]

    log = Log()
    asyncio.run(load(ports, args.seconds, args.think, 1, log))
    dials = len(log.acknowledged)
    bad, again = double_handed(log.handouts)
    completes = sum(1 for a in log.acknowledged if a[2] == "complete")
    print("%-10s %4d %9d %7.1f %8.1f %8.1f %8.1f %8.1f %8.1f %6d %6d %s" % (
        name, processes, dials, dials / args.seconds, percentile(log.next_ms, 0.5), percentile(log.next_ms, 0.99),
        percentile(log.attempt_ms, 0.5), percentile(log.attempt_ms, 0.99), percentile(log.start_ms, 0.99), completes, bad,
        "" if not log.errors else "errors %s" % log.errors), flush=True)

    crash = Log()
    asyncio.run(load(ports, args.seconds, args.think, 2, crash, kill_after=args.seconds / 2, servers=servers))
    server = Server(pingyi, store_args, log_file)
    server.stop()
    in_store = exported(pingyi, store_args, directory)
    counts = {}
    for a in in_store:
        counts[a] = counts.get(a, 0) + 1
    lost = 0
    for a in log.acknowledged + crash.acknowledged:
        if counts.get(a, 0) > 0:
            counts[a] -= 1
        else:
            lost += 1
    bad2, _ = double_handed(log.handouts + crash.handouts)
    print("%-10s SIGKILL after %.1f s of load: %d attempts acknowledged before the kill; after restart %d of all %d acknowledged "
          "attempts missing from `pingyi calls export` (%d rows); %d cases held by two interviewers at once over both runs "
          "(%d cases dialled twice); cases load %.1f s" % (
              name, args.seconds / 2, len(crash.acknowledged), lost, dials + len(crash.acknowledged), len(in_store), bad2, again, loaded),
          flush=True)
    return percentile(log.next_ms, 0.99), bad + bad2, lost


def psql(url, sql):
    return subprocess.run(["psql", url, "-XAtqc", sql], check=True, stdout=subprocess.PIPE, text=True).stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the measured run and of the crash run")
    parser.add_argument("--think", type=float, default=0.5, help="mean seconds an interviewer spends on a dial (0: none)")
    parser.add_argument("--pingyi", default=None, help="the pingyi binary (default: the release build)")
    args = parser.parse_args()
    pingyi = args.pingyi or require_pingyi()
    directory = os.path.join(DATA, "calls")
    os.makedirs(directory, exist_ok=True)
    if not os.path.exists(os.path.join(directory, "enterprises.yaml")):
        generate(directory)
    with open(os.path.join(directory, "password"), "w", encoding="utf-8") as f:
        f.write(PASSWORD + "\n")
    listing = os.path.join(directory, "list.csv")
    if not os.path.exists(listing):
        subprocess.run([pingyi, "sample", "--design", os.path.join(directory, "design.yaml"), "--seed", "20171106", "--out", listing],
                       check=True, stdout=subprocess.DEVNULL)
    with open(listing, encoding="utf-8") as f:
        roles = [r["role"] for r in csv.DictReader(f)]
    print("%d sampled enterprises (%d reserves) with mobile numbers; %d interviewers; %.0f s per run; think time %.2f s (exponential mean)" % (
        roles.count("sample"), roles.count("reserve"), len(INTERVIEWERS), args.seconds, args.think))
    print("%-10s %4s %9s %7s %8s %8s %8s %8s %8s %6s %6s" % ("store", "proc", "dials", "dials/s", "next p50", "next p99", "att p50",
                                                              "att p99", "list p99", "compl", "double"))
    results = {}
    db = os.path.join(directory, "bench.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    results["SQLite"] = bench("SQLite", pingyi, ["--db", db], 1, directory, args)

    admin = os.environ.get("PINGYI_TEST_POSTGRES")
    if admin and shutil.which("psql"):
        name = "pingyi_calls_%d" % os.getpid()
        psql(admin, "CREATE DATABASE %s" % name)
        url = admin.rsplit("/", 1)[0] + "/" + name
        results["PostgreSQL"] = bench("PostgreSQL", pingyi, ["--postgres", url], 2, directory, args)
    else:
        print("PostgreSQL: skipped (run under scripts/with-postgres.sh, which sets PINGYI_TEST_POSTGRES)")

    p99, _, _ = results["SQLite"]
    clean = all(r[1] == 0 and r[2] == 0 for r in results.values())
    print("target (SQLite next-case p99 < 20 ms; no case held by two interviewers; no acknowledged attempt lost): %s" % (
        "met" if p99 < 20 and clean else "NOT met"))
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
