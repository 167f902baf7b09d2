#!/usr/bin/env bash
# make fuzz: builds the libFuzzer harnesses (Fuzz/*: the CSV and .xlsx readers, the YAML design
# and questionnaire readers, frame → design → draw, the API's JSON parser) with Swift's
# -sanitize=fuzzer,address in a scratch folder of their own, runs each for FUZZ_SECONDS (default
# 60) from the seeds in Tests/Fixtures/fuzz/NAME, and prints the executions and coverage reached.
# A crash, a hang (10 s) or a memory error is written to .build/fuzz/crashes/ and fails the run;
# turn each into a regression test. Not part of make test.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
scratch=.build/fuzz
mkdir -p "$scratch/crashes" "$scratch/corpus"
# Linked by lld (gold cannot link libFuzzer's main beside SwiftPM's entry point).
toolset="$scratch/lld-toolset.json"
printf '{"schemaVersion": "1.0", "linker": {"path": "%s"}}\n' "$(dirname "$(readlink -f "$(command -v swift)")")/ld.lld" > "$toolset"
flags=(-c release --scratch-path "$scratch" --toolset "$toolset" -Xswiftc -sanitize=fuzzer,address -Xswiftc -g)
for product in FuzzTables FuzzDefinitions FuzzDraw; do
  PINGYI_FUZZ=1 swift build "${flags[@]}" --product "$product" 2>&1 | grep -E "error|Compiling|Build" | tail -1
done
# The JSON parser is one self-contained file of the Server module: compiled with its harness alone.
swiftc -O -g -parse-as-library -sanitize=fuzzer,address -use-ld=lld Sources/Server/Controllers/JSONValue.swift Fuzz/JSON/Harness.swift \
  -o "$scratch/FuzzJSON" 2>&1 | grep -v "warning: Cannot export" || true
status=0
printf '%-16s %8s %12s %10s %8s %8s\n' harness seconds executions 'exec/s' coverage crashes
for name in FuzzTables FuzzDefinitions FuzzDraw FuzzJSON; do
  binary="$scratch/release/$name"
  [ "$name" = FuzzJSON ] && binary="$scratch/FuzzJSON"
  work="$scratch/corpus/$name"
  mkdir -p "$work"
  log="$scratch/$name.log"
  before=$(ls "$scratch/crashes" | grep -c "^$name-" || true)
  # Leaks are not checked: the Swift runtime keeps its metadata caches for the process's life.
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 -detect_leaks=0 -print_final_stats=1 \
    -artifact_prefix="$scratch/crashes/$name-" "$work" "Tests/Fixtures/fuzz/${name}" > "$log" 2>&1 || true
  after=$(ls "$scratch/crashes" | grep -c "^$name-" || true)
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
  found=$((after - before))
  printf '%-16s %8s %12s %10s %8s %8s\n' "$name" "$seconds" "$execs" "$rate" "$cov" "$found"
  [ "$found" -eq 0 ] || status=1
done
[ "$status" -eq 0 ] && echo "no crash" || echo "crashes in $scratch/crashes (inputs to reproduce: BINARY FILE)"
exit $status
