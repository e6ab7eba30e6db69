# Reference values (R survey 4.1.1) for: svyciprop(method = "likelihood"); totals and means
# of a factor's levels (svytotal(~factor), svymean(~factor), overall and with svyby);
# nonlinear contrasts (svycontrast with expressions: delta method on svystat/svyby/svyglm
# output, replicate-based when the svyrep statistic or svrepglm carries its replicates);
# conversions to replicate designs (as.svrepdesign type JK1, JKn, BRR, Fay) with their
# replicate weights and SEs; and Hadamard matrices (survey::hadamard) for n = 1..100.
# Run from the repository root: Rscript tests/reference/make_reference_extras.R
# Reads the data written by make_reference.R (tests/reference/data); writes
# tests/reference/extras.csv in long form: design, call, quantity, value.
# "svyciprop_likelihood" is R's own call (its svyglm stops at glm.control()'s epsilon 1e-8);
# "svyciprop_likelihood_converged" profiles the same way from the fit run to epsilon 1e-13,
# the unique solution carecost computes.
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail")
dd <- "tests/reference/data"
prep <- function(a) {
  a$stype <- factor(a$stype, levels = c("E", "H", "M"))
  a$sch.wide <- factor(a$sch.wide, levels = c("No", "Yes"))
  a$awards <- factor(a$awards, levels = c("No", "Yes"))
  a$yes <- as.numeric(a$sch.wide == "Yes")
  a
}
apistrat <- prep(read.csv(file.path(dd, "apistrat.csv")))
apiclus1 <- prep(read.csv(file.path(dd, "apiclus1.csv")))
apiclus2 <- prep(read.csv(file.path(dd, "apiclus2.csv")))
sdr <- read.csv(file.path(dd, "sdr_synth.csv"))
sdr$sex <- factor(sdr$sex, levels = c("female", "male"))
sdr$agegrp <- factor(sdr$agegrp, levels = c("15-29", "30-49", "50+"))
sdr$act <- factor(sdr$act, levels = c("a", "b", "c"))
designs <- list(
  dstrat = svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat),
  dclus1 = svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1),
  dclus2 = svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2, data = apiclus2),
  dsdr = svrepdesign(data = sdr, weights = ~w, repweights = "repw[0-9]+",
                     type = "successive-difference", mse = TRUE)
)
designs$rclus1_jk1 <- as.svrepdesign(designs$dclus1, type = "JK1")   # mse = FALSE
f17 <- function(x) sprintf("%.17g", x)
rows <- list()
add <- function(design, call, quantity, value)
  rows[[length(rows) + 1]] <<- data.frame(design = design, call = call, quantity = quantity,
                                          value = f17(as.vector(value)))

## 1. svyciprop(method = "likelihood")
for (dn in names(designs)) {
  d <- designs[[dn]]
  yv <- if (dn != "dsdr") "yes" else "d"
  ci <- svyciprop(as.formula(paste0("~I(", yv, " == 1)")), d, method = "likelihood")
  call <- paste0("svyciprop_likelihood:", yv)
  add(dn, call, c("estimate", "se"), c(coef(ci), SE(ci)))
  add(dn, call, c("ci_low", "ci_high"), attr(ci, "ci"))
  fit <- svyglm(as.formula(paste(yv, "~ 1")), d, family = quasibinomial(),
                control = glm.control(epsilon = 1e-13, maxit = 100))
  ci2 <- plogis(suppressMessages(confint(fit, 1, method = "likelihood", ddf = degf(d))))
  add(dn, paste0("svyciprop_likelihood_converged:", yv), c("ci_low", "ci_high"), ci2)
}

## 2. totals and means of a factor's levels
for (dn in names(designs)) {
  d <- designs[[dn]]
  api <- dn != "dsdr"
  fac <- if (api) "stype" else "agegrp"
  dom <- if (api) "awards" else "sex"
  for (fn in c("svytotal", "svymean")) {
    est <- get(fn)(as.formula(paste("~", fac)), d)
    call <- paste0(fn, ":", fac)
    lev <- sub(paste0("^", fac), "", names(coef(est)))
    add(dn, call, paste0(lev, ":estimate"), coef(est))
    add(dn, call, paste0(lev, ":se"), SE(est))
    by <- svyby(as.formula(paste("~", fac)), as.formula(paste("~", dom)), d, get(fn))
    call <- paste0(fn, "_by:", fac, ":", dom)
    cf <- coef(by)   # names "<domain>:<factor><level>"
    nm <- sub(paste0(":", fac), ":", names(cf))
    add(dn, call, paste0(nm, ":estimate"), cf)
    add(dn, call, paste0(nm, ":se"), sqrt(diag(suppressWarnings(vcov(by)))))
  }
}

## 3. nonlinear contrasts
for (dn in names(designs)) {
  d <- designs[[dn]]
  api <- dn != "dsdr"
  rep <- inherits(d, "svyrep.design")
  if (api) {
    by <- if (rep) svyby(~api00, ~stype, d, svymean, return.replicates = TRUE) else
      svyby(~api00, ~stype, d, svymean, covmat = TRUE)
    con <- list(logEM = quote(log(E / M)), ratioHM = quote(H / M),
                mix = quote(exp(E / 1000) - sqrt(H) * M / 700))
    m2 <- if (rep) svymean(~api00 + api99, d, return.replicates = TRUE) else
      svymean(~api00 + api99, d)
    con2 <- list(growth = quote(log(api00 / api99)), pct = quote(100 * (api00 - api99) / api99))
  } else {
    by <- svyby(~y, ~sex, d, svymean, return.replicates = TRUE)
    con <- list(logFM = quote(log(female / male)), ratioFM = quote(female / male))
    m2 <- svymean(~y + x, d, return.replicates = TRUE)
    con2 <- list(growth = quote(log(y / x)), pct = quote(100 * (y - x) / x))
  }
  for (k in seq_along(con)) {
    s <- svycontrast(by, con[k])
    add(dn, "nlcon_by", paste0(names(con)[k], c(":estimate", ":se")), c(coef(s), SE(s)))
  }
  for (k in seq_along(con2)) {
    s <- svycontrast(m2, con2[k])
    add(dn, "nlcon_mean", paste0(names(con2)[k], c(":estimate", ":se")), c(coef(s), SE(s)))
  }
}

## 3b. nonlinear contrasts of svyglm coefficients (replicate-based on replicate designs)
for (dn in names(designs)) {
  d <- designs[[dn]]
  rep <- inherits(d, "svyrep.design")
  f <- if (dn != "dsdr") api00 ~ ell + meals else y ~ x + sex
  fit <- if (rep) svyglm(f, d, return.replicates = TRUE) else svyglm(f, d)
  con <- if (dn != "dsdr") list(ratio = quote(ell / meals), logsq = quote(log(ell^2 + meals^2)))
    else list(ratio = quote(x / sexmale), logsq = quote(log(x^2 + sexmale^2)))
  for (k in seq_along(con)) {
    s <- svycontrast(fit, con[k])
    add(dn, "nlcon_glm", paste0(names(con)[k], c(":estimate", ":se")), c(coef(s), SE(s)))
  }
}

## 4. conversions to replicate designs (as.svrepdesign; mse = FALSE, R's default)
conv <- list(
  dclus1_JK1 = as.svrepdesign(designs$dclus1, type = "JK1"),
  dstrat_JKn = as.svrepdesign(designs$dstrat, type = "JKn"),
  dstrat_BRR = suppressWarnings(as.svrepdesign(designs$dstrat, type = "BRR")),
  dstrat_Fay = suppressWarnings(as.svrepdesign(designs$dstrat, type = "Fay", fay.rho = 0.3)),
  dclus2_JK1 = suppressWarnings(as.svrepdesign(designs$dclus2, type = "JK1"))
)
for (cn in names(conv)) {
  r <- conv[[cn]]
  W <- weights(r, "analysis")
  add(cn, "repweights", "n_replicates", ncol(W))
  add(cn, "repweights", "scale", r$scale)
  add(cn, "repweights", "rscales_sum", sum(r$rscales))
  add(cn, "repweights", "rscales_sumsq", sum(r$rscales^2))
  add(cn, "repweights", paste0("colsum", seq_len(ncol(W))), colSums(W))
  add(cn, "repweights", paste0("rowdot", seq_len(ncol(W))), colSums(W * seq_len(nrow(W))))
  add(cn, "repweights", "degf", degf(r))
  for (y in c("api00", "enroll")) {
    m <- svymean(as.formula(paste("~", y)), r, na.rm = TRUE)
    t <- svytotal(as.formula(paste("~", y)), r, na.rm = TRUE)
    add(cn, paste0("svymean:", y), c("estimate", "se"), c(coef(m), SE(m)))
    add(cn, paste0("svytotal:", y), c("estimate", "se"), c(coef(t), SE(t)))
  }
}

## 5. Hadamard matrices: size and a position-weighted checksum of survey::hadamard(n)
for (n in 1:100) {
  H <- hadamard(n)
  w <- outer(seq_len(nrow(H)), seq_len(ncol(H)), function(i, j) (i * 31 + j * 17) %% 101)
  add("hadamard", paste0("hadamard:", n), c("size", "checksum"), c(nrow(H), sum(H * w)))
}
write.csv(do.call(rbind, rows), "tests/reference/extras.csv", row.names = FALSE)
