#!/usr/bin/env Rscript
# R side of the two-stage sampling benchmark (issue 3), with R's `sampling` package (2.9).
#
#   Rscript Benchmarks/sample_r.R FRAME.csv OUT.csv [SEED]
#
# FRAME.csv is the household frame of Benchmarks/generate_households.py
# (household_id,town,village,urban,members). The design is the one pingyi times:
#   stage 1: villages, PPS-systematic, 2 per town x urban stratum, size = households in the village
#            (strata(..., method = "systematic", pik = size): inclusionprobabilities, with
#            certainty villages, then UPsystematic in each stratum);
#   stage 2: 15 households, equal-probability systematic, in each selected village (all of them
#            when a village has fewer), households in household_id order.
# OUT.csv gets the selected households with stage1_prob, stage2_prob, prob (= their product) and
# weight (= 1 / prob). The last line printed is `seconds: X`, the elapsed time of the whole job
# from the start of this script (package loading and reading the CSV included).

t0 <- proc.time()[["elapsed"]]
suppressPackageStartupMessages(library(sampling))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: Rscript Benchmarks/sample_r.R FRAME.csv OUT.csv [SEED]")
seed <- if (length(args) >= 3) as.integer(args[3]) else 20261122L
set.seed(seed)

# The register-shaped frame (generate_households.py --shape register) has text household ids
# and village codes in village_id (village is a Chinese name that repeats across towns); every
# column is read as text except members, and text ids are ordered byte by byte (radix), as pingyi
# orders them.
header <- names(read.csv(args[1], nrows = 1, encoding = "UTF-8"))
register <- "village_id" %in% header
if (register) {
  households <- read.csv(args[1], encoding = "UTF-8",
    colClasses = ifelse(header == "members", "integer", "character"))
} else {
  households <- read.csv(args[1], encoding = "UTF-8",
    colClasses = c("integer", "character", "character", "character", "integer"))
}

# The stage-1 unit: the village code.
households$psu <- if (register) households$village_id else households$village

# Stage 1: the village table (one row per village, with its household count), sorted by stratum
# (town, urban) and by village code inside each stratum. strata() takes the strata in order of
# first appearance and the units in row order, so this sort is the design's order.
villages <- households[!duplicated(households$psu), c("town", "urban", "psu")]
villages$size <- as.vector(table(households$psu)[villages$psu])
villages <- villages[order(villages$town, villages$urban, villages$psu, method = "radix"), ]
rownames(villages) <- NULL

n_strata <- nrow(unique(villages[, c("town", "urban")]))
stage1 <- strata(villages, c("town", "urban"), size = rep(2, n_strata),
  method = "systematic", pik = villages$size)
chosen <- villages[stage1$ID_unit, ]
chosen$stage1_prob <- stage1$Prob

# Stage 2: households of the chosen villages, village by village in stage-1 order, in household_id
# order inside each village; 15 per village by R's systematic rule (pik = 15 / N_v for all).
in_chosen <- households[households$psu %in% chosen$psu, ]
in_chosen <- in_chosen[order(match(in_chosen$psu, chosen$psu), in_chosen$household_id, method = "radix"), ]
rownames(in_chosen) <- NULL
per_village <- as.vector(table(in_chosen$psu)[chosen$psu])
stage2 <- strata(in_chosen, "psu", size = pmin(15, per_village),
  method = "systematic", pik = rep(1, nrow(in_chosen)))

sample <- in_chosen[stage2$ID_unit, ]
sample$stage1_prob <- chosen$stage1_prob[match(sample$psu, chosen$psu)]
sample$stage2_prob <- stage2$Prob
sample$prob <- sample$stage1_prob * sample$stage2_prob
sample$weight <- 1 / sample$prob
sample$psu <- NULL
write.csv(sample, args[2], row.names = FALSE, fileEncoding = "UTF-8")

cat(sprintf("frame: %d households in %d villages, %d strata\n", nrow(households), nrow(villages), n_strata))
cat(sprintf("sample: %d villages, %d households\n", nrow(chosen), nrow(sample)))
cat(sprintf("seconds: %.2f\n", proc.time()[["elapsed"]] - t0))
