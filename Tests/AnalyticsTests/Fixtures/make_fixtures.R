#!/usr/bin/env Rscript
# Reference fixtures for pingyi's Analytics module, computed by R `survey` (Debian r-cran-survey 4.1.1,
# R 4.2). Deterministic: the data are synthetic and drawn with fixed seeds.
#
# Usage (from anywhere): Rscript Tests/AnalyticsTests/Fixtures/make_fixtures.R
# Writes, next to this script, one folder per case:
#   long.csv      the input in pingyi's long format (one row per respondent x evaluated unit)
#   expected.csv  R's results per unit: unit,n,dont_know,score,score_se,score_low,score_high,
#                 rate,rate_se,rate_low,rate_high,deff,df (17 significant digits)
#   extra.csv     further R quantities per unit (rate deff, domain degrees of freedom, the rate's
#                 logit interval from svyciprop(method = "xlogit"), ...)
#   design.txt    the exact R calls and the corresponding pingyi options
# and population.csv for the calibration cases, expected_error.txt for lonely-fail.
#
# Tier scale (four tiers): 1 满意 = 100, 2 比较满意 = 80, 3 基本满意 = 60, 4 不满意 = 0;
# tiers 1-3 are "satisfied"; 7 = don't know (excluded from the denominator); 8 = refused (never scored).
#   valid     = tier in 1..4        score = tier score (0 on rows that are not valid; never used)
#   satisfied = tier in 1..3        answered = tier in 1..4 or 7        dk = (tier == 7)

suppressPackageStartupMessages(library(survey))
RNGkind("Mersenne-Twister", "Inversion", "Rejection")

file_arg <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
HERE <- if (length(file_arg)) normalizePath(dirname(file_arg)) else getwd()

POINTS <- c(100, 80, 60, 0)
UNITS <- sprintf("D%02d", 1:8)
# Probabilities of tiers 1, 2, 3, 4, 7, 8 per unit.
TIER_PROBS <- rbind(
  D01 = c(.45, .25, .12, .08, .07, .03),
  D02 = c(.30, .30, .20, .10, .08, .02),
  D03 = c(.20, .25, .25, .22, .06, .02),
  D04 = c(.55, .20, .10, .05, .08, .02),
  D05 = c(.25, .20, .20, .25, .07, .03),
  D06 = c(.35, .30, .15, .10, .07, .03),
  D07 = c(.40, .20, .15, .15, .07, .03),
  D08 = c(.15, .25, .25, .25, .07, .03))
TIERS <- c(1L, 2L, 3L, 4L, 7L, 8L)

g17 <- function(x) ifelse(is.nan(x), "NaN", ifelse(is.na(x), "NA", sprintf("%.17g", x)))

# ---------------------------------------------------------------------------------------------
# Data generation
# ---------------------------------------------------------------------------------------------

# Which units a respondent is asked about (the "domain that misses whole PSUs" pattern):
# D01-D04 everyone; D05 not asked in the second stratum; D06 only in odd-numbered villages;
# D07 a random 30 % of respondents; D08 only in the first two strata, a random half there.
ask_default <- function(stratum_index, village_number, ...) {
  c(TRUE, TRUE, TRUE, TRUE,
    stratum_index != 2,
    village_number %% 2 == 1,
    runif(1) < 0.30,
    stratum_index <= 2 && runif(1) < 0.5)
}
ask_all <- function(...) rep(TRUE, length(UNITS))

# Draws a tier for each asked unit; `mood` (per PSU) tilts satisfied vs dissatisfied answers so
# that PSUs differ (intra-cluster correlation).
draw_tiers <- function(asked, mood) {
  tiers <- integer(0)
  for (u in which(asked)) {
    p <- TIER_PROBS[u, ]
    p[1] <- p[1] * exp(mood)
    p[4] <- p[4] * exp(-mood)
    tiers <- c(tiers, sample(TIERS, 1, prob = p))
  }
  tiers
}

# Two-stage sample: `strata` has columns stratum, N1 (villages in the stratum), n1 (villages drawn);
# in each drawn village of N2 households, n2 households (one respondent each) are drawn.
# n2 may be given per stratum as a list of vectors (one size per village), else drawn from n2_range.
two_stage <- function(seed, strata, ask = ask_default, n2_range = 2:9, N2_range = 30:300,
                      n2 = NULL, nested_codes = FALSE, extra = NULL) {
  set.seed(seed)
  rows <- list()
  case <- 0
  for (s in seq_len(nrow(strata))) {
    st <- strata$stratum[s]
    villages <- sort(sample(seq_len(strata$N1[s]), strata$n1[s]))
    for (k in seq_along(villages)) {
      v <- villages[k]
      N2 <- sample(N2_range, 1)
      m <- if (!is.null(n2)) n2[[s]][k] else sample(n2_range, 1)
      mood <- rnorm(1, 0, 0.6)
      households <- sort(sample(seq_len(N2), m))
      vcode <- if (nested_codes) sprintf("V%02d", v) else sprintf("%sV%02d", st, v)
      for (h in households) {
        case <- case + 1
        asked <- ask(s, v)
        tiers <- draw_tiers(asked, mood)
        hcode <- if (nested_codes) sprintf("H%03d", h) else sprintf("%sV%02dH%03d", st, v, h)
        r <- data.frame(case_id = sprintf("R%04d", case), unit = UNITS[asked], tier = tiers,
                        stage1_stratum = st, stage1_unit = vcode, stage1_N = strata$N1[s],
                        stage2_unit = hcode, stage2_N = N2,
                        weight = (strata$N1[s] / strata$n1[s]) * (N2 / m),
                        stringsAsFactors = FALSE)
        if (!is.null(extra)) r <- cbind(r, extra(s, v, h, nrow(r)))
        rows[[length(rows) + 1]] <- r
      }
    }
  }
  do.call(rbind, rows)
}

# One-stage stratified sample of households: `strata` has stratum, N (households), n (drawn).
one_stage <- function(seed, strata, ask = ask_default) {
  set.seed(seed)
  rows <- list()
  case <- 0
  for (s in seq_len(nrow(strata))) {
    st <- strata$stratum[s]
    mood <- rnorm(1, 0, 0.6)  # strata differ
    households <- sort(sample(seq_len(strata$N[s]), strata$n[s]))
    for (h in households) {
      case <- case + 1
      asked <- ask(s, h)
      tiers <- draw_tiers(asked, mood + rnorm(1, 0, 0.3))
      rows[[length(rows) + 1]] <- data.frame(
        case_id = sprintf("R%04d", case), unit = UNITS[asked], tier = tiers,
        stage1_stratum = st, stage1_unit = sprintf("%sH%04d", st, h), stage1_N = strata$N[s],
        weight = strata$N[s] / strata$n[s], stringsAsFactors = FALSE)
    }
  }
  do.call(rbind, rows)
}

# ---------------------------------------------------------------------------------------------
# Writing and reading back (R computes from the file exactly as pingyi will read it)
# ---------------------------------------------------------------------------------------------

write_long <- function(d, dir) {
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  out <- d
  for (col in intersect(c("stage1_N", "stage2_N", "weight"), names(out))) out[[col]] <- g17(out[[col]])
  write.csv(out, file.path(dir, "long.csv"), row.names = FALSE, quote = FALSE, fileEncoding = "UTF-8")
  classes <- c(case_id = "character", unit = "character", tier = "integer",
               stage1_stratum = "character", stage1_unit = "character", stage2_unit = "character")
  back <- read.csv(file.path(dir, "long.csv"), stringsAsFactors = FALSE,
                   colClasses = classes[names(classes) %in% names(d)])
  add_variables(back)
}

add_variables <- function(d) {
  d$valid <- d$tier %in% 1:4
  d$answered <- d$tier %in% c(1:4, 7L)
  d$score <- ifelse(d$valid, POINTS[pmin(pmax(d$tier, 1L), 4L)], 0)
  d$satisfied <- as.numeric(d$tier %in% 1:3)
  d$dk <- as.numeric(d$tier == 7L)
  d
}

# ---------------------------------------------------------------------------------------------
# R's results
# ---------------------------------------------------------------------------------------------

# `design` is the full design (all rows of long.csv, possibly calibrated or replicate);
# `df` the degrees of freedom used for the intervals.
results <- function(design, d, df, by = ~unit) {
  res <- svyby(~score + satisfied, by, subset(design, valid), svymean, deff = TRUE)
  se <- SE(res)
  ci <- confint(res, df = df)
  k <- nrow(res)
  dk <- svyby(~dk, by, subset(design, answered), svymean)
  byvars <- all.vars(by)
  key <- function(x) do.call(paste, c(lapply(byvars, function(v) as.character(x[[v]])), sep = "\r"))
  n <- sapply(key(res), function(kk) sum(d$valid & key(d) == kk))
  out <- res[, byvars, drop = FALSE]
  out$n <- n
  out$dont_know <- g17(dk$dk[match(key(res), key(dk))])
  out$score <- g17(res$score)
  out$score_se <- g17(se[, 1])
  out$score_low <- g17(ci[1:k, 1])
  out$score_high <- g17(ci[1:k, 2])
  out$rate <- g17(res$satisfied)
  out$rate_se <- g17(se[, 2])
  out$rate_low <- g17(ci[k + 1:k, 1])
  out$rate_high <- g17(ci[k + 1:k, 2])
  out$deff <- g17(res$DEff.score)
  out$df <- df
  # Checks: the interval is estimate -/+ qt(0.975, df) * se.
  q <- qt(0.975, df)
  stopifnot(isTRUE(all.equal(unname(ci[1:k, 1]), unname(res$score - q * se[, 1]), tolerance = 1e-14)),
            isTRUE(all.equal(unname(ci[k + 1:k, 2]), unname(res$satisfied + q * se[, 2]), tolerance = 1e-14)))
  list(expected = out, res = res)
}

# Degrees of freedom of the domain: degf of the design restricted to the unit's valid rows.
domain_degf <- function(design, d, by = ~unit) {
  byvars <- all.vars(by)
  keys <- unique(d[d$valid, byvars, drop = FALSE])
  # In svyby's row order: the first by-variable varies fastest.
  keys <- keys[do.call(order, rev(keys)), , drop = FALSE]
  sapply(seq_len(nrow(keys)), function(i) {
    sel <- d$valid
    for (v in byvars) sel <- sel & d[[v]] == keys[[v]][i]
    degf(design[sel, ])
  })
}

write_expected <- function(r, dir, extra = NULL) {
  write.csv(r$expected, file.path(dir, "expected.csv"), row.names = FALSE, quote = FALSE)
  if (!is.null(extra)) write.csv(extra, file.path(dir, "extra.csv"), row.names = FALSE, quote = FALSE)
}

standard_extra <- function(r, design, d, by = ~unit, df = degf(design)) {
  e <- r$res[, all.vars(by), drop = FALSE]
  e$rate_deff <- g17(r$res$DEff.satisfied)
  e$df_domain <- domain_degf(design, d, by)
  # The rate's logit interval (pingyi score --rate-interval logit): svyciprop's "xlogit", the
  # Student-t interval on log(p / (1 - p)) with the delta-method SE, mapped back; same df.
  lg <- svyby(~satisfied, by, subset(design, valid), svyciprop, method = "xlogit", df = df, vartype = "ci")
  stopifnot(identical(key_of(lg, by), key_of(r$res, by)))
  e$rate_low_logit <- g17(lg$ci_l)
  e$rate_high_logit <- g17(lg$ci_u)
  e
}

key_of <- function(x, by) do.call(paste, c(lapply(all.vars(by), function(v) as.character(x[[v]])), sep = "\r"))

write_design <- function(dir, lines) {
  writeLines(c(lines, "",
    "Variables (R):",
    "  valid     <- tier %in% 1:4",
    "  answered  <- tier %in% c(1:4, 7)",
    "  score     <- c(100, 80, 60, 0)[tier] where valid, 0 elsewhere (never used outside valid)",
    "  satisfied <- as.numeric(tier %in% 1:3)",
    "  dk        <- as.numeric(tier == 7)",
    "Results (R):",
    "  res <- svyby(~score+satisfied, ~unit, subset(design, valid), svymean, deff=TRUE)",
    "  score, rate = coef; score_se, rate_se = SE(res); deff = res$DEff.score",
    "  score_low/high, rate_low/high = confint(res, df=DF): estimate -/+ qt(0.975, DF) * se",
    "  dont_know = svyby(~dk, ~unit, subset(design, answered), svymean)",
    "  n = number of rows with valid answers (unweighted)",
    "extra.csv: rate_deff = res$DEff.satisfied; df_domain = degf(design[valid & unit == u, ]),",
    "  the degrees of freedom R would use if the interval were built from the domain's own design",
    "  (PSUs with valid answers for the unit minus their strata); NOT used in expected.csv.",
    "  rate_low_logit, rate_high_logit = svyby(~satisfied, ~unit, subset(design, valid), svyciprop,",
    "  method = \"xlogit\", df = DF, vartype = \"ci\"): expit(logit(rate) -/+ qt(0.975, DF) * rate_se /",
    "  (rate * (1 - rate))), NaN at a rate of 0 or 1 (pingyi score --rate-interval logit)."),
    file.path(dir, "design.txt"))
}

DF_NOTE <- c(
  "df = degf(design) of the FULL design (all rows of long.csv, before subset()):",
  "  number of distinct stage-1 units minus number of distinct strata (rows with non-zero weight).",
  "  R's svyby/confint default is df=Inf (normal); confint(res, df=degf(design)) is the documented",
  "  way to get Student-t intervals, and the full design's degf is what pingyi's spec calls",
  "  'PSUs - strata'. It is the same for every unit.")

pingyi_cmd <- function(...) paste("pingyi score --responses long.csv --scale <four-tier scale> --out scores.csv", ...)

std_two_stage_design_lines <- function(extra_r = NULL, lonely = "fail") {
  c(sprintf("options(survey.lonely.psu = \"%s\")   # R's default is \"fail\"", lonely),
    "design <- svydesign(ids = ~stage1_unit + stage2_unit, strata = ~stage1_stratum,",
    "                    fpc = ~stage1_N + stage2_N, weights = ~weight, data = d)", extra_r)
}

# ---------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------

case_dir <- function(name) file.path(HERE, name)
options(survey.lonely.psu = "fail", survey.adjust.domain.lonely = FALSE,
        survey.replicates.mse = FALSE, survey.ultimate.cluster = FALSE)

two_stage_taylor_case <- function(name, d, intro, lonely = "fail", fpc = TRUE, nest = FALSE) {
  dir <- case_dir(name)
  options(survey.lonely.psu = lonely)
  design <- if (fpc) {
    svydesign(ids = ~stage1_unit + stage2_unit, strata = ~stage1_stratum,
              fpc = ~stage1_N + stage2_N, weights = ~weight, data = d, nest = nest)
  } else {
    svydesign(ids = ~stage1_unit + stage2_unit, strata = ~stage1_stratum,
              weights = ~weight, data = d, nest = nest)
  }
  df <- degf(design)
  r <- results(design, d, df)
  write_expected(r, dir, standard_extra(r, design, d))
  options(survey.lonely.psu = "fail")
  list(design = design, df = df, r = r, dir = dir)
}

describe <- function(d) {
  psu <- unique(d[, c("stage1_stratum", "stage1_unit")])
  sprintf("%d rows, %d respondents, %d strata, %d stage-1 units, %d units",
          nrow(d), length(unique(d$case_id)), length(unique(d$stage1_stratum)), nrow(psu),
          length(unique(d$unit)))
}

STRATA5 <- data.frame(stratum = c("T1", "T2", "T3", "T4", "T5"),
                      N1 = c(12, 20, 8, 15, 25), n1 = c(3, 4, 2, 3, 5))

## one-stage-stratified -------------------------------------------------------------------------
{
  name <- "one-stage-stratified"
  st <- data.frame(stratum = c("S1", "S2", "S3", "S4", "S5"),
                   N = c(180, 260, 90, 400, 150), n = c(14, 20, 8, 25, 12))
  d <- write_long(one_stage(101, st), case_dir(name))
  design <- svydesign(ids = ~stage1_unit, strata = ~stage1_stratum, fpc = ~stage1_N,
                      weights = ~weight, data = d)
  df <- degf(design)
  r <- results(design, d, df)
  write_expected(r, case_dir(name), standard_extra(r, design, d))
  write_design(case_dir(name), c(
    "Case one-stage-stratified: stratified simple random sample of households without replacement,",
    "one respondent per household (stage1_unit = household), fpc = households in the stratum.",
    describe(d), "D05 not asked in S2; D06 only odd-numbered households; D07, D08 rare.", "",
    "R:", "d <- read.csv(\"long.csv\")",
    "design <- svydesign(ids = ~stage1_unit, strata = ~stage1_stratum, fpc = ~stage1_N,",
    "                    weights = ~weight, data = d)", sprintf("DF = degf(design) = %d", df), DF_NOTE, "",
    "pingyi:", pingyi_cmd("--ids stage1_unit --fpc stage1_N --strata stage1_stratum --weight weight --variance taylor")))
}

## two-stage-fpc --------------------------------------------------------------------------------
{
  name <- "two-stage-fpc"
  d <- write_long(two_stage(202, STRATA5), case_dir(name))
  cs <- two_stage_taylor_case(name, d)
  write_design(cs$dir, c(
    "Case two-stage-fpc: villages (stage1_unit) drawn by SRSWOR within town strata, then households",
    "(stage2_unit, one respondent each) by SRSWOR within villages; fpc at both stages as population",
    "counts (stage1_N villages in the stratum, stage2_N households in the village).",
    describe(d), "Cluster sizes 2-9 households; D05 misses stratum T2, D06 misses even villages, D07/D08 rare.", "",
    "R:", "d <- read.csv(\"long.csv\")", std_two_stage_design_lines(),
    sprintf("DF = degf(design) = %d", cs$df), DF_NOTE, "",
    "pingyi:", pingyi_cmd("--ids stage1_unit,stage2_unit --fpc stage1_N,stage2_N --strata stage1_stratum --weight weight --variance taylor")))
}

## two-stage-no-fpc (with replacement; village and household codes repeat across towns) ---------
{
  name <- "two-stage-no-fpc"
  d <- two_stage(303, STRATA5, nested_codes = TRUE)
  d$stage1_N <- NULL
  d$stage2_N <- NULL
  d <- write_long(d, case_dir(name))
  cs <- two_stage_taylor_case(name, d, fpc = FALSE, nest = TRUE)
  write_design(cs$dir, c(
    "Case two-stage-no-fpc: the same kind of sample as two-stage-fpc but no fpc: R treats stage 1 as",
    "drawn with replacement and uses only stage-1 (ultimate cluster) totals; stage 2 is ignored.",
    "Village codes (V03) and household codes (H017) are numbered WITHIN their town / village, so the",
    "same code appears in several strata: nest=TRUE makes a PSU = (stratum, village) and R always",
    "nests stage 2 in stage 1 (SSU = (stratum, village, household)). Without nest=TRUE R stops with",
    "\"Clusters not nested in strata at top level; you may want nest=TRUE.\"",
    describe(d), "", "R:", "d <- read.csv(\"long.csv\")",
    "design <- svydesign(ids = ~stage1_unit + stage2_unit, strata = ~stage1_stratum,",
    "                    weights = ~weight, data = d, nest = TRUE)",
    sprintf("DF = degf(design) = %d", cs$df), DF_NOTE, "",
    "pingyi:", pingyi_cmd("--ids stage1_unit,stage2_unit --strata stage1_stratum --weight weight --variance taylor"),
    "  (ids are taken within stratum and within the previous stage, as R's nest=TRUE)"))
}

## unequal-weights ------------------------------------------------------------------------------
{
  name <- "unequal-weights"
  d <- two_stage(404, STRATA5)
  set.seed(4040)
  adj <- setNames(exp(rnorm(length(unique(d$case_id)), 0, 0.35)), unique(d$case_id))
  d$weight <- d$weight * adj[d$case_id]
  d <- write_long(d, case_dir(name))
  cs <- two_stage_taylor_case(name, d)
  write_design(cs$dir, c(
    "Case unequal-weights: two-stage design with fpc at both stages; each respondent's weight is the",
    "design weight (N1/n1)(N2/n2) times a respondent-specific factor exp(N(0, 0.35^2)) (e.g. a",
    "non-response adjustment), so weights vary within strata and within villages. R uses the weights",
    "as given; the fpc columns only enter the variance.",
    describe(d), "", "R:", "d <- read.csv(\"long.csv\")", std_two_stage_design_lines(),
    sprintf("DF = degf(design) = %d", cs$df), DF_NOTE, "",
    "pingyi:", pingyi_cmd("--ids stage1_unit,stage2_unit --fpc stage1_N,stage2_N --strata stage1_stratum --weight weight --variance taylor")))
}

## domain-missing-psus --------------------------------------------------------------------------
{
  name <- "domain-missing-psus"
  st <- data.frame(stratum = c("T1", "T2", "T3", "T4", "T5", "T6"),
                   N1 = c(10, 14, 9, 18, 12, 7), n1 = c(3, 4, 3, 4, 2, 3))
  ask <- function(s, v) {
    c(TRUE, TRUE,
      s %in% c(1, 2),                      # D03: only towns T1, T2
      v %% 3 != 0,                         # D04: not in villages numbered 3, 6, 9, ...
      s != 4 && runif(1) < 0.5,            # D05: half the respondents, none in T4
      s %in% c(3, 5) && v %% 2 == 1,       # D06: odd villages of T3 and T5 only
      runif(1) < 0.15,                     # D07: rare everywhere
      (s == 1 && v %% 2 == 0) || (s == 6 && runif(1) < 0.4))  # D08: a few PSUs of T1 and T6
  }
  d <- write_long(two_stage(505, st, ask = ask, n2_range = 2:12), case_dir(name))
  cs <- two_stage_taylor_case(name, d)
  psus <- tapply(paste(d$stage1_stratum, d$stage1_unit)[d$valid], d$unit[d$valid],
                 function(x) length(unique(x)))
  write_design(cs$dir, c(
    "Case domain-missing-psus: two-stage design with fpc at both stages, 6 strata; most units are",
    "asked only in some towns / villages, so their domains miss whole PSUs and whole strata.",
    "Rows outside a unit's domain count as zeros; the number of PSUs per stratum (and of households",
    "per village) is always that of the FULL design, not of the domain.",
    describe(d),
    paste("PSUs with valid answers per unit:", paste(names(psus), psus, collapse = ", ")),
    "", "R:", "d <- read.csv(\"long.csv\")", std_two_stage_design_lines(),
    sprintf("DF = degf(design) = %d", cs$df), DF_NOTE, "",
    "pingyi:", pingyi_cmd("--ids stage1_unit,stage2_unit --fpc stage1_N,stage2_N --strata stage1_stratum --weight weight --variance taylor")))
}

## lonely PSUs ----------------------------------------------------------------------------------
{
  st <- data.frame(stratum = c("T1", "T2", "T3", "T4", "T5", "T6"),
                   N1 = c(10, 14, 6, 18, 9, 11), n1 = c(3, 4, 1, 3, 1, 2))
  ask <- function(s, v) {
    c(TRUE, TRUE, TRUE, TRUE,
      s != 3,                              # D05: not in the lonely stratum T3
      s != 5 && runif(1) < 0.7,            # D06: not in the lonely stratum T5
      v %% 2 == 1,                         # D07: odd villages only
      s %in% c(1, 2) || (s == 3 && runif(1) < 0.5))   # D08: T1, T2 and part of lonely T3
  }
  base <- two_stage(606, st, ask = ask, n2_range = 3:9)
  lonely_psus <- unique(base[base$stage1_stratum %in% c("T3", "T5"), c("stage1_stratum", "stage1_unit")])
  fail_msg <- NULL
  for (rule in c("fail", "remove", "certainty", "adjust", "average")) {
    name <- paste0("lonely-", rule)
    d <- write_long(base, case_dir(name))
    intro <- c(
      sprintf("Case %s: two-stage design with fpc at both stages; strata T3 (%s of 6 villages) and", name,
              lonely_psus$stage1_unit[1]),
      sprintf("T5 (%s of 9 villages) have a single sampled village (lonely PSU, stage 1).", lonely_psus$stage1_unit[2]),
      "Every village has at least 3 sampled households (no lonely unit at stage 2).",
      "D05 is not asked in T3, D06 not in T5, D08 only in T1, T2 and T3.", describe(d), "")
    if (rule == "fail") {
      options(survey.lonely.psu = "fail")
      design <- svydesign(ids = ~stage1_unit + stage2_unit, strata = ~stage1_stratum,
                          fpc = ~stage1_N + stage2_N, weights = ~weight, data = d)
      fail_msg <- tryCatch({ svyby(~score + satisfied, ~unit, subset(design, valid), svymean); "no error" },
                           error = function(e) conditionMessage(e))
      writeLines(fail_msg, file.path(case_dir(name), "expected_error.txt"))
      writeLines(c(intro, "R:", "d <- read.csv(\"long.csv\")", std_two_stage_design_lines(lonely = "fail"),
                   "svyby(~score+satisfied, ~unit, subset(design, valid), svymean)", "",
                   "R stops with this error (expected_error.txt):", paste0("  ", fail_msg),
                   "(svyby evaluates the units in sorted order; D01 is the first to reach the lonely stratum;",
                   " the error names the stratum as R labels it and 'stage 1'.)",
                   "No expected.csv: pingyi must fail too (exit 65, naming the stratum and the --lonely-psu choices).", "",
                   "pingyi:", pingyi_cmd("--ids stage1_unit,stage2_unit --fpc stage1_N,stage2_N --strata stage1_stratum --weight weight --lonely-psu fail")),
                 file.path(case_dir(name), "design.txt"))
      next
    }
    cs <- two_stage_taylor_case(name, d, lonely = rule)
    touched <- sapply(UNITS, function(u) {
      st <- sort(unique(d$stage1_stratum[d$valid & d$unit == u]))
      lon <- intersect(st, c("T3", "T5"))
      sprintf("  %s: strata %s; lonely %s; average factor %d/%d", u, paste(st, collapse = " "),
              if (length(lon)) paste(lon, collapse = " ") else "none", length(st), length(st) - length(lon))
    })
    rule_note <- switch(rule,
      remove = "remove: lonely strata add 0 at stage 1 (identical to certainty); their villages' stage-2 terms are still added x n1/N1 (1/6, 1/9).",
      certainty = "certainty: identical to remove in R's Taylor variance (stage-1 term 0; stage-2 terms still x n1/N1 = 1/6, 1/9, not x 1).",
      adjust = "adjust: a lonely stratum adds f * t^2, t = the domain's total of z in the lonely village (uncentred), f = (N1-1)/N1.",
      average = "average: the stage-1 sum over non-lonely strata is multiplied by nstrat/nokstrat, counted over the strata where the UNIT has valid answers (below).")
    write_design(cs$dir, c(intro, rule_note, "Strata with valid answers per unit:", touched, "", "R:", "d <- read.csv(\"long.csv\")", std_two_stage_design_lines(lonely = rule),
      "(options(survey.adjust.domain.lonely) left at its default FALSE)",
      sprintf("DF = degf(design) = %d (lonely strata count: 1 PSU - 1 stratum = 0 each)", cs$df), DF_NOTE, "",
      "pingyi:", pingyi_cmd(sprintf("--ids stage1_unit,stage2_unit --fpc stage1_N,stage2_N --strata stage1_stratum --weight weight --lonely-psu %s --variance taylor", rule))))
  }
}

## certainty-psu --------------------------------------------------------------------------------
{
  name <- "certainty-psu"
  st <- data.frame(stratum = c("T1", "T2", "T3", "T4"), N1 = c(12, 4, 9, 15), n1 = c(3, 4, 3, 4))
  d <- write_long(two_stage(707, st, n2_range = 2:10), case_dir(name))
  cs <- two_stage_taylor_case(name, d)
  write_design(cs$dir, c(
    "Case certainty-psu: two-stage design with fpc at both stages; in stratum T2 all 4 villages are",
    "taken (stage1_N == 4 == villages sampled: certainty PSUs), households are sampled inside them.",
    "T2 contributes no stage-1 variance (fpc factor 0) but its stage-2 variance is added with the",
    "factor n1/N1 = 1.", describe(d), "", "R:", "d <- read.csv(\"long.csv\")", std_two_stage_design_lines(),
    sprintf("DF = degf(design) = %d (certainty PSUs still count as PSUs in degf)", cs$df), DF_NOTE, "",
    "pingyi:", pingyi_cmd("--ids stage1_unit,stage2_unit --fpc stage1_N,stage2_N --strata stage1_stratum --weight weight --variance taylor")))
}

## jkn ------------------------------------------------------------------------------------------
{
  name <- "jkn"
  st <- data.frame(stratum = c("T1", "T2", "T3", "T4", "T5"),
                   N1 = c(12, 20, 8, 3, 25), n1 = c(3, 4, 2, 3, 5))
  d <- write_long(two_stage(808, st), case_dir(name))
  design <- svydesign(ids = ~stage1_unit + stage2_unit, strata = ~stage1_stratum,
                      fpc = ~stage1_N + stage2_N, weights = ~weight, data = d)
  warn <- NULL
  rep <- withCallingHandlers(as.svrepdesign(design, type = "JKn"),
                             warning = function(w) { warn <<- c(warn, conditionMessage(w)); invokeRestart("muffleWarning") })
  stopifnot(identical(rep$mse, FALSE))
  df_rep <- degf(rep)
  df_taylor <- degf(design)
  r <- results(rep, d, df_rep)
  write_expected(r, case_dir(name))
  rep_mse <- rep
  rep_mse$mse <- TRUE
  r_mse <- svyby(~score + satisfied, ~unit, subset(rep_mse, valid), svymean)
  tay <- svyby(~score + satisfied, ~unit, subset(design, valid), svymean)
  e <- data.frame(unit = r$res$unit, rate_deff = g17(r$res$DEff.satisfied),
                  score_se_mse = g17(SE(r_mse)[, 1]), rate_se_mse = g17(SE(r_mse)[, 2]),
                  score_se_taylor = g17(SE(tay)[, 1]), rate_se_taylor = g17(SE(tay)[, 2]))
  write.csv(e, file.path(case_dir(name), "extra.csv"), row.names = FALSE, quote = FALSE)
  # Replicate structure for reference.
  w <- weights(rep, "analysis")
  psu_of <- d$stage1_unit
  rs <- data.frame(replicate = seq_along(rep$rscales), rscale = g17(rep$rscales),
                   deleted_psu = sapply(seq_len(ncol(w)), function(j) paste(unique(psu_of[w[, j] == 0]), collapse = " ")))
  write.csv(rs, file.path(case_dir(name), "replicates.csv"), row.names = FALSE, quote = FALSE)
  writeLines(c(
    "Case jkn: two-stage design with fpc at both stages, 5 strata; stratum T4 takes all 3 of its",
    "villages (certainty). Variance by JKn jackknife replicates, as R's as.svrepdesign(type=\"JKn\").",
    describe(d), "",
    "R:", "d <- read.csv(\"long.csv\")", std_two_stage_design_lines(),
    "rep <- as.svrepdesign(design, type = \"JKn\")",
    paste0("  R warns: ", warn),
    "  -> only the stage-1 fpc is used: rscale of the replicates of stratum h = (1 - n_h/N_h)(n_h - 1)/n_h;",
    "     scale = 1; stratum T4 has fpc factor 0 and, with options(survey.drop.replicates=TRUE)",
    "     (the default), gets NO replicates at all. replicates.csv lists each replicate's rscale",
    sprintf("     and the village it deletes (%d replicates for %d villages).", ncol(w), length(unique(psu_of))),
    "  -> rep$mse is FALSE (R 4.1 default: options(survey.replicates.mse = FALSE)): the replicate",
    "     estimates are centred at their own (unweighted) mean over ALL replicates, not at the",
    "     full-sample estimate. extra.csv: score_se_mse / rate_se_mse are the SEs with mse = TRUE",
    "     (centred at the full-sample estimate); they differ slightly. expected.csv uses R's default.",
    "res <- svyby(~score+satisfied, ~unit, subset(rep, valid), svymean, deff=TRUE)",
    sprintf("DF = degf(rep) = %d (rank of the analysis-weight matrix - 1); degf(design) of the", df_rep),
    sprintf("  Taylor design would be %d (PSUs - strata): the certainty stratum has no replicate,", df_taylor),
    "  so the replicate design has one degree of freedom less. expected.csv uses degf(rep).",
    "extra.csv: score_se_taylor / rate_se_taylor = the Taylor (svyrecvar) SEs of the same design, for comparison.",
    "deff (replicate designs): v_rep / (s^2_w / n * (Npop - n)/Npop), the same SRS reference as Taylor.", "",
    "Variables and results as in the other cases (see below).",
    "pingyi:", pingyi_cmd("--ids stage1_unit,stage2_unit --fpc stage1_N,stage2_N --strata stage1_stratum --weight weight --variance jackknife"),
    "",
    "Variables (R):",
    "  valid <- tier %in% 1:4; answered <- tier %in% c(1:4, 7); score <- c(100,80,60,0)[tier] (0 if not valid)",
    "  satisfied <- as.numeric(tier %in% 1:3); dk <- as.numeric(tier == 7)",
    "dont_know = svyby(~dk, ~unit, subset(rep, answered), svymean)"),
    file.path(case_dir(name), "design.txt"))
}

## calibration cases: every respondent rates every unit (K = 8 rows each) -----------------------
calib_data <- function(seed) {
  st <- data.frame(stratum = c("T1", "T2", "T3", "T4"), N1 = c(12, 16, 9, 20), n1 = c(3, 4, 3, 4))
  urban_p <- c(0.7, 0.4, 0.25, 0.5)
  d <- two_stage(seed, st, ask = ask_all, n2_range = 4:10,
                 extra = function(s, v, h, k) {
                   u <- if (runif(1) < urban_p[s]) "urban" else "rural"
                   data.frame(town = st$stratum[s], urban = rep(u, k), stringsAsFactors = FALSE)
                 })
  d
}
POP <- data.frame(town = rep(c("T1", "T2", "T3", "T4"), each = 2), urban = rep(c("rural", "urban"), 4),
                  Freq = c(820, 1930, 2410, 1560, 1890, 610, 3020, 2950))
K <- length(UNITS)
calib_notes <- c(
  "Every respondent has exactly K = 8 rows (one per unit, tiers 7/8 included), so calibrating the",
  "ROW weights of the long file to K x (household counts) gives each respondent exactly the weight",
  "that calibrating respondent-level weights to the household counts gives (each cell's factor",
  "is the same), and the calibration residuals summed over a respondent's rows equal the",
  "respondent-level residuals: pingyi may calibrate per respondent with population.csv as is.",
  "population.csv holds the household counts; R was given Freq * 8 on the long file.")

{
  name <- "poststratify"
  d <- write_long(calib_data(909), case_dir(name))
  write.csv(POP, file.path(case_dir(name), "population.csv"), row.names = FALSE, quote = FALSE)
  design <- svydesign(ids = ~stage1_unit + stage2_unit, strata = ~stage1_stratum,
                      fpc = ~stage1_N + stage2_N, weights = ~weight, data = d)
  pop <- POP
  pop$Freq <- pop$Freq * K
  ps <- postStratify(design, ~town + urban, pop)
  df <- degf(ps)
  r <- results(ps, d, df)
  e <- standard_extra(r, ps, d)
  u <- svyby(~score + satisfied, ~unit, subset(design, valid), svymean)
  e$score_uncalibrated <- g17(u$score)
  e$score_se_uncalibrated <- g17(SE(u)[, 1])
  write_expected(r, case_dir(name), e)
  cw <- data.frame(case_id = d$case_id, w = weights(ps))[!duplicated(d$case_id), ]
  write.csv(data.frame(case_id = cw$case_id, calibrated_weight = g17(cw$w)),
            file.path(case_dir(name), "weights.csv"), row.names = FALSE, quote = FALSE)
  write_design(case_dir(name), c(
    "Case poststratify: two-stage design with fpc at both stages (town strata T1-T4), then",
    "post-stratified to household counts by town x urban (8 cells; urban is a household attribute,",
    "so post-strata cut across villages).", describe(d), calib_notes, "",
    "R:", "d <- read.csv(\"long.csv\")", std_two_stage_design_lines(),
    "pop <- read.csv(\"population.csv\"); pop$Freq <- pop$Freq * 8",
    "ps <- postStratify(design, ~town + urban, pop)",
    "weights.csv: the calibrated weight of each respondent (= weights(ps), the same on all its rows).",
    "Results from ps (subset(ps, valid) keeps all rows with zero weight: calibrated designs are",
    "never physically subset in R, and the calibration residuals of rows outside the domain are not 0).",
    sprintf("DF = degf(ps) = %d", df), DF_NOTE,
    "extra.csv also has score_uncalibrated / score_se_uncalibrated (the design before postStratify).", "",
    "pingyi:", "pingyi weights --responses long.csv --population population.csv --by town,urban ... (post-stratify), then",
    pingyi_cmd("--ids stage1_unit,stage2_unit --fpc stage1_N,stage2_N --strata stage1_stratum --weight weight --variance taylor")))
}

# The town and urban margins of POP as files (household counts), read back and multiplied by K
# for R (the long file has K rows per respondent).
write_margins <- function(dir) {
  pop_town <- aggregate(Freq ~ town, POP, sum)
  pop_urban <- aggregate(Freq ~ urban, POP, sum)
  write.csv(pop_town, file.path(dir, "margin_town.csv"), row.names = FALSE, quote = FALSE)
  write.csv(pop_urban, file.path(dir, "margin_urban.csv"), row.names = FALSE, quote = FALSE)
  pt <- read.csv(file.path(dir, "margin_town.csv"), stringsAsFactors = FALSE); pt$Freq <- pt$Freq * K
  pu <- read.csv(file.path(dir, "margin_urban.csv"), stringsAsFactors = FALSE); pu$Freq <- pu$Freq * K
  list(town = pt, urban = pu)
}

write_weights <- function(design, d, dir) {
  cw <- data.frame(case_id = d$case_id, w = weights(design))[!duplicated(d$case_id), ]
  write.csv(data.frame(case_id = cw$case_id, calibrated_weight = g17(cw$w)),
            file.path(dir, "weights.csv"), row.names = FALSE, quote = FALSE)
}

{
  name <- "rake"
  d <- write_long(calib_data(1010), case_dir(name))
  write.csv(POP, file.path(case_dir(name), "population.csv"), row.names = FALSE, quote = FALSE)
  design <- svydesign(ids = ~stage1_unit + stage2_unit, strata = ~stage1_stratum,
                      fpc = ~stage1_N + stage2_N, weights = ~weight, data = d)
  margins <- write_margins(case_dir(name))
  pt <- margins$town; pu <- margins$urban
  rk <- rake(design, list(~town, ~urban), list(pt, pu), control = list(maxit = 200, epsilon = 1e-13))
  df <- degf(rk)
  r <- results(rk, d, df)
  e <- standard_extra(r, rk, d)
  # R's defaults (maxit = 10, epsilon = 1 in weight units of the long file) for comparison.
  rk_default <- suppressWarnings(rake(design, list(~town, ~urban), list(pt, pu)))
  rd <- svyby(~score + satisfied, ~unit, subset(rk_default, valid), svymean)
  e$score_default_control <- g17(rd$score)
  e$score_se_default_control <- g17(SE(rd)[, 1])
  write_expected(r, case_dir(name), e)
  cw <- data.frame(case_id = d$case_id, w = weights(rk))[!duplicated(d$case_id), ]
  write.csv(data.frame(case_id = cw$case_id, calibrated_weight = g17(cw$w)),
            file.path(case_dir(name), "weights.csv"), row.names = FALSE, quote = FALSE)
  # Iterations needed.
  iters <- 0
  dd <- design
  old <- svytable(~town + urban, dd)
  repeat {
    dd$postStrata <- NULL
    dd <- postStratify(dd, ~town, pt)
    dd <- postStratify(dd, ~urban, pu)
    new <- svytable(~town + urban, dd)
    iters <- iters + 1
    if (max(abs(old - new)) < 1e-13 * sum(weights(design)) || iters >= 200) break
    old <- new
  }
  write_design(case_dir(name), c(
    "Case rake: two-stage design with fpc at both stages (town strata T1-T4), raked to the household",
    "margins by town (4) and by urban (2): population.csv has the town x urban counts; the margins",
    "are their sums (pop_town, pop_urban).", describe(d), calib_notes, "",
    "R:", "d <- read.csv(\"long.csv\")", std_two_stage_design_lines(),
    "pop <- read.csv(\"population.csv\")",
    "pop_town  <- aggregate(Freq ~ town, pop, sum);  pop_town$Freq  <- pop_town$Freq * 8",
    "pop_urban <- aggregate(Freq ~ urban, pop, sum); pop_urban$Freq <- pop_urban$Freq * 8",
    "rk <- rake(design, list(~town, ~urban), list(pop_town, pop_urban),",
    "           control = list(maxit = 200, epsilon = 1e-13))",
    sprintf("  epsilon < 1 means relative: stop when the weighted town x urban table moves by less than"),
    sprintf("  1e-13 x (sum of weights) in one pass; R needed %d passes here (fully converged weights).", iters),
    "  R's defaults are maxit = 10 and epsilon = 1 (absolute, in weight units); extra.csv has",
    "  score_default_control / score_se_default_control computed with them on the long file.",
    "weights.csv: the raked weight of each respondent.",
    "Variance (svyrecvar): 10 fixed sweeps over the two margins of x <- x - w_m * ave(x / w_m, cell),",
    "  w_m = the weights right after that margin's step in rake's last pass (see estimation.md).",
    sprintf("DF = degf(rk) = %d", df), DF_NOTE, "",
    "margin_town.csv and margin_urban.csv are those margins as files (household counts; R was given",
    "  Freq * 8 read from them): pingyi --rake town,urban --margin town=margin_town.csv",
    "  --margin urban=margin_urban.csv gives the same weights and results as --population.",
    "pingyi:", "pingyi weights --responses long.csv --rake town,urban --population population.csv ... (raking), then",
    pingyi_cmd("--ids stage1_unit,stage2_unit --fpc stage1_N,stage2_N --strata stage1_stratum --weight weight --variance taylor")))
}

## by-group: domains unit x group ---------------------------------------------------------------
{
  name <- "by-group"
  d <- two_stage(1111, STRATA5, extra = function(s, v, h, k)
    data.frame(group = rep(if (runif(1) < 0.35) "enterprise" else "household", k), stringsAsFactors = FALSE))
  d <- write_long(d, case_dir(name))
  design <- svydesign(ids = ~stage1_unit + stage2_unit, strata = ~stage1_stratum,
                      fpc = ~stage1_N + stage2_N, weights = ~weight, data = d)
  df <- degf(design)
  r <- results(design, d, df, by = ~unit + group)
  write_expected(r, case_dir(name), standard_extra(r, design, d, by = ~unit + group))
  write_design(case_dir(name), c(
    "Case by-group: two-stage design with fpc at both stages; domains are unit x group",
    "(group = the respondent's group, a respondent-level column). Each (unit, group) cell is a",
    "domain exactly like a unit alone. R orders the rows of svyby by the interaction factor, whose",
    "levels vary the FIRST by-variable fastest: all units of 'enterprise', then all of 'household'.",
    describe(d),
    "D08 x enterprise has 3 valid answers, all satisfied: R's rate is 1 up to rounding, its rate_se",
    "  is rounding noise (~7e-17, compare absolutely) and its rate_deff in extra.csv is meaningless.",
    "", "R:", "d <- read.csv(\"long.csv\")", std_two_stage_design_lines(),
    "res <- svyby(~score+satisfied, ~unit+group, subset(design, valid), svymean, deff=TRUE)",
    "dont_know = svyby(~dk, ~unit+group, subset(design, answered), svymean)",
    sprintf("DF = degf(design) = %d", df), DF_NOTE, "",
    "pingyi:", pingyi_cmd("--ids stage1_unit,stage2_unit --fpc stage1_N,stage2_N --strata stage1_stratum --weight weight --by group --variance taylor")))
}

## GREG calibration to margin files (calibrate(), linear / logit with bounds, raking distance) ---
## and trimming (trimWeights) of raked weights: the rake case's data.
for (calfun in c("linear", "logit", "raking")) {
  name <- paste0("calibrate-", calfun)
  d <- write_long(calib_data(1010), case_dir(name))
  design <- svydesign(ids = ~stage1_unit + stage2_unit, strata = ~stage1_stratum,
                      fpc = ~stage1_N + stage2_N, weights = ~weight, data = d)
  margins <- write_margins(case_dir(name))
  # Bounds on g: unbounded linear g runs from 1.229 (T2 rural) to 1.864 (T1 urban); an upper
  # bound of 1.85 binds T1 urban's 13 respondents for linear (T1 rural takes up the town's
  # total) and bends the logit curve without reaching it. Raking: no bounds.
  bounds <- if (calfun == "raking") c(-Inf, Inf) else c(0.5, 1.85)
  cl <- calibrate(design, list(~town, ~urban), list(margins$town, margins$urban), calfun = calfun,
                  bounds = bounds, epsilon = 1e-12, maxit = 100)
  g <- weights(cl) / weights(design)
  at_bound <- sum(abs(g - bounds[2]) < 1e-9) / K
  df <- degf(cl)
  r <- results(cl, d, df)
  write_expected(r, case_dir(name), standard_extra(r, cl, d))
  write_weights(cl, d, case_dir(name))
  option <- if (calfun == "raking") "" else " --bounds 0.5,1.85"
  write_design(case_dir(name), c(
    sprintf("Case %s: the rake case's two-stage design and data, calibrated (GREG) to the household", name),
    "margins by town (margin_town.csv) and by urban (margin_urban.csv) with R's calibrate().",
    describe(d), calib_notes, "",
    "R:", "d <- read.csv(\"long.csv\")", std_two_stage_design_lines(),
    "pt <- read.csv(\"margin_town.csv\"); pt$Freq <- pt$Freq * 8",
    "pu <- read.csv(\"margin_urban.csv\"); pu$Freq <- pu$Freq * 8",
    sprintf("cl <- calibrate(design, list(~town, ~urban), list(pt, pu), calfun = \"%s\",", calfun),
    sprintf("                bounds = c(%s, %s), epsilon = 1e-12, maxit = 100)", bounds[1], bounds[2]),
    "  epsilon = 1e-12: every margin met to 1e-12 x (1 + its count) (R's default 1e-7 leaves the",
    "  weights converged to about 1e-7 only); pingyi iterates to the same 1e-12.",
    sprintf("  respondents whose g sits at the upper bound: %d", at_bound),
    "weights.csv: the calibrated weight of each respondent.",
    "Variance (svyrecvar, greg_calibration): x <- qr.resid(qr(X * sqrt(d)), x / (g * sqrt(d))) * g * sqrt(d),",
    "  X = model.matrix(~town + urban), d = the design weights, g = calibrated / design weight.",
    sprintf("DF = degf(cl) = %d", df), DF_NOTE, "",
    "pingyi:", sprintf("pingyi weights --responses long.csv --calibrate %s --margin town=margin_town.csv --margin urban=margin_urban.csv%s ..., then", calfun, option),
    pingyi_cmd(sprintf("--ids stage1_unit,stage2_unit --fpc stage1_N,stage2_N --strata stage1_stratum --weight weight --variance taylor --calibrate %s --margin town=margin_town.csv --margin urban=margin_urban.csv%s", calfun, option))))
}

{
  name <- "trim"
  d <- write_long(calib_data(1010), case_dir(name))
  design <- svydesign(ids = ~stage1_unit + stage2_unit, strata = ~stage1_stratum,
                      fpc = ~stage1_N + stage2_N, weights = ~weight, data = d)
  margins <- write_margins(case_dir(name))
  rk <- rake(design, list(~town, ~urban), list(margins$town, margins$urban), control = list(maxit = 200, epsilon = 1e-13))
  # Raked weights run from 50.8 to 368.8; trimmed to [60, 300].
  tr <- trimWeights(rk, lower = 60, upper = 300)
  trs <- trimWeights(rk, lower = 60, upper = 300, strict = TRUE)
  df <- degf(tr)
  r <- results(tr, d, df)
  e <- standard_extra(r, tr, d)
  rs <- svyby(~score + satisfied, ~unit, subset(trs, valid), svymean)
  e$score_strict <- g17(rs$score)
  e$score_se_strict <- g17(SE(rs)[, 1])
  write_expected(r, case_dir(name), e)
  write_weights(tr, d, case_dir(name))
  cw <- data.frame(case_id = d$case_id, w = weights(trs))[!duplicated(d$case_id), ]
  write.csv(data.frame(case_id = cw$case_id, calibrated_weight = g17(cw$w)),
            file.path(case_dir(name), "weights_strict.csv"), row.names = FALSE, quote = FALSE)
  trimmed <- sum(weights(rk) < 60 | weights(rk) > 300) / K
  write_design(case_dir(name), c(
    "Case trim: the rake case's design and data raked to the margin files, then the raked weights",
    "trimmed to [60, 300] with R's trimWeights(): weights outside are set to the bound and what was",
    "cut is shared equally among the weights inside (per row in R; every respondent has K rows, so",
    "per respondent as pingyi trims).",
    describe(d), calib_notes, "",
    "R:", "d <- read.csv(\"long.csv\")", std_two_stage_design_lines(),
    "pt, pu <- margin_town.csv, margin_urban.csv with Freq * 8",
    "rk <- rake(design, list(~town, ~urban), list(pt, pu), control = list(maxit = 200, epsilon = 1e-13))",
    "tr <- trimWeights(rk, lower = 60, upper = 300)            # expected.csv, weights.csv",
    "trs <- trimWeights(rk, lower = 60, upper = 300, strict = TRUE)  # extra.csv score_strict, score_se_strict; weights_strict.csv",
    sprintf("  respondents outside [60, 300] before trimming: %d", trimmed),
    "Variance: the raking residuals of rk (trimWeights changes the weights, not rk's postStrata).",
    sprintf("DF = degf(tr) = %d", df), DF_NOTE, "",
    "pingyi:", pingyi_cmd("--ids stage1_unit,stage2_unit --fpc stage1_N,stage2_N --strata stage1_stratum --weight weight --variance taylor --rake town,urban --margin town=margin_town.csv --margin urban=margin_urban.csv --trim 60,300 [--trim-strict]")))
}

cat("fixtures written to", HERE, "\n")
