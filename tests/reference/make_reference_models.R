# Reference values for survey-weighted GLMs (R survey::svyglm, 4.1.1).
# Run from the repository root: Rscript tests/reference/make_reference_models.R
# Reads the api and synthetic SDR data written by make_reference.R (tests/reference/data),
# so R and Python fit the same doubles; writes tests/reference/models.csv with one row per
# coefficient: estimate, SE (design-based sandwich for svydesign, replicate refits for
# svrepdesign), t, p and the residual degrees of freedom (degf + 1 - number of coefficients).
# Terms are named as formulaic names them: (Intercept) -> Intercept, stypeH -> stype[T.H].
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail")
dd <- "tests/reference/data"
prep <- function(a) {
  a$yes <- as.numeric(a$sch.wide == "Yes")
  a$stu <- a$api.stu
  a$stype <- factor(a$stype, levels = c("E", "H", "M"))
  a
}
apistrat <- prep(read.csv(file.path(dd, "apistrat.csv")))
apiclus1 <- prep(read.csv(file.path(dd, "apiclus1.csv")))
apiclus2 <- prep(read.csv(file.path(dd, "apiclus2.csv")))
sdr <- read.csv(file.path(dd, "sdr_synth.csv"))
sdr$sex <- factor(sdr$sex, levels = c("female", "male"))
sdr$agegrp <- factor(sdr$agegrp, levels = c("15-29", "30-49", "50+"))

designs <- list(
  dstrat = svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat),
  dclus1 = svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1),
  dclus2 = svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2, data = apiclus2),
  dsdr = svrepdesign(data = sdr, weights = ~w, repweights = "repw[0-9]+",
                     type = "successive-difference", mse = TRUE)
)
designs$rclus1_jk1 <- as.svrepdesign(designs$dclus1, type = "JK1")   # mse = FALSE (R default)
designs$dstrat_yes <- subset(designs$dstrat, sch.wide == "Yes")

api_models <- list(
  c("gaussian", "api00 ~ ell + meals + stype"),
  c("quasibinomial", "yes ~ ell + meals + stype"),
  c("quasipoisson", "stu ~ ell + stype")
)
sdr_models <- list(
  c("gaussian", "y ~ sex + agegrp + x"),
  c("quasibinomial", "d ~ sex + agegrp + x"),
  c("quasipoisson", "y ~ sex + agegrp")
)
cases <- list()
for (dn in c("dstrat", "dclus1", "dclus2", "rclus1_jk1")) for (m in api_models)
  cases[[length(cases) + 1]] <- c(dn, m)
cases[[length(cases) + 1]] <- c("dstrat_yes", "gaussian", "api00 ~ ell + stype")
for (m in sdr_models) cases[[length(cases) + 1]] <- c("dsdr", m)

formulaic_names <- function(fit) {
  nm <- names(coef(fit))
  mf <- model.frame(fit)
  out <- nm
  for (v in names(mf)) if (is.factor(mf[[v]])) {
    for (l in levels(mf[[v]])) out[nm == paste0(v, l)] <- sprintf("%s[T.%s]", v, l)
  }
  out[nm == "(Intercept)"] <- "Intercept"
  out
}
# IRLS run to full convergence: at glm.control()'s default epsilon = 1e-8 (a relative change
# in deviance) R stops while the coefficients still move by ~1e-5 relative, and its sandwich
# uses the working weights of the iterate before the last, so its quasibinomial and
# quasipoisson SEs differ from the converged fit by up to ~2e-5 relative.
ctrl <- glm.control(epsilon = 1e-13, maxit = 100)
f17 <- function(x) sprintf("%.17g", x)
rows <- list()
for (cs in cases) {
  des <- designs[[cs[1]]]
  fam <- get(cs[2])()
  fit <- svyglm(as.formula(cs[3]), design = des, family = fam, control = ctrl)
  tab <- coef(summary(fit))
  rows[[length(rows) + 1]] <- data.frame(
    case = paste(cs[1], cs[2], sep = "_"), design = cs[1], family = cs[2], formula = cs[3],
    term = formulaic_names(fit), estimate = f17(tab[, 1]), se = f17(tab[, 2]),
    t = f17(tab[, 3]), p = f17(tab[, 4]), df = fit$df.residual)
}
write.csv(do.call(rbind, rows), "tests/reference/models.csv", row.names = FALSE)
