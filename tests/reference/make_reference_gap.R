# Reference values for carecost.timeuse.gender_gap on the 160-replicate SDR design.
# Run from the repository root: Rscript tests/reference/make_reference_gap.R
# Data: tests/reference/data/sdr_synth.csv (written by make_reference.R).
suppressPackageStartupMessages(library(survey))
sdr <- read.csv("tests/reference/data/sdr_synth.csv")
des <- svrepdesign(data = sdr, weights = ~w, repweights = "repw[0-9]+",
                   type = "successive-difference", mse = TRUE, combined.weights = TRUE)
out <- list()
add <- function(domain, stat, est, se) {
  out[[length(out) + 1]] <<- data.frame(domain = domain, statistic = stat,
                                        estimate = sprintf("%.17g", est),
                                        se = sprintf("%.17g", se))
}
gap_rows <- function(d, domain) {
  m <- svyby(~y, ~sex, d, svymean, covmat = TRUE)
  t <- svyby(~y, ~sex, d, svytotal, covmat = TRUE)
  add(domain, "women", coef(m)["female"], SE(m)[1])
  add(domain, "men", coef(m)["male"], SE(m)[2])
  g <- svycontrast(m, quote(female - male))
  add(domain, "gap", coef(g), SE(g))
  r <- svycontrast(m, quote(female / male))
  add(domain, "ratio", coef(r), SE(r))
  s <- svycontrast(t, quote(female / (female + male)))
  add(domain, "women_share", coef(s), SE(s))
}
gap_rows(des, "all")
for (a in sort(unique(sdr$agegrp))) gap_rows(subset(des, agegrp == a), paste0("agegrp=", a))
write.csv(do.call(rbind, out), "tests/reference/gender_gap.csv", row.names = FALSE)
