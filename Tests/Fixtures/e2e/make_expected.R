#!/usr/bin/env Rscript
# Independent reference values for the end-to-end test (Tests/PingyiTests/EndToEndTests.swift).
#
#   Tests/Fixtures/e2e/pipeline.sh /tmp/e2e          # run pingyi's main job on the slice
#   Rscript Tests/Fixtures/e2e/make_expected.R /tmp/e2e Tests/Fixtures/e2e
#
# From pingyi's own outputs of each step, R recomputes what that step should have produced:
#  1. the urban list's stage probabilities, from the frame, with R sampling's inclusionprobabilities;
#  2. the non-response adjusted weights, from the case file (weighting classes = stage-1 strata);
#  3. the unit scores per group with R survey, from the weighted long file;
#  4. the AAPOR rates, from the case file's dispositions.
# It also records the SHA-256 of the files it read, so the test can say when the pipeline's output
# changed and these values must be made again.
suppressPackageStartupMessages({ library(sampling); library(survey) })
args <- commandArgs(trailingOnly = TRUE)
run <- args[1]; dest <- args[2]
fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))

# 1. Stage probabilities of the urban list.
hh <- read.csv("datasets/households.csv", encoding = "UTF-8", colClasses = "character")
hh <- hh[hh$urban == "城镇", ]
counts <- aggregate(household_id ~ town_id + village_id, hh, length)
names(counts)[3] <- "households"
counts <- counts[order(counts$town_id, counts$village_id), ]
counts$stage1_prob <- NA
for (t in unique(counts$town_id)) {
  i <- counts$town_id == t
  n <- min(2, sum(i))                       # per-stratum 2, take-all
  counts$stage1_prob[i] <- inclusionprobabilities(counts$households[i], n)
}
counts$stage2_prob <- pmin(15, counts$households) / counts$households
write.csv(data.frame(village_id = counts$village_id, stage1_prob = fmt(counts$stage1_prob),
                     stage2_prob = fmt(counts$stage2_prob)),
          file.path(dest, "expected_probs.csv"), row.names = FALSE, quote = FALSE)

# 2. Non-response adjustment within stage-1 strata.
cases <- read.csv(file.path(run, "cases.csv"), encoding = "UTF-8", colClasses = "character")
cases$weight <- as.numeric(cases$weight)
slot <- cases$case_id
repeat {                                     # follow reserves back to the sampled case
  r <- match(slot, cases$case_id)
  nxt <- ifelse(cases$role[r] == "reserve", cases$replaces[r], slot)
  if (all(nxt == slot)) break
  slot <- nxt
}
cases$slot <- slot
sampled <- cases[cases$role == "sample", ]
responded <- unique(cases$slot[cases$entered == "yes"])
key <- paste(sampled$group, sampled$stage1_stratum)
eligible <- tapply(sampled$weight * (sampled$disposition != "not-eligible"), key, sum)
resp <- tapply(sampled$weight * (sampled$case_id %in% responded), key, sum)
factor <- eligible / resp
respondents <- cases[cases$entered == "yes", ]
s <- match(respondents$slot, sampled$case_id)
adjusted <- sampled$weight[s] * factor[paste(sampled$group[s], sampled$stage1_stratum[s])]
write.csv(data.frame(case_id = respondents$case_id, weight = fmt(adjusted)),
          file.path(dest, "expected_weights.csv"), row.names = FALSE, quote = FALSE)

# 3. Scores per group, from the weighted long file.
d <- read.csv(file.path(run, "weighted.csv"), encoding = "UTF-8", colClasses = c(tier = "integer"))
d$valid <- d$tier %in% 1:4
d$answered <- d$tier %in% c(1:4, 7)
d$score <- ifelse(d$valid, c(100, 80, 60, 0)[pmin(pmax(d$tier, 1), 4)], 0)
d$satisfied <- as.numeric(d$tier %in% 1:3)
d$dk <- as.numeric(d$tier == 7)
# pingyi's default: each stage's inclusion probabilities as fpc (R's pps = "brewer": 1 - pi per
# unit, Brewer's approximation at the PPS village stage), and each unit's own degrees of freedom
# (degf of the unit's subset) for its interval. Rows are put in stratum, PSU, SSU order first:
# R matches each PSU's (1 - pi) to the PSU totals by order of first appearance but sorts the
# totals by id, so its answer depends on row order unless they agree (a known quirk, still in 4.5).
for (g in c("deputies", "urban")) {
  x <- d[d$group == g, ]
  x <- if (g == "urban") x[order(x$stage1_stratum, x$stage1_unit, as.character(x$stage2_unit)), ] else x[order(x$stage1_stratum, x$stage1_unit), ]
  des <- if (g == "urban") {
    svydesign(ids = ~stage1_unit + stage2_unit, strata = ~stage1_stratum, fpc = ~stage1_prob + stage2_prob, pps = "brewer",
              weights = ~weight, data = x)
  } else {
    svydesign(ids = ~stage1_unit, strata = ~stage1_stratum, fpc = ~stage1_prob, pps = "brewer", weights = ~weight, data = x)
  }
  res <- svyby(~score + satisfied, ~unit, subset(des, valid), svymean, deff = TRUE)
  dk <- svyby(~dk, ~unit, subset(des, answered), svymean)
  se <- SE(res)
  df <- sapply(res$unit, function(u) degf(subset(des, valid & unit == u)))
  t <- qt(0.975, df)
  out <- data.frame(unit = res$unit, n = as.vector(table(factor(x$unit[x$valid], levels = res$unit))),
                    dont_know = fmt(coef(dk)[match(res$unit, dk$unit)]),
                    score = fmt(res$score), score_se = fmt(se[, 1]),
                    score_low = fmt(res$score - t * se[, 1]), score_high = fmt(res$score + t * se[, 1]),
                    rate = fmt(res$satisfied), rate_se = fmt(se[, 2]),
                    deff = fmt(res$DEff.score), df = df)
  write.csv(out, file.path(dest, paste0("expected_scores-", g, ".csv")), row.names = FALSE, quote = FALSE)
}

# 4. AAPOR rates from the dispositions (unknown and pending as unknown eligibility).
rates <- do.call(rbind, lapply(c(sort(unique(cases$group)), "all"), function(g) {
  x <- if (g == "all") cases else cases[cases$group == g, ]
  n <- function(d) sum(x$disposition %in% d)
  I <- n("complete"); P <- n("partial"); R <- n("refusal"); NC <- n("non-contact"); O <- n("other")
  U <- n(c("unknown", "pending")); NE <- n("not-eligible")
  e <- (I + P + R + NC + O) / (I + P + R + NC + O + NE)
  data.frame(group = g, RR1 = fmt(I / (I + P + R + NC + O + U)), RR3 = fmt(I / (I + P + R + NC + O + e * U)),
             COOP1 = fmt(I / (I + P + R + O)), REF1 = fmt(R / (I + P + R + NC + O + U)),
             CON1 = fmt((I + P + R + O) / (I + P + R + O + NC + U)), e = fmt(e))
}))
write.csv(rates, file.path(dest, "expected_rates.csv"), row.names = FALSE, quote = FALSE)

hash <- function(f) strsplit(system2("sha256sum", f, stdout = TRUE), " ")[[1]][1]
writeLines(c(paste("cases.csv", hash(file.path(run, "cases.csv"))), paste("weighted.csv", hash(file.path(run, "weighted.csv")))),
           file.path(dest, "inputs.sha256"))
