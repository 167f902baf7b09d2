#!/usr/bin/env Rscript
# Reference values from R's `sampling` package for pingyi's Sampling tests.
#
#   Rscript Tests/SamplingTests/Fixtures/make_fixtures.R
#
# Writes the CSV files next to this script (see README.md in this folder). Made with
# R 4.2.2 and Debian's r-cran-sampling 2.9; the script stops if another version is loaded.
# Numbers are written with sprintf("%.17g") so that doubles round-trip exactly.
#
# Every UPsystematic draw below is also recomputed from its random start u with the rule written in
# docs/algorithms/sampling.md (section 2); the script stops if the two disagree.

suppressPackageStartupMessages(library(sampling))
if (packageVersion("sampling") != "2.9") stop("expected sampling 2.9, found ", packageVersion("sampling"))
RNGkind("Mersenne-Twister", "Inversion", "Rejection") # the R >= 3.6 defaults, stated explicitly

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
out_dir <- if (length(script) == 1) dirname(normalizePath(script)) else getwd()

num <- function(x) ifelse(is.na(x), "", sprintf("%.17g", as.double(x)))

write_fixture <- function(df, name) {
  for (j in seq_along(df)) if (is.numeric(df[[j]])) df[[j]] <- num(df[[j]])
  write.csv(df, file.path(out_dir, name), row.names = FALSE, quote = FALSE, na = "")
  cat(sprintf("%-28s %5d rows\n", name, nrow(df)))
}

# The selection rule of docs/algorithms/sampling.md, section 2: among the kept units
# (eps < pik < 1 - eps), unit i is selected iff floor(C_i - u) > floor(C_{i-1} - u), where
# C_i is the cumulative sum of the kept probabilities (C_0 = 0). Other units keep their pik value.
rule_upsystematic <- function(pik, u, eps = 1e-6) {
  keep <- pik > eps & pik < 1 - eps
  d <- floor(c(0, cumsum(pik[keep])) - u)
  s <- pik
  s[keep] <- as.numeric(d[-1] > d[-length(d)])
  s
}

# UPsystematic(pik) after set.seed(seed), with the random start it used.
draw_upsystematic <- function(pik, seed) {
  set.seed(seed)
  u <- runif(1)
  set.seed(seed)
  s <- UPsystematic(pik)
  if (!identical(s, rule_upsystematic(pik, u))) stop("documented rule disagrees with UPsystematic, seed ", seed)
  list(u = u, s = s)
}

# ---------------------------------------------------------------------------------------------
# 1. inclusionprobabilities(a, n)
# ---------------------------------------------------------------------------------------------
ip_cases <- list(
  list("no_certainty", c(10, 20, 30, 40, 50), 2),
  list("one_round", c(1000, 10, 20, 30, 40, 50, 60), 3),
  list("two_rounds", c(3000, 1200, 700, 650, 90, 80, 60, 40, 30, 20), 5),
  list("exact_one_after_rescale", c(500, 300, 100, 50, 40, 10), 4),
  list("ties", c(5, 5, 5, 5, 3, 3, 3, 3), 3),
  list("tied_certainty", c(50, 50, 1, 1, 1, 1), 3),
  list("n_equals_nonzero", c(3, 0, 7, 1, 0, 2), 4),
  list("zero_sizes", c(0, 12, 0, 30, 8, 0, 50), 2),
  list("all_zero", c(0, 0, 0), 2),
  list("n_exceeds_nonzero", c(4, 0, 1), 3),
  list("near_one_quirk", c(1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1), 12),
  list("villages", c(412, 95, 130, 1780, 66, 240, 310, 58, 75, 188, 920, 143), 3)
)
ip <- do.call(rbind, lapply(ip_cases, function(k) {
  pik <- suppressWarnings(inclusionprobabilities(k[[2]], k[[3]]))
  data.frame(case = k[[1]], n = k[[3]], index = seq_along(k[[2]]), size = k[[2]], pik = pik)
}))
write_fixture(ip, "inclusionprobabilities.csv")

# ---------------------------------------------------------------------------------------------
# 2. UPsystematic(pik) for recorded random starts
# ---------------------------------------------------------------------------------------------
set.seed(7)
u_boundary <- runif(1) # the start seed 7 gives; case "boundary" puts C_1 exactly on it
long_sizes <- round(exp(seq(0, 3, length.out = 40)) * 10 + (1:40 %% 7) * 3)
up_cases <- list(
  list("equal_3_of_10", rep(3 / 10, 10), 1),
  list("pps_no_certainty", inclusionprobabilities(c(10, 20, 30, 40, 50), 2), 2),
  list("with_ones", c(1, 0.2, 0.5, 1, 0.3, 0.6, 0.4), 3),
  list("with_zeros", c(0, 0.25, 0.25, 0, 0.5, 0.5, 0.5), 4),
  list("fractional_sum_a", c(0.3, 0.4, 0.5, 0.2), 5),
  list("fractional_sum_b", c(0.3, 0.4, 0.5, 0.2), 6),
  list("boundary", c(u_boundary, 1 - u_boundary, 0.5, 0.5), 7),
  list("eps_excluded", c(5e-7, 0.4999995, 0.5, 1, 0.6, 0.4), 8),
  list("near_one_quirk", inclusionprobabilities(c(34, 96, 66, 23, 172, 146, 11), 6), 9),
  list("pps_certainty", inclusionprobabilities(c(3000, 1200, 700, 650, 90, 80, 60, 40, 30, 20), 5), 10),
  list("pps_40_units", inclusionprobabilities(long_sizes, 7), 11),
  list("equal_15_of_200", rep(15 / 200, 200), 12),
  list("all_certain", c(1, 1, 1), 13)
)
up <- do.call(rbind, lapply(up_cases, function(k) {
  d <- draw_upsystematic(k[[2]], k[[3]])
  data.frame(case = k[[1]], seed = k[[3]], u = d$u, index = seq_along(k[[2]]), pik = k[[2]], selected = d$s)
}))
write_fixture(up, "upsystematic.csv")

# ---------------------------------------------------------------------------------------------
# 3. strata(frame, "stratum", size, method = "systematic", pik = rep(1, N)): equal probabilities
# ---------------------------------------------------------------------------------------------
# A 60-row frame: strata A..D of 22, 15, 13 and 10 rows, each sorted by town (implicit stratification).
stratum_block <- function(st, N) {
  towns <- sort(sprintf("town%02d", ((0:(N - 1)) * 5) %% 8 + 1))
  data.frame(stratum = st, town = towns, stringsAsFactors = FALSE)
}
blocks <- list(A = stratum_block("A", 22), B = stratum_block("B", 15), C = stratum_block("C", 13), D = stratum_block("D", 10))
sizes_by_stratum <- c(A = 5, B = 4, C = 3, D = 10) # D: n = N, every row taken (pik = 1)

strata_systematic_case <- function(case, order, seed) {
  frame <- do.call(rbind, blocks[order])
  rownames(frame) <- NULL
  size <- unname(sizes_by_stratum[order]) # strata() takes sizes in order of first appearance
  set.seed(seed)
  res <- strata(frame, "stratum", size = size, method = "systematic", pik = rep(1, nrow(frame)))
  set.seed(seed)
  us <- runif(length(order)) # one runif(1) per stratum, in order of first appearance
  out <- NULL
  for (h in seq_along(order)) {
    y <- which(frame$stratum == order[h])
    pikk <- inclusionprobabilities(rep(1, length(y)), size[h])
    s <- rule_upsystematic(pikk, us[h])
    r <- res[res$Stratum == h, ]
    if (!identical(y[s == 1], r$ID_unit)) stop(case, ": selection differs from strata() in stratum ", order[h])
    if (!identical(pikk[s == 1], r$Prob)) stop(case, ": Prob differs from strata() in stratum ", order[h])
    out <- rbind(out, data.frame(case = case, row = y, stratum = order[h], town = frame$town[y],
      selected = as.integer(s == 1), prob = pikk, N_h = length(y), n_h = size[h], seed = seed,
      stratum_rank = h, u = us[h]))
  }
  out[order(out$row), ]
}
ss <- rbind(
  strata_systematic_case("sorted", c("A", "B", "C", "D"), 101),
  strata_systematic_case("sorted_seed2", c("A", "B", "C", "D"), 102),
  strata_systematic_case("first_appearance", c("C", "A", "D", "B"), 202)
)
write_fixture(ss, "strata_systematic.csv")

# ---------------------------------------------------------------------------------------------
# 4. Stratified PPS-systematic: strata(villages, "stratum", size, "systematic", pik = households)
# ---------------------------------------------------------------------------------------------
villages <- rbind(
  data.frame(stratum = "T01-urban", size = c(820, 140, 95, 60, 45, 40)),                      # n = 2: one certainty
  data.frame(stratum = "T01-rural", size = c(3000, 1200, 700, 650, 90, 80, 60, 40, 30, 20)),  # n = 5: two rounds
  data.frame(stratum = "T02-rural", size = c(212, 95, 130, 178, 66, 240, 310, 58, 75, 188, 92, 143)), # n = 3: none
  data.frame(stratum = "T02-urban", size = c(510, 260))                                       # n = 2 = N: both
)
villages$village <- sprintf("V%02d", seq_len(nrow(villages)))
pps_sizes <- c(2, 5, 3, 2)
pps_case <- function(case, seed) {
  st <- unique(villages$stratum)
  set.seed(seed)
  res <- strata(villages, "stratum", size = pps_sizes, method = "systematic", pik = villages$size)
  set.seed(seed)
  us <- runif(length(st))
  out <- NULL
  for (h in seq_along(st)) {
    y <- which(villages$stratum == st[h])
    pikk <- inclusionprobabilities(villages$size[y], pps_sizes[h])
    s <- rule_upsystematic(pikk, us[h])
    r <- res[res$Stratum == h, ]
    if (!identical(y[s == 1], r$ID_unit) || !identical(pikk[s == 1], r$Prob)) stop(case, ": differs in ", st[h])
    out <- rbind(out, data.frame(case = case, row = y, stratum = st[h], village = villages$village[y],
      size = villages$size[y], pik = pikk, N_h = length(y), n_h = pps_sizes[h],
      selected = as.integer(s == 1), seed = seed, stratum_rank = h, u = us[h]))
  }
  out
}
write_fixture(rbind(pps_case("pps_seed1", 31), pps_case("pps_seed2", 32)), "strata_pps.csv")

# ---------------------------------------------------------------------------------------------
# 5. Allocation across strata (no R function: the rule of docs/algorithms/sampling.md, section 6)
# ---------------------------------------------------------------------------------------------
# Targets t_h = clamp(lambda * w_h, lo_h, hi_h) with lambda such that sum(t) = n, lo_h = min(m, N_h),
# hi_h = N_h with take-all and +Inf without; then largest remainder rounding, ties to the earlier stratum.
allocate <- function(N, w, n, m, take_all) {
  H <- length(N)
  fail <- function(msg) list(target = rep(NA, H), alloc = rep(NA, H), error = msg)
  if (n > sum(N)) return(fail(sprintf("total %d exceeds the %d units of all strata", n, sum(N))))
  if (!take_all && any(N < m)) {
    h <- which(N < m)[1]
    return(fail(sprintf("stratum %d has %d units; fewer than the minimum %d", h, N[h], m)))
  }
  lo <- pmin(m, N)
  hi <- if (take_all) N else rep(Inf, H)
  if (sum(lo) > n) return(fail(sprintf("the minimum %d per stratum needs %d units; more than the total %d", m, sum(lo), n)))
  g <- function(l) sum(pmin(pmax(l * w, lo), hi))
  pos <- w > 0
  if (!any(pos) && sum(lo) < n) return(fail("all weights are zero"))
  breaks <- sort(unique(c(0, (lo / w)[pos], (hi / w)[pos & is.finite(hi)])))
  b <- max(breaks[sapply(breaks, g) <= n])
  low <- !pos | (lo / w > b)                 # at the lower bound just above b
  high <- pos & (hi / w <= b)                # at the upper bound
  inner <- !low & !high
  rest <- n - sum(lo[low]) - sum(hi[high])
  W <- sum(w[inner])
  t <- ifelse(low, lo, ifelse(high, hi, 0))
  fl <- t
  key <- rep(0, H)
  if (any(inner)) {
    if (all(w[inner] == round(w[inner])) && rest * max(w[inner]) < 2^53) { # exact integer arithmetic
      prod <- rest * w[inner]
      fl[inner] <- prod %/% W
      key[inner] <- prod %% W
    } else {
      x <- rest * w[inner] / W
      fl[inner] <- floor(x)
      key[inner] <- round((x - floor(x)) * 1e9)
    }
    t[inner] <- rest * w[inner] / W
  }
  if (!take_all && any(t > N)) {
    h <- which(t > N)[1]
    return(fail(sprintf("stratum %d needs %.4g units but has %d; set take-all", h, t[h], N[h])))
  }
  D <- n - sum(fl)
  up <- order(-key, seq_len(H))[seq_len(D)]
  alloc <- fl
  alloc[up] <- alloc[up] + 1
  stopifnot(sum(alloc) == n, all(alloc >= lo), all(alloc <= N))
  list(target = t, alloc = alloc, error = "")
}

alloc_cases <- list(
  list("prop_ties", "proportional", c(1200, 800, 500, 300, 200), NA, 100, 1, FALSE),
  list("prop_min3", "proportional", c(5000, 3000, 150, 60, 40), NA, 80, 3, FALSE),
  list("prop_min_small_stratum_take_all", "proportional", c(900, 600, 2), NA, 30, 3, TRUE),
  list("prop_min_small_stratum_error", "proportional", c(900, 600, 2), NA, 30, 3, FALSE),
  list("equal_take_all", "equal", c(100, 40, 8, 5, 30), NA, 60, 1, TRUE),
  list("equal_error", "equal", c(100, 40, 8, 5, 30), NA, 60, 1, FALSE),
  list("equal_exact", "equal", c(50, 60, 70, 80), NA, 40, 1, FALSE),
  list("neyman", "neyman", c(2000, 1500, 400, 100), c(10, 20, 30, 15), 200, 2, FALSE),
  list("neyman_take_all", "neyman", c(1000, 500, 12), c(5, 10, 150), 100, 1, TRUE),
  list("neyman_zero_sd", "neyman", c(300, 300, 300), c(0, 12, 4), 30, 1, FALSE),
  list("min_exceeds_total", "proportional", c(3, 3, 3), NA, 2, 1, FALSE),
  list("total_exceeds_frame", "equal", c(3, 4, 5), NA, 13, 1, TRUE)
)
al <- do.call(rbind, lapply(alloc_cases, function(k) {
  N <- k[[3]]
  S <- k[[4]]
  w <- switch(k[[2]], proportional = N, equal = rep(1, length(N)), neyman = N * S)
  a <- allocate(N, w, k[[5]], k[[6]], k[[7]])
  data.frame(case = k[[1]], rule = k[[2]], total = k[[5]], min = k[[6]], take_all = tolower(k[[7]]),
    stratum = seq_along(N), N = N, S = if (length(S) == 1 && is.na(S)) NA else S, weight = w,
    target = a$target, allocated = a$alloc, error = a$error)
}))
write_fixture(al, "allocation.csv")

# ---------------------------------------------------------------------------------------------
# 6. Sample sizes (docs/algorithms/sampling.md, section 8)
# ---------------------------------------------------------------------------------------------
size_case <- function(case, measure, p = NA, sd = NA, margin, confidence, deff = 1, response = 1, N = NA) {
  z <- qnorm(1 - (1 - confidence) / 2)
  v <- if (measure == "proportion") p * (1 - p) else sd^2
  n0 <- z^2 * v / margin^2
  n_deff <- n0 * deff
  n_fpc <- if (is.na(N)) n_deff else n_deff / (1 + (n_deff - 1) / N)
  respondents <- ceiling(n_fpc - 1e-9)
  to_draw <- ceiling(respondents / response - 1e-9)
  data.frame(case = case, measure = measure, p = p, sd = sd, margin = margin, confidence = confidence,
    z = z, deff = deff, response_rate = response, N = N, n0 = n0, n_deff = n_deff, n_fpc = n_fpc,
    respondents = respondents, to_draw = to_draw)
}
sz <- rbind(
  size_case("classic", "proportion", p = 0.5, margin = 0.05, confidence = 0.95),
  size_case("county_households", "proportion", p = 0.5, margin = 0.05, confidence = 0.95, deff = 1.5, response = 0.7, N = 8000),
  size_case("department_mean_score", "mean", sd = 20, margin = 3, confidence = 0.95, deff = 1.2, response = 0.8, N = 1500),
  size_case("deputies_roster", "proportion", p = 0.5, margin = 0.10, confidence = 0.95, response = 0.9, N = 300),
  size_case("expected_rate_90pct", "proportion", p = 0.8, margin = 0.04, confidence = 0.90, deff = 2, response = 0.5),
  size_case("unit_mean_score", "mean", sd = 15, margin = 5, confidence = 0.95, response = 0.6, N = 20000)
)
write_fixture(sz, "sample_size.csv")

# ---------------------------------------------------------------------------------------------
# 7. R's uniform stream (set.seed(seed); runif) for an optional R-compatible generator
# ---------------------------------------------------------------------------------------------
# Draws 1-3 and 623-627 cross the first and second regeneration of the Mersenne-Twister state.
rng <- do.call(rbind, lapply(c(1, 7, 42, 101, 20261122, 2147483647), function(seed) {
  set.seed(seed)
  u <- runif(627)
  k <- c(1:3, 623:627)
  data.frame(seed = seed, draw = k, u = u[k])
}))
write_fixture(rng, "r_uniform.csv")

# ---------------------------------------------------------------------------------------------
# 8. srswor(n, N): positions in the order sample.int(N, n) draws them (R >= 3.6 "Rejection")
# ---------------------------------------------------------------------------------------------
sw <- do.call(rbind, lapply(list(list(1, 10, 3), list(7, 1000, 15), list(99, 37, 37), list(5, 70000, 4)), function(k) {
  set.seed(k[[1]])
  pos <- sample.int(k[[2]], k[[3]])
  set.seed(k[[1]])
  s <- srswor(k[[3]], k[[2]])
  if (!identical(which(s == 1), sort(pos))) stop("srswor differs from sample.int, seed ", k[[1]])
  data.frame(seed = k[[1]], N = k[[2]], n = k[[3]], draw = seq_along(pos), position = pos)
}))
write_fixture(sw, "srswor.csv")
