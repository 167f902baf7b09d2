#!/usr/bin/env Rscript
# The worked example of docs/algorithms/estimation.md: every intermediate quantity of R survey's
# domain mean and its variance on an 11-row two-stage design, computed step by step from the
# formulas of the doc, and checked against survey's own svyby / svymean / as.svrepdesign.
#
# Usage: Rscript Tests/AnalyticsTests/Fixtures/worked_example.R
suppressPackageStartupMessages(library(survey))
options(digits = 17)
p <- function(...) cat(sprintf(...), "\n", sep = "")

d <- data.frame(
  row     = 1:11,
  stratum = c("S1", "S1", "S1", "S1", "S1", "S2", "S2", "S2", "S2", "S2", "S2"),
  village = c("V1", "V1", "V2", "V2", "V2", "V3", "V3", "V4", "V4", "V5", "V5"),
  N1      = c(4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5),
  house   = sprintf("h%d", 1:11),
  N2      = c(10, 10, 6, 6, 6, 8, 8, 5, 5, 12, 12),
  unit    = c("A", "A", "A", "A", "A", "A", "A", "B", "B", "A", "A"),
  tier    = c(1, 3, 2, 4, 7, 1, 2, 1, 2, 3, 1),
  stringsAsFactors = FALSE)
n1 <- c(S1 = 2, S2 = 3)
m <- c(V1 = 2, V2 = 3, V3 = 2, V4 = 2, V5 = 2)
d$weight <- d$N1 / n1[d$stratum] * d$N2 / m[d$village]
d$valid <- d$tier %in% 1:4
d$score <- ifelse(d$valid, c(100, 80, 60, 0)[pmin(d$tier, 4)], 0)
d$satisfied <- as.numeric(d$tier %in% 1:3)
cat("== data\n")
print(d[, c("row", "stratum", "village", "N1", "house", "N2", "unit", "tier", "weight", "score", "satisfied")], row.names = FALSE)

design <- svydesign(ids = ~village + house, strata = ~stratum, fpc = ~N1 + N2, weights = ~weight, data = d)
res <- svyby(~score + satisfied, ~unit, subset(design, valid), svymean, deff = TRUE)

# ---- by hand, domain A, variable score ----
dom <- d$unit == "A" & d$valid
by_hand <- function(y, label) {
  cat("\n== domain A,", label, "\n")
  w <- ifelse(dom, d$weight, 0)
  W <- sum(w)
  ybar <- sum(w * y) / W
  p("W = sum of domain weights = %.17g", W)
  p("mean = sum(w y)/W = %.17g", ybar)
  z <- ifelse(dom, w * (y - ybar) / W, 0)
  cat("linearized values z_i = w_i (y_i - mean) / W (0 outside the domain):\n")
  for (i in which(dom)) p("  row %2d  z = %.17g", i, z[i])
  V1 <- 0
  cat("stage 1 (villages within strata):\n")
  for (h in c("S1", "S2")) {
    vill <- unique(d$village[d$stratum == h])           # PSUs of the FULL design
    nh <- length(vill); Nh <- d$N1[d$stratum == h][1]
    t <- sapply(vill, function(v) sum(z[d$village == v]))
    f <- (Nh - nh) / Nh
    c1 <- f * nh / (nh - 1) * sum((t - mean(t))^2)
    p("  %s: n=%d N=%g f=(N-n)/N=%.17g PSU totals %s (mean %.17g) -> f n/(n-1) sum(t-tbar)^2 = %.17g",
      h, nh, Nh, f, paste(sprintf("%s=%.17g", vill, t), collapse = " "), mean(t), c1)
    V1 <- V1 + c1
  }
  V2 <- 0
  cat("stage 2 (households within villages), each multiplied by n1/N1:\n")
  for (v in unique(d$village[dom])) {
    hs <- unique(d$house[d$village == v]); mv <- length(hs); Nv <- d$N2[d$village == v][1]
    h <- d$stratum[d$village == v][1]; nh <- n1[[h]]; Nh <- d$N1[d$village == v][1]
    t <- sapply(hs, function(x) sum(z[d$house == x]))
    f <- (Nv - mv) / Nv
    c2 <- f * mv / (mv - 1) * sum((t - mean(t))^2)
    p("  %s: m=%d N2=%g f=%.17g SSU totals %s -> %.17g x n1/N1 (%g/%g) = %.17g",
      v, mv, Nv, f, paste(sprintf("%.17g", t), collapse = " "), c2, nh, Nh, c2 * nh / Nh)
    V2 <- V2 + c2 * nh / Nh
  }
  V <- V1 + V2
  p("V = stage 1 %.17g + stage 2 %.17g = %.17g ; SE = %.17g", V1, V2, V, sqrt(V))
  n <- sum(dom)
  s2 <- sum(w * (y - ybar)^2) / W * n / (n - 1)
  vsrs <- s2 * (W - n) / (W * n)
  p("deff: n=%d s2 = n/(n-1) sum(w (y-mean)^2)/W = %.17g ; Vsrs = s2 (W-n)/(W n) = %.17g ; deff = V/Vsrs = %.17g",
    n, s2, vsrs, V / vsrs)
  c(mean = ybar, se = sqrt(V), deff = V / vsrs)
}
a <- by_hand(d$score, "score")
b <- by_hand(d$satisfied, "satisfied (rate)")

cat("\n== survey's svyby(~score+satisfied, ~unit, subset(design, valid), svymean, deff=TRUE)\n")
print(res)
stopifnot(abs(a[["se"]] / SE(res)[1, 1] - 1) < 1e-12, abs(b[["se"]] / SE(res)[1, 2] - 1) < 1e-12,
          abs(a[["deff"]] / res$DEff.score[1] - 1) < 1e-12)
df <- degf(design)
p("degf(design) = %d villages - %d strata = %d ; qt(0.975, %d) = %.17g", 5, 2, df, df, qt(0.975, df))
print(confint(res, df = df))

cat("\n== without fpc (with-replacement ultimate cluster, stage 1 only, f = 1)\n")
design_wr <- svydesign(ids = ~village + house, strata = ~stratum, weights = ~weight, data = d)
print(svyby(~score + satisfied, ~unit, subset(design_wr, valid), svymean))

cat("\n== JKn replicates (as.svrepdesign(design, type='JKn'); stage-1 fpc only)\n")
rep <- suppressWarnings(as.svrepdesign(design, type = "JKn"))
p("rscales = %s ; scale = %g ; mse = %s", paste(sprintf("%.17g", rep$rscales), collapse = " "), rep$scale, rep$mse)
wa <- weights(rep, "analysis")
w <- ifelse(dom, 1, 0) * wa
th <- colSums(w * d$score) / colSums(w)
for (r in seq_along(th)) p("  replicate %d deletes %s: domain-A score %.17g", r,
                           unique(d$village[wa[, r] == 0]), th[r])
vj <- sum(rep$rscales * (th - mean(th))^2) * rep$scale
p("v (mse=FALSE, centred at mean of replicates %.17g) = %.17g ; SE = %.17g", mean(th), vj, sqrt(vj))
vm <- sum(rep$rscales * (th - a[["mean"]])^2) * rep$scale
p("v (mse=TRUE, centred at the estimate) = %.17g ; SE = %.17g", vm, sqrt(vm))
print(svyby(~score, ~unit, subset(rep, valid), svymean))

cat("\n== lonely PSU: add stratum S3 with one village V6 (N1 = 3) of 7 households, 2 sampled\n")
d3 <- rbind(d[, names(d)], data.frame(row = 12:13, stratum = "S3", village = "V6", N1 = 3, house = c("h12", "h13"),
                                      N2 = 7, unit = "A", tier = c(2, 4), weight = 3 * 7 / 2, valid = TRUE,
                                      score = c(80, 0), satisfied = c(1, 0)))
design3 <- svydesign(ids = ~village + house, strata = ~stratum, fpc = ~N1 + N2, weights = ~weight, data = d3)
for (rule in c("fail", "remove", "certainty", "adjust", "average")) {
  options(survey.lonely.psu = rule)
  r <- tryCatch({ x <- svyby(~score, ~unit, subset(design3, valid), svymean)
                  sprintf("mean %.17g SE %.17g", x$score[1], SE(x)[1]) },
                error = function(e) paste("error:", conditionMessage(e)))
  p("  %-9s %s", rule, r)
}
options(survey.lonely.psu = "fail")
# By hand: stage-1 contributions per stratum and the stage-2 sum for d3's domain A.
dom3 <- d3$unit == "A" & d3$valid
w3 <- ifelse(dom3, d3$weight, 0); W3 <- sum(w3); m3 <- sum(w3 * d3$score) / W3
z3 <- ifelse(dom3, w3 * (d3$score - m3) / W3, 0)
n1_3 <- c(S1 = 2, S2 = 3, S3 = 1)
stage1 <- sapply(c("S1", "S2"), function(h) {
  vill <- unique(d3$village[d3$stratum == h]); nh <- length(vill); Nh <- d3$N1[d3$stratum == h][1]
  t <- sapply(vill, function(v) sum(z3[d3$village == v]))
  (Nh - nh) / Nh * nh / (nh - 1) * sum((t - mean(t))^2)
})
stage2 <- sum(sapply(unique(d3$village[dom3]), function(v) {
  hs <- unique(d3$house[d3$village == v]); mv <- length(hs); Nv <- d3$N2[d3$village == v][1]
  h <- d3$stratum[d3$village == v][1]
  t <- sapply(hs, function(x) sum(z3[d3$house == x]))
  (Nv - mv) / Nv * mv / (mv - 1) * sum((t - mean(t))^2) * n1_3[[h]] / d3$N1[d3$village == v][1]
}))
t6 <- sum(z3[d3$stratum == "S3"])
p("  by hand: mean %.17g; stage-1 S1 %.17g, S2 %.17g; stage 2 (all villages, V6 included, x n1/N1) %.17g",
  m3, stage1[[1]], stage1[[2]], stage2)
p("  S3's single PSU total t = %.17g; f = (N-n)/N = (3-1)/3", t6)
p("  remove/certainty: V = S1 + S2 + stage2 = %.17g ; SE %.17g", sum(stage1) + stage2, sqrt(sum(stage1) + stage2))
p("  adjust:  V = S1 + S2 + f t^2 + stage2 = %.17g ; SE %.17g", sum(stage1) + 2 / 3 * t6^2 + stage2,
  sqrt(sum(stage1) + 2 / 3 * t6^2 + stage2))
p("  average: V = (S1 + S2) x 3 strata / 2 non-lonely + stage2 = %.17g ; SE %.17g", sum(stage1) * 3 / 2 + stage2,
  sqrt(sum(stage1) * 3 / 2 + stage2))
