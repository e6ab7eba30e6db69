# Reference values for tables and tests (R survey 4.1.1): svytable, svychisq (Rao-Scott F and
# Chisq), svyciprop (logit, beta, xlogit, mean), svyvar and svyttest.
# Run from the repository root: Rscript tests/reference/make_reference_tables.R
# Reads the data written by make_reference.R (tests/reference/data); writes
# tests/reference/tables.csv in long form: design, call, quantity, value.
# method = "logit": svyciprop fits svyglm(y ~ 1, quasibinomial) at glm.control()'s default
# epsilon (1e-8), which stops the IRLS early; the row call "svyciprop_logit_converged" is the
# same interval from the fit run to convergence (epsilon 1e-13), the unique solution that
# carecost computes.  Both are written.
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
for (dn in names(designs)) {
  d <- designs[[dn]]
  api <- dn != "dsdr"
  tabs <- if (api) list(c("stype", "sch.wide"), c("stype", "awards")) else
    list(c("sex", "act"), c("agegrp", "act"))
  for (ab in tabs) {
    f <- as.formula(paste("~", ab[1], "+", ab[2]))
    tb <- svytable(f, d)
    cells <- expand.grid(dimnames(tb))
    add(dn, paste0("svytable:", ab[1], ":", ab[2]),
        paste(cells[[1]], cells[[2]], sep = ":"), as.vector(tb))
    for (st in c("F", "Chisq")) {
      x <- svychisq(f, d, statistic = st)
      call <- paste0("svychisq_", st, ":", ab[1], ":", ab[2])
      add(dn, call, "statistic", x$statistic)
      add(dn, call, names(x$parameter), x$parameter)
      add(dn, call, "p", x$p.value)
    }
  }
  yv <- if (api) "yes" else "d"
  for (m in c("logit", "beta", "xlogit", "mean")) {
    ci <- svyciprop(as.formula(paste0("~I(", yv, " == 1)")), d, method = m)
    call <- paste0("svyciprop_", m, ":", yv)
    add(dn, call, "estimate", coef(ci))
    add(dn, call, "se", SE(ci))
    add(dn, call, c("ci_low", "ci_high"), attr(ci, "ci"))
  }
  fit <- svyglm(as.formula(paste(yv, "~ 1")), d, family = quasibinomial(),
                control = glm.control(epsilon = 1e-13, maxit = 100))
  ci <- plogis(confint(fit, 1, method = "Wald", ddf = degf(d)))
  add(dn, paste0("svyciprop_logit_converged:", yv), c("ci_low", "ci_high"), ci)
  yn <- if (api) "api00" else "y"
  v <- svyvar(as.formula(paste("~", yn)), d)
  add(dn, paste0("svyvar:", yn), c("estimate", "se"), c(coef(v), SE(v)))
  g <- if (api) "sch.wide" else "sex"
  tt <- svyttest(as.formula(paste(yn, "~", g)), d)
  call <- paste0("svyttest:", yn, ":", g)
  add(dn, call, c("statistic", "df", "p", "estimate"),
      c(tt$statistic, tt$parameter, tt$p.value, tt$estimate))
}
write.csv(do.call(rbind, rows), "tests/reference/tables.csv", row.names = FALSE)
