# Reference values for calibrated designs (R survey 4.1.1: postStratify, rake, calibrate).
# Run from the repository root: Rscript tests/reference/make_reference_calibration.R
# Reads the api data written by make_reference.R (tests/reference/data).  Designs: apiclus1
# (one-stage cluster sample with fpc), apistrat (stratified, fpc) and the JK1 replicate
# version of apiclus1 (as.svrepdesign, mse = FALSE).  Population counts and totals are those
# of the api population (data(apipop)): stype E 4421, H 755, M 1018; sch.wide No 1072,
# Yes 5122; 6194 schools; sum of api99 3914069.
# The bounds bind for the full sample (linear: g >= 0.45, raking: g >= 0.55) and every JK1
# replicate still meets its totals within them.
# Calibrations are run to full convergence (epsilon far below R's defaults: rake's default
# stops when weighted counts move by less than one unit, calibrate's at a relative misfit of
# 1e-7), so the weights are the unique solution of the calibration equations.
# Writes tests/reference/calibration.csv: per calibration and statistic, estimate and SE.
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail")
dd <- "tests/reference/data"
apiclus1 <- read.csv(file.path(dd, "apiclus1.csv"))
apistrat <- read.csv(file.path(dd, "apistrat.csv"))
for (nm in c("apiclus1", "apistrat")) {
  a <- get(nm)
  a$stype <- factor(a$stype, levels = c("E", "H", "M"))
  a$sch.wide <- factor(a$sch.wide, levels = c("No", "Yes"))
  assign(nm, a)
}
dclus1 <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)
rclus1 <- as.svrepdesign(dclus1, type = "JK1")
bases <- list(dclus1 = dclus1, dstrat = dstrat, rclus1_jk1 = rclus1)

pop_stype <- data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018))
pop_sch <- data.frame(sch.wide = c("No", "Yes"), Freq = c(1072, 5122))
totals <- c(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, api99 = 3914069)
rake_ctl <- list(maxit = 1000, epsilon = 1e-14)   # < 1: times the sum of the weights
eps <- 1e-12
calibrations <- list(
  post_stype = function(d) postStratify(d, ~stype, pop_stype),
  rake = function(d) rake(d, list(~stype, ~sch.wide), list(pop_stype, pop_sch),
                          control = rake_ctl),
  linear = function(d) calibrate(d, ~stype + api99, totals),
  linear_bounded = function(d) calibrate(d, ~stype + api99, totals, bounds = c(0.45, 2.5),
                                         calfun = "linear", epsilon = eps, maxit = 200),
  raking = function(d) calibrate(d, ~stype + api99, totals, calfun = "raking",
                                 epsilon = eps, maxit = 200),
  raking_bounded = function(d) calibrate(d, ~stype + api99, totals, calfun = "raking",
                                         bounds = c(0.55, 2.5), epsilon = eps, maxit = 200),
  logit = function(d) calibrate(d, ~stype + api99, totals, calfun = "logit",
                                bounds = c(0.55, 2.5), epsilon = eps, maxit = 200)
)
f17 <- function(x) sprintf("%.17g", x)
rows <- list()
add <- function(base, cal, stat, domain, est, se)
  rows[[length(rows) + 1]] <<- data.frame(design = base, calibration = cal, statistic = stat,
                                          domain = domain, estimate = f17(est), se = f17(se))
options(warn = 2)  # a replicate that fails to calibrate is an error here, not a warning
for (bn in names(bases)) for (cn in names(calibrations)) {
  if (bn == "dstrat" && cn != "post_stype" && cn != "linear") next
  d <- calibrations[[cn]](bases[[bn]])
  m <- svymean(~api00, d); add(bn, cn, "mean_api00", "", coef(m), SE(m))
  t <- svytotal(~enroll, d); add(bn, cn, "total_enroll", "", coef(t), SE(t))
  t <- svytotal(~api99, d); add(bn, cn, "total_api99", "", coef(t), SE(t))
  b <- svyby(~api00, ~sch.wide, d, svymean)
  add(bn, cn, "mean_api00", paste0("sch.wide=", b$sch.wide), coef(b), SE(b))
  b <- svyby(~enroll, ~stype, d, svytotal)
  add(bn, cn, "total_enroll", paste0("stype=", b$stype), coef(b), SE(b))
  b <- svyby(~api00, ~awards, d, svymean)
  add(bn, cn, "mean_api00", paste0("awards=", b$awards), coef(b), SE(b))
}
write.csv(do.call(rbind, rows), "tests/reference/calibration.csv", row.names = FALSE)
