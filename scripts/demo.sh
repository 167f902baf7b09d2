#!/usr/bin/env bash
# The main job on the shipped county, each step a real pingyi command a user could type.
# Everything goes to out/ (made afresh); the store is out/pingyi.sqlite. Fieldwork and keying are
# SIMULATED (pingyi simulate): the county and its answers are synthetic, for demonstration.
set -euo pipefail
cd "$(dirname "$0")/.."
pingyi=${PINGYI:-.build/release/pingyi}
seed=20170401
# The output folder: out/ in the source tree, or the folder `pingyi demo --out` names.
out=${PINGYI_OUT:-out}
db=$out/pingyi.sqlite
groups=(deputies enterprises urban rural)
# Deputies answer online (letters with codes), enterprise managers are interviewed by telephone,
# households on paper forms keyed twice.
paper=(urban rural)
step() { printf '\n== %s\n' "$*"; }
# Runs a pingyi command, keeping its full output in out/log/, and shows the lines asked for.
logs=0
show() {
  local lines=$1; shift
  logs=$((logs + 1))
  local log=$out/log/$(printf '%02d' $logs)-$2.txt
  "$pingyi" "$@" > "$log"
  sed -n "$lines" "$log"
}

rm -rf "$out"
mkdir -p "$out/lists" "$out/field" "$out/entry" "$out/log"

step "1. 抽取样本名单 Draw the four respondent lists (seed $seed) and verify one"
for g in "${groups[@]}"; do
  show 1p sample --design surveys/designs/$g.yaml --seed $seed --out $out/lists/$g.csv
done
$pingyi sample verify --manifest $out/lists/rural.manifest.json

step "2. 载入样本 Load the cases into $db"
for g in "${groups[@]}"; do
  $pingyi cases load --list $out/lists/$g.csv --survey surveys/questionnaires/$g.yaml --db $db
done

step "3. 模拟调查（演示用）Simulate the field: dispositions and two keyed passes (SIMULATED data)"
for g in "${paper[@]}"; do
  show 2,3p simulate field --list $out/lists/$g.csv --survey surveys/questionnaires/$g.yaml --seed $seed --out $out/field/$g
  show 1p cases dispose $out/field/$g/dispositions.csv --db $db --operator 调查员
done

step "3b. 电话访问（模拟）Telephone interviews of the enterprise managers: 8 interviewers, one week (SIMULATED)"
show '$p' simulate calls --questionnaire enterprises --list $out/lists/enterprises.csv --seed $seed --interviewers 8 --evenings 5 \
  --start 2017-11-06 --db $db
show 1,16p calls status --questionnaire enterprises --db $db
$pingyi calls export --out $out/field/enterprises-attempts.csv --db $db

step "3c. 网上自填（模拟）Online self-completion of the deputies: access codes, letters with QR codes, answers, reminders (SIMULATED)"
show 1p invitations make --group deputies --base-url https://pingyi.example.gov.cn --out $out/field/deputies-codes.csv --db $db
show 1p invitations print --invitations $out/field/deputies-codes.csv --from 示范县统计局 --deadline 2017年11月20日 \
  --out $out/field/deputies-letters
show 1p simulate online --invitations $out/field/deputies-codes.csv --list $out/lists/deputies.csv --seed $seed --start 2017-11-06 --db $db
show 1,20p invitations status --group deputies --db $db
show 1p invitations remind --invitations $out/field/deputies-codes.csv --by 2017-11-13 --from 示范县统计局 --deadline 2017年11月20日 \
  --out $out/field/deputies-reminders --db $db
show 1,2p survey close deputies --reason "网上自填截止" --operator 管理员 --db $db

step "4. 录入与核对 Import both passes, verify, resolve the disagreements"
for g in "${paper[@]}"; do
  for pass in 1 2; do
    show 1p responses import $out/field/$g/pass$pass.csv --survey surveys/questionnaires/$g.yaml --pass $pass \
      --operator "录入员$pass" --db $db
  done
done
show '$p' responses verify --db $db --out $out/entry/disagreements.csv
$pingyi simulate adjudicate --disagreements $out/entry/disagreements.csv \
  $(for g in "${paper[@]}"; do printf -- '--forms %s ' $out/field/$g/forms.csv; done) --out $out/entry/resolutions.csv
$pingyi responses resolve $out/entry/resolutions.csv --operator 审核员 --db $db
$pingyi responses export --format long --out $out/long.csv --db $db
$pingyi responses export --format cases --out $out/cases.csv --db $db

step "5. 加权与测评 Weight, score every unit by group and overall, response rates"
show '$p' weights --responses $out/long.csv --cases $out/cases.csv --out $out/weighted.csv
show 1p score --responses $out/weighted.csv --scale surveys/scales/four-tier.yaml --by group --rate-interval logit \
  --out $out/scores_by_group.csv --distribution $out/distribution.csv --replicates-out $out/replicates_by_group.csv
show 1p score --responses $out/weighted.csv --scale surveys/scales/four-tier.yaml --by mode --rate-interval logit --out $out/scores_by_mode.csv
$pingyi score combine $out/scores_by_group.csv --across group --rate-interval logit \
  --weights deputies=30,enterprises=30,urban=20,rural=20 --partial --out $out/scores.csv \
  --replicates $out/replicates_by_group.csv --replicates-out $out/replicates.csv
$pingyi rates --cases $out/cases.csv --out $out/rates.csv

step "6. 综合考评 Composite scores under the 大石桥 scheme"
$pingyi composite --scheme surveys/schemes/dashiqiao.yaml --components datasets/dashiqiao/components.csv \
  --indicators datasets/dashiqiao/indicators.csv --events datasets/dashiqiao/events.csv \
  --public $out/scores.csv --replicates $out/replicates.csv --units datasets/units.csv --out $out/composite.csv

step "6b. 等次的不确定性 Grade uncertainty: departments graded by their public score alone (demonstration scheme)"
# Independent normal draws of each department's score against the replicates of the whole design.
{ echo "unit,class,component,period,value"; awk -F, 'NR > 1 && $3 == "department" { print $1 ",department,,," }' datasets/units.csv; } > $out/quota-components.csv
awk -F, 'NR == 1 || $1 ~ /^D/' $out/scores.csv > $out/scores_departments.csv
awk -F, 'NR == 1 || $1 ~ /^D/' $out/replicates.csv > $out/replicates_departments.csv
show 1p composite --scheme datasets/demo/public-quota.yaml --components $out/quota-components.csv --public $out/scores_departments.csv \
  --top 0 --out $out/quota-normal.csv
show 1p composite --scheme datasets/demo/public-quota.yaml --components $out/quota-components.csv --public $out/scores_departments.csv \
  --replicates $out/replicates_departments.csv --top 0 --out $out/quota-replicates.csv
echo "  单位  名次（95% 区间）等次  等次变动概率：各单位独立的正态模拟 → 全设计重复样本"
awk -F, 'FNR == 1 { next } NR == FNR { p[$1] = $10; next } ($10 > 0.01 || p[$1] > 0.01) { printf "  %s  %s（%s–%s）%s  %.1f%% → %.1f%%\n", $1, $4, $11, $12, $5, 100 * p[$1], 100 * $10 }' \
  $out/quota-normal.csv $out/quota-replicates.csv

step "7. 报告 The report: HTML with charts, workbook, feedback sheets; printable lists"
show 1p report --scores $out/scores.csv --scores $out/scores_by_group.csv --distribution $out/distribution.csv \
  --composite $out/composite.csv --scheme surveys/schemes/dashiqiao.yaml --rates $out/rates.csv \
  $(for g in "${groups[@]}"; do printf -- '--manifest %s ' $out/lists/$g.manifest.json; done) \
  --units datasets/units.csv --scale surveys/scales/four-tier.yaml --issued 2018-01-05 \
  --fieldwork "2017年11月1日至30日，入户、电话访问与网上自填（模拟）" \
  --weighting "设计权数；在第一阶段各层内作无回答调整（备用样本承继被替换样本的权数）；综合得分按人大代表和政协委员 30%、企业经营者 30%、城镇居民户 20%、农村居民户 20% 合成" \
  --title "示范县 2017 年度公众评议（模拟数据）" --out $out/report
for g in "${groups[@]}"; do
  show 1p list print --list $out/lists/$g.csv --manifest $out/lists/$g.manifest.json --out $out/print/$g
done

step "满意度最高和最低的单位 Top and bottom units (95% intervals)"
$pingyi score show $out/scores.csv --units datasets/units.csv --top 5
echo
echo "结果在 $out/：报告 report/report.html、report/report.xlsx、反馈单 report/feedback/；名单 lists/ 与打印版 print/；分数 scores.csv；综合考评 composite.csv；应答率 rates.csv"
