#!/usr/bin/env bash
# The main job on the shipped county, each step a real pingyi command a user could type.
set -euo pipefail
cd "$(dirname "$0")/.."
pingyi=.build/release/pingyi
out=out
mkdir -p "$out"

echo "== 1. 抽样框 (sampling frames)"
for frame in households deputies enterprises villages; do
  $pingyi frame inspect datasets/$frame.csv --id "$(head -1 datasets/$frame.csv | cut -d, -f1)"
  echo
done
