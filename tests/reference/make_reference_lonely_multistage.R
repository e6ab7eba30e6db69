# Reference values for lonely units at the second stage of a two-stage design, estimated by
# domain (R survey option survey.lonely.psu; issue 13 item 8).
# Run from the repository root: Rscript tests/reference/make_reference_lonely_multistage.R
# (R 4.2.2, survey 4.1.1; see tests/reference/versions.json).
#
# Data: apiclus2 (districts dnum, schools snum, fpc1 = districts, fpc2 = schools per district),
# changed so that some strata at stage 2 have a single sampled school that is not a census:
#   ms_lonely   districts 176 and 719 (one sampled high school each) get fpc2 = 5, so each is a
#               lonely stage-2 unit; stage 2 unstratified;
#   ms_strata   as ms_lonely, plus stage-2 strata st2: in districts 200, 295, 403 and 480 (the
#               first four with 5 sampled schools) the school with the smallest snum is alone in
#               stratum "b", the others are in "a" (stage 1 unstratified, column one = 1);
#   ms_strata0  the stage-2 strata of ms_strata on the original fpc2 (no lonely district).
# With survey.lonely.psu = "average" R averages within each district over the stage-2 strata
# that the domain reaches, so a domain is NaN only if it reaches a district whose reached strata
# are all lonely.
suppressPackageStartupMessages(library(survey))
data(api)
base <- apiclus2
n <- table(base$dnum)
big <- as.numeric(names(n)[n >= 5])[1:4]
base$one <- 1
base$st2 <- ifelse(base$dnum %in% big & base$snum == ave(base$snum, base$dnum, FUN = min),
                   "b", "a")
lonely <- base
lonely$fpc2[lonely$dnum %in% c(176, 719)] <- 5
make <- function(name) {
  switch(name,
    ms_lonely = svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2, data = lonely),
    ms_strata = svydesign(id = ~dnum + snum, strata = ~one + st2, fpc = ~fpc1 + fpc2,
                          data = lonely),
    ms_strata0 = svydesign(id = ~dnum + snum, strata = ~one + st2, fpc = ~fpc1 + fpc2,
                           data = base))
}
out <- list()
add <- function(design, opt, stat, domain, est) {
  out[[length(out) + 1]] <<- data.frame(design = design, option = opt, stat = stat,
    domain = domain, estimate = sprintf("%.17g", coef(est)), se = sprintf("%.17g", SE(est)))
}
for (opt in c("remove", "certainty", "adjust", "average")) {
  options(survey.lonely.psu = opt)
  for (dn in c("ms_lonely", "ms_strata", "ms_strata0")) {
    d <- make(dn)
    add(dn, opt, "mean_api00", "", svymean(~api00, d))
    add(dn, opt, "total_api99", "", svytotal(~api99, d))
    for (by in c("stype", "sch.wide")) {
      m <- svyby(~api00, as.formula(paste0("~", by)), d, svymean)
      t <- svyby(~api99, as.formula(paste0("~", by)), d, svytotal)
      add(dn, opt, "mean_api00", paste0(by, "=", m[[by]]), m)
      add(dn, opt, "total_api99", paste0(by, "=", t[[by]]), t)
    }
    s <- subset(d, sch.wide == "Yes")
    add(dn, opt, "mean_api00_subset_sch.wide_Yes", "", svymean(~api00, s))
  }
}
res <- do.call(rbind, out)
write.csv(res, "tests/reference/lonely_psu_multistage.csv", row.names = FALSE)
