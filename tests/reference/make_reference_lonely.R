# Reference values for lonely-PSU handling (R survey option survey.lonely.psu).
# Run from the repository root: Rscript tests/reference/make_reference_lonely.R
# Design: apistrat with only the first middle school (stype == "M") kept, so stratum M
# has a single PSU; stratified, weights pw, no fpc; and the same with fpc.
suppressPackageStartupMessages(library(survey))
data(api)
a <- apistrat
keep <- a$stype != "M" | seq_len(nrow(a)) == which(a$stype == "M")[1]
a <- a[keep, ]
out <- list()
for (opt in c("remove", "certainty", "adjust", "average")) {
  options(survey.lonely.psu = opt)
  for (fpcflag in c(FALSE, TRUE)) {
    d <- if (fpcflag) svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = a)
         else svydesign(id = ~1, strata = ~stype, weights = ~pw, data = a)
    m <- svymean(~api00, d)
    t <- svytotal(~enroll, d)
    b <- svyby(~api00, ~awards, d, svymean)
    out[[length(out) + 1]] <- data.frame(option = opt, fpc = fpcflag,
      stat = c("mean_api00", "total_enroll", paste0("by_awards_", b$awards)),
      estimate = c(coef(m), coef(t), coef(b)), se = c(SE(m), SE(t), SE(b)))
  }
}
res <- do.call(rbind, out)
res$estimate <- sprintf("%.17g", res$estimate)
res$se <- sprintf("%.17g", res$se)
write.csv(res, "tests/reference/lonely_psu.csv", row.names = FALSE)

# JKn replicate weights from the same lonely-PSU design (as.svrepdesign), mse = FALSE
jk <- list()
for (opt in c("remove", "certainty", "adjust", "average")) {
  options(survey.lonely.psu = opt)
  d <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = a)
  r <- as.svrepdesign(d, type = "JKn")
  m <- svymean(~api00, r)
  t <- svytotal(~enroll, r)
  jk[[length(jk) + 1]] <- data.frame(option = opt, stat = c("mean_api00", "total_enroll"),
    estimate = sprintf("%.17g", c(coef(m), coef(t))), se = sprintf("%.17g", c(SE(m), SE(t))),
    replicates = ncol(r$repweights$weights), scale = sprintf("%.17g", r$scale))
}
write.csv(do.call(rbind, jk), "tests/reference/lonely_psu_jkn.csv", row.names = FALSE)
