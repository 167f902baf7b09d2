#!/usr/bin/env python3
"""Frame reading: pingyi against polars' read_csv on the 2,000,000-household frame (5 columns).

pingyi is timed end to end as a command (`pingyi frame inspect FILE --json`: process start,
reading, type inference, missing counts, output). polars is timed inside Python, on
`pl.read_csv(FILE)` alone, which favours polars. Both use both cores. Median of 7 runs each,
interleaved so that both see the same machine state. Prints the ratio polars / pingyi: above 1
means pingyi is faster.
"""
import json
import os
import statistics
import subprocess
import time

import polars as pl

from common import ensure_households, require_pingyi


def main():
    pingyi = require_pingyi()
    path = ensure_households()
    ours, theirs = [], []
    for _ in range(7):
        t = time.perf_counter()
        out = subprocess.run([pingyi, "frame", "inspect", path, "--json"], check=True, stdout=subprocess.PIPE).stdout
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        df = pl.read_csv(path)
        theirs.append(time.perf_counter() - t)
    report = json.loads(out)
    assert report["rows"] == df.height == 2_000_000, (report["rows"], df.height)
    assert [c["name"] for c in report["columns"]] == df.columns
    types = {"integer": pl.Int64, "text": pl.String}
    assert all(df.schema[c["name"]] == types[c["type"]] for c in report["columns"]), (report["columns"], df.schema)
    a, b = statistics.median(ours), statistics.median(theirs)
    print("frame: %s (%d rows, %d columns, %.1f MB)" % (path, df.height, df.width, os.path.getsize(path) / 1e6))
    print("pingyi frame inspect: %.3f s (median of 7, whole command)" % a)
    print("polars read_csv:      %.3f s (median of 7, in-process)" % b)
    print("ratio polars/pingyi:  %.2f  (above 1: pingyi is faster)" % (b / a))


if __name__ == "__main__":
    main()
