#!/usr/bin/env bash
# The main job on a slice of the shipped county (deputies and urban households), for the
# end-to-end test: the same commands as scripts/demo.sh. Usage: pipeline.sh OUT_DIR
# PINGYI names the binary (default .build/debug/pingyi); run from the package root.
set -euo pipefail
pingyi=${PINGYI:-.build/debug/pingyi}
out=$1
seed=20170401
db=$out/pingyi.sqlite
mkdir -p "$out"
for g in deputies urban; do
  $pingyi sample --design surveys/designs/$g.yaml --seed $seed --out $out/$g.csv > /dev/null
  $pingyi cases load --list $out/$g.csv --survey surveys/questionnaires/$g.yaml --db $db > /dev/null
  $pingyi simulate field --list $out/$g.csv --survey surveys/questionnaires/$g.yaml --seed $seed --out $out/field-$g > /dev/null
  $pingyi cases dispose $out/field-$g/dispositions.csv --db $db --operator t > /dev/null
  for pass in 1 2; do
    $pingyi responses import $out/field-$g/pass$pass.csv --survey surveys/questionnaires/$g.yaml --pass $pass --operator k$pass --db $db > /dev/null
  done
done
$pingyi sample verify --manifest $out/urban.manifest.json > /dev/null
$pingyi responses verify --db $db --out $out/disagreements.csv > /dev/null
$pingyi simulate adjudicate --disagreements $out/disagreements.csv --forms $out/field-deputies/forms.csv \
  --forms $out/field-urban/forms.csv --out $out/resolutions.csv > /dev/null
$pingyi responses resolve $out/resolutions.csv --operator s --db $db > /dev/null
$pingyi responses export --format long --out $out/long.csv --db $db > /dev/null
$pingyi responses export --format cases --out $out/cases.csv --db $db > /dev/null
$pingyi weights --responses $out/long.csv --cases $out/cases.csv --out $out/weighted.csv > /dev/null
for g in deputies urban; do
  $pingyi score --responses $out/weighted.csv --scale surveys/scales/four-tier.yaml --where group=$g --out $out/scores-$g.csv > /dev/null
done
$pingyi rates --cases $out/cases.csv --out $out/rates.csv > /dev/null
