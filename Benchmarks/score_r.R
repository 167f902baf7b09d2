#!/usr/bin/env Rscript
# Reference timing: per-unit satisfaction score and rate with R `survey` (Debian r-cran-survey 4.1).
#
# Usage: Rscript Benchmarks/score_r.R LONG.csv [OUT.csv]
#   LONG.csv  the long answer file of Benchmarks/generate_long.py (columns case_id, unit, tier,
#             stage1_stratum, stage1_unit, stage1_N, stage2_unit, stage2_N, weight)
#   OUT.csv   results, one row per unit: unit,n,score,score_se,rate,rate_se (17 significant digits);
#             default: no file written
# Prints the elapsed wall time of the whole job (file read included) on the last line as
# `seconds: X`.
#
# Tiers: 1 满意 = 100, 2 比较满意 = 80, 3 基本满意 = 60, 4 不满意 = 0 (1-3 satisfied);
# 7 don't know and 8 refused are not valid answers (excluded from the denominator).
started <- proc.time()[["elapsed"]]
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1 || length(args) > 2) {
  stop("usage: Rscript score_r.R LONG.csv [OUT.csv]")
}
suppressPackageStartupMessages(library(survey))

classes <- c(case_id = "character", unit = "character", tier = "integer",
             stage1_stratum = "character", stage1_unit = "character", stage1_N = "numeric",
             stage2_unit = "character", stage2_N = "numeric", weight = "numeric")
d <- if (requireNamespace("data.table", quietly = TRUE)) {
  as.data.frame(data.table::fread(args[1], colClasses = classes, encoding = "UTF-8"))
} else {
  read.csv(args[1], colClasses = classes, encoding = "UTF-8")
}

points <- c(100, 80, 60, 0)
d$valid <- d$tier %in% 1:4
d$score <- ifelse(d$valid, points[pmin(pmax(d$tier, 1L), 4L)], 0)
d$satisfied <- as.numeric(d$tier %in% 1:3)

design <- svydesign(ids = ~stage1_unit + stage2_unit, strata = ~stage1_stratum,
                    fpc = ~stage1_N + stage2_N, weights = ~weight, data = d)
res <- svyby(~score + satisfied, ~unit, subset(design, valid), svymean)

se <- SE(res)
n <- as.vector(table(factor(d$unit[d$valid], levels = res$unit)))
out <- data.frame(unit = res$unit, n = n,
                  score = sprintf("%.17g", res$score), score_se = sprintf("%.17g", se[, 1]),
                  rate = sprintf("%.17g", res$satisfied), rate_se = sprintf("%.17g", se[, 2]))
if (length(args) == 2) {
  write.csv(out, args[2], row.names = FALSE, quote = FALSE)
}
cat(sprintf("seconds: %.3f\n", proc.time()[["elapsed"]] - started))
