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


def ensure_households(rows=2_000_000, shape="integer"):
    """The household benchmark frame, generated once (deterministic): `integer` ids (the first
    benchmark's five columns) or `register` (text register codes, Chinese names, ten columns)."""
    os.makedirs(DATA, exist_ok=True)
    path = os.path.join(DATA, "households_%d.csv" % rows if shape == "integer" else "households_%s_%d.csv" % (shape, rows))
    if not os.path.exists(path):
        print("generating %s ..." % path, flush=True)
        subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks", "generate_households.py"), path,
                        "--rows", str(rows), "--shape", shape], check=True)
    return path


class CPUSteal:
    """The share of CPU time the hypervisor took (/proc/stat `steal`) between start and stop: a
    busy neighbour slows every figure, so each benchmark prints it beside its ratios."""

    def __init__(self):
        self.start = self._read()

    @staticmethod
    def _read():
        try:
            with open("/proc/stat") as f:
                fields = [int(x) for x in f.readline().split()[1:]]
            return fields[7] if len(fields) > 7 else 0, sum(fields)
        except OSError:
            return 0, 0

    def percent(self):
        steal, total = self._read()
        d_total = total - self.start[1]
        return 100.0 * (steal - self.start[0]) / d_total if d_total > 0 else 0.0


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
