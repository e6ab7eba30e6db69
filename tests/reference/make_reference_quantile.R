# Reference values for quantiles by domain (svyby + svyquantile, Woodruff intervals).
# Run from the repository root: Rscript tests/reference/make_reference_quantile.R
suppressPackageStartupMessages(library(survey))
data(api)
out <- list()
add <- function(case, b, q) {
  ci <- confint(b)
  out[[length(out) + 1]] <<- data.frame(case = case, domain = as.character(b[[1]]), p = q,
    estimate = sprintf("%.17g", coef(b)), se = sprintf("%.17g", SE(b)),
    ci_low = sprintf("%.17g", ci[, 1]), ci_high = sprintf("%.17g", ci[, 2]))
}
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
rclus1 <- as.svrepdesign(dclus1, type = "JK1")
for (q in c(0.25, 0.5)) {
  add("dstrat", svyby(~api00, ~stype, dstrat, svyquantile, quantiles = q, ci = TRUE), q)
  add("dclus1", svyby(~api00, ~stype, dclus1, svyquantile, quantiles = q, ci = TRUE), q)
  add("rclus1_jk1", svyby(~api00, ~stype, rclus1, svyquantile, quantiles = q, ci = TRUE), q)
}
write.csv(do.call(rbind, out), "tests/reference/quantile_by.csv", row.names = FALSE)
