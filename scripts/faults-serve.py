#!/usr/bin/env python3
"""Fault injection under `pingyi serve` load (issue 21); run by `make test` (the Swift test
"Faults under server load" runs this script; the PostgreSQL half under scripts/with-postgres.sh).

1. SQLite, two writers on one store: while clients submit pass-1 forms to POST /api/forms, the
   command line imports (`pingyi responses import`) the pass-1 forms of the other cases into the
   same store file, six files one after another. Every import must succeed (no "database is
   locked" or any other failure reaches the user), no request may fail with a 5xx, and afterwards
   every acknowledged form and every imported form is in the store, each once.
2. A backup taken under load (`pingyi backup` while clients submit forms), on SQLite and on
   PostgreSQL: restored (`pingyi restore`) into a new store, it passes `PRAGMA integrity_check`
   (SQLite) and holds every form acknowledged before the backup began.
3. PostgreSQL (when PINGYI_TEST_POSTGRES is set): while clients submit forms, every connection of
   the server to its database is killed (`pg_terminate_backend`) every 0.3 s for a few seconds,
   mid-transaction as it happens. Then the killing stops and the load goes on: the server must
   recover by itself (forms acknowledged after the last kill), answer a user's request during the
   kills with 503 and a Chinese "try again" (never a 500), and lose no acknowledged form.

    python3 scripts/faults-serve.py [--pingyi .build/debug/pingyi] [--seconds 4] [--out DIR]

Exits 0 when every check passes, 1 with the failing check. Python 3 standard library; psql for
the PostgreSQL half.
"""

import argparse
import asyncio
import csv
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "Benchmarks"))
from import_forms import QUESTIONNAIRE, generate  # noqa: E402
from load_serve import Server, post, read_forms  # noqa: E402


def fail(message):
    print(f"faults-serve: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def run(args):
    result = subprocess.run(args, capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"{' '.join(args)} exited {result.returncode}: {result.stderr.strip()}")
    return result.stdout


def psql(url, sql):
    return subprocess.run(["psql", url, "-XAtqc", sql], check=True, stdout=subprocess.PIPE, text=True).stdout


def prepare(pingyi, store_args, work):
    """Loads the list and makes an API user; returns the user's token."""
    run([pingyi, "cases", "load", "--list", os.path.join(work, "list.csv"), "--survey", QUESTIONNAIRE, "--operator", "faults", *store_args])
    password = os.path.join(work, "password")
    with open(password, "w") as f:
        f.write("faults-password-1\n")
    run([pingyi, "users", "add", "api", "--role", "operator", "--password-file", password, *store_args])
    return run([pingyi, "users", "token", "api", *store_args]).strip()


async def submit(port, token, forms, clients, until):
    """Sends each form of `forms` (a shared iterator) once, with `clients` connections, until
    `until()` is true or the forms run out. Returns (acknowledged case ids with the time of the
    acknowledgement, other outcomes as (status, body))."""
    acknowledged, other = [], []

    async def client():
        reader = writer = None
        while not until():
            try:
                case_id, body = next(forms)
            except StopIteration:
                return
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                status, answer = await asyncio.wait_for(post(reader, writer, port, token, body), timeout=20)
            except asyncio.TimeoutError:
                other.append((-1, f"no answer within 20 s to the form of {case_id}"))
                writer.close()
                writer = None
                continue
            except (OSError, asyncio.IncompleteReadError) as error:
                other.append((0, str(error)))
                writer = None
                await asyncio.sleep(0.05)
                continue
            if status == 201:
                acknowledged.append((case_id, time.monotonic()))
            else:
                other.append((status, answer.decode(errors="replace")))
        if writer is not None:
            writer.close()

    await asyncio.gather(*[client() for _ in range(clients)])
    return acknowledged, other


def two_writers_on_sqlite(pingyi, work, seconds):
    db = os.path.join(work, "faults.sqlite")
    token = prepare(pingyi, ["--db", db], work)
    forms = read_forms(work, 1)
    # The API takes every other case; the command line imports the rest, in three files.
    api_forms = forms[0::2]
    with open(os.path.join(work, "forms.csv"), encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)[1::2]
    files = []
    for k in range(6):
        path = os.path.join(work, f"import-{k}.csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(rows[k::6])
        files.append(path)
    imported = {r[0] for r in rows}

    server = Server(pingyi, ["--db", db], os.path.join(work, "serve-sqlite.log"))
    results, window = [], []
    try:
        async def scenario():
            done = asyncio.Event()

            async def importer():
                window.append(time.monotonic())
                for path in files:
                    process = await asyncio.create_subprocess_exec(
                        pingyi, "responses", "import", path, "--survey", QUESTIONNAIRE, "--pass", "1", "--operator", "命令行录入", "--db", db,
                        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
                    out, err = await process.communicate()
                    results.append((path, process.returncode, out.decode(), err.decode()))
                window.append(time.monotonic())
                done.set()

            task = asyncio.create_task(importer())
            deadline = time.monotonic() + seconds
            sent = await submit(server.port, token, iter(api_forms), 6, lambda: done.is_set() and time.monotonic() > deadline)
            await task
            return sent
        acknowledged, other = asyncio.run(scenario())
    finally:
        server.stop()
    for path, status, out, err in results:
        check(status == 0 and "locked" not in err.lower(), f"the import of {os.path.basename(path)} beside the server exited {status}: {err.strip()}")
    check(not other, f"requests beside the import were not acknowledged: {other[:3]}")
    during = [c for c, t in acknowledged if window[0] <= t <= window[-1]]
    check(len(during) > 50, f"only {len(during)} forms were acknowledged while the imports ran")
    with sqlite3.connect(db) as con:
        check(con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "the store fails its integrity check")
        stored = [r[0] for r in con.execute("SELECT case_id FROM forms WHERE kind = 'pass1'")]
    check(len(stored) == len(set(stored)), "a case has two pass-1 forms")
    missing = [c for c, _ in acknowledged if c not in set(stored)] + sorted(imported - set(stored))
    check(not missing, f"{len(missing)} acknowledged or imported forms are missing, e.g. {missing[:3]}")
    print(f"faults-serve: SQLite: {len(acknowledged)} forms through the API ({len(during)} while the command line imported {len(imported)} in "
          f"{len(files)} files into the same store, {window[-1] - window[0]:.1f} s): no failure, every form stored once")


def backup_under_load(pingyi, work, store_args, restore_args, stored, label):
    """Takes `pingyi backup` half-way through a load on the store, restores it with
    `restore_args`, and checks the restored store with `stored()` (its pass-1 case ids)."""
    token = prepare(pingyi, store_args, work)
    server = Server(pingyi, store_args, os.path.join(work, f"serve-backup-{label}.log"))
    backup = os.path.join(work, f"{label}.backup")
    moments = {}
    try:
        async def scenario():
            async def backer():
                await asyncio.sleep(1.0)
                moments["start"] = time.monotonic()
                process = await asyncio.create_subprocess_exec(pingyi, "backup", "--out", backup, *store_args,
                                                               stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
                out, err = await process.communicate()
                moments["end"] = time.monotonic()
                moments["result"] = (process.returncode, out.decode(), err.decode())

            task = asyncio.create_task(backer())
            sent = await submit(server.port, token, iter(read_forms(work, 1)), 6, lambda: "end" in moments and time.monotonic() > moments["end"] + 0.5)
            await task
            return sent
        acknowledged, other = asyncio.run(scenario())
    finally:
        server.stop()
    status, out, err = moments["result"]
    check(status == 0, f"{label}: pingyi backup under load exited {status}: {err.strip()}")
    check(not other, f"{label}: requests during the backup were not acknowledged: {other[:3]}")
    before = [c for c, t in acknowledged if t < moments["start"]]
    during = [c for c, t in acknowledged if moments["start"] <= t <= moments["end"]]
    check(len(before) > 50, f"{label}: only {len(before)} forms were acknowledged before the backup")
    run([pingyi, "restore", backup, *restore_args])
    in_backup = stored()
    missing = [c for c in before if c not in in_backup]
    check(not missing, f"{label}: {len(missing)} forms acknowledged before the backup began are not in the restored store, e.g. {missing[:3]}")
    # Restored again over the store just restored (--replace): the same forms.
    run([pingyi, "restore", backup, *restore_args, "--replace"])
    check(stored() == in_backup, f"{label}: restoring over the restored store with --replace did not give the same forms")
    print(f"faults-serve: {label}: backup taken under load ({len(during)} forms acknowledged while it ran): the restored store holds all "
          f"{len(before)} forms acknowledged before it began, {len(in_backup)} in all, and again with --replace over it" + (", and passes PRAGMA integrity_check" if label == "SQLite" else ""))


def killed_connections_on_postgres(pingyi, work, admin, seconds):
    name = f"pingyi_faults_{os.getpid()}"
    psql(admin, f"CREATE DATABASE {name}")
    url = admin.rsplit("/", 1)[0] + "/" + name
    try:
        token = prepare(pingyi, ["--postgres", url], work)
        server = Server(pingyi, ["--postgres", url], os.path.join(work, "serve-postgres.log"))
        kills = []
        try:
            async def scenario():
                start = time.monotonic()
                stop_killing = start + seconds
                end = stop_killing + 2.5

                async def killer():
                    while time.monotonic() < stop_killing:
                        await asyncio.sleep(0.3)
                        process = await asyncio.create_subprocess_exec(
                            "psql", admin, "-XAtqc",
                            f"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()",
                            stdout=asyncio.subprocess.PIPE)
                        out, _ = await process.communicate()
                        kills.append((time.monotonic(), int(out.strip() or 0)))

                task = asyncio.create_task(killer())
                sent = await submit(server.port, token, iter(read_forms(work, 1)), 8, lambda: time.monotonic() > end)
                await task
                return sent
            acknowledged, other = asyncio.run(scenario())
            # The server is still up and answers.
            check(server.process.poll() is None, "the server exited while its connections were killed")
        finally:
            server.stop()
        terminated = sum(n for _, n in kills)
        check(terminated > 0, "no connection of the server was terminated")
        last_kill = max(t for t, n in kills if n > 0)
        after = [c for c, t in acknowledged if t > last_kill + 0.5]
        check(after, f"no form was acknowledged after the last kill: the server did not recover (other outcomes {other[:3]})")
        bad = [(s, b[:200]) for s, b in other if s != 503 or "重试" not in b]
        check(not bad, f"requests during the kills got more than a 503 with a retry message: {bad[:3]}")
        stored = psql(url, "SELECT case_id FROM forms WHERE kind = 'pass1'").split()
        check(len(stored) == len(set(stored)), "a case has two pass-1 forms")
        missing = [c for c, _ in acknowledged if c not in set(stored)]
        check(not missing, f"{len(missing)} acknowledged forms are missing after the connections were killed, e.g. {missing[:3]}")
        refused = len(other)
        print(f"faults-serve: PostgreSQL: {terminated} server connections terminated in {len(kills)} rounds over {seconds:.0f} s of load; "
              f"{len(acknowledged)} forms acknowledged ({len(after)} after the last kill), {refused} answered 503 (try again); "
              f"none lost, none stored twice")
    finally:
        psql(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pingyi", default=os.path.join(ROOT, ".build/debug/pingyi"))
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--forms", type=int, default=3000)
    parser.add_argument("--only", choices=["sqlite", "postgres"], help="run one half only")
    parser.add_argument("--out", default=None, help="folder to keep the servers' logs in")
    options = parser.parse_args()
    if not os.access(options.pingyi, os.X_OK):
        fail(f"no pingyi binary at {options.pingyi} (swift build first)")
    work = tempfile.mkdtemp(prefix="pingyi-faults-")
    try:
        generate(options.forms, work)
        if options.only != "postgres":
            two_writers_on_sqlite(options.pingyi, work, options.seconds)
            db, copy = os.path.join(work, "backup-source.sqlite"), os.path.join(work, "restored.sqlite")

            def restored_sqlite():
                with sqlite3.connect(copy) as con:
                    check(con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "the restored store fails its integrity check")
                    return {r[0] for r in con.execute("SELECT case_id FROM forms WHERE kind = 'pass1'")}
            backup_under_load(options.pingyi, work, ["--db", db], ["--db", copy], restored_sqlite, "SQLite")
        admin = os.environ.get("PINGYI_TEST_POSTGRES")
        if options.only == "sqlite":
            pass
        elif admin and shutil.which("psql"):
            killed_connections_on_postgres(options.pingyi, work, admin, options.seconds)
            source, target = f"pingyi_backup_{os.getpid()}", f"pingyi_restored_{os.getpid()}"
            for name in (source, target):
                psql(admin, f"CREATE DATABASE {name}")
            base = admin.rsplit("/", 1)[0]
            try:
                backup_under_load(options.pingyi, work, ["--postgres", f"{base}/{source}"], ["--postgres", f"{base}/{target}"],
                                  lambda: set(psql(f"{base}/{target}", "SELECT case_id FROM forms WHERE kind = 'pass1'").split()), "PostgreSQL")
            finally:
                for name in (source, target):
                    psql(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        else:
            print("faults-serve: PostgreSQL: skipped (PINGYI_TEST_POSTGRES is not set; scripts/with-postgres.sh sets it)")
    finally:
        if options.out:
            os.makedirs(options.out, exist_ok=True)
            for name in os.listdir(work):
                if name.endswith(".log"):
                    shutil.copy(os.path.join(work, name), options.out)
        shutil.rmtree(work, ignore_errors=True)
    print("faults-serve: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
