"""Shared helpers for the side-by-side benchmarks: timing, memory, and the pingyi binary."""
import os
import resource
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "Benchmarks", "data")
PINGYI = os.path.join(ROOT, ".build", "release", "pingyi")


def require_pingyi():
    if not os.path.exists(PINGYI):
        sys.exit("benchmark: build first: swift build -c release --product pingyi")
    return PINGYI


def ensure_households(rows=2_000_000):
    """The 2,000,000-household benchmark frame, generated once (deterministic)."""
    os.makedirs(DATA, exist_ok=True)
    path = os.path.join(DATA, "households_%d.csv" % rows)
    if not os.path.exists(path):
        print("generating %s ..." % path, flush=True)
        subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks", "generate_households.py"), path,
                        "--rows", str(rows)], check=True)
    return path


def run_timed(cmd, repeats=5, **kwargs):
    """Runs a command `repeats` times; returns (median seconds, max RSS in MiB, last stdout)."""
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        r = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, **kwargs)
        times.append(time.perf_counter() - t)
        out = r.stdout
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return statistics.median(times), rss, out


def time_call(fn, repeats=5):
    """Median wall time of fn() in this process, and its last result."""
    times, result = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result
