# R survey contestant for bench_survey.py.
#
#   Rscript survey_r.R DIR MAX_REPEATS
#
# DIR holds meta.csv (n, R), keys.csv (sex, year, agegrp) and num.bin: the
# n x (R + 2) matrix [y, w, rep1..repR] as little-endian doubles in column-major
# order (exact values, no CSV rounding).  Only svrepdesign() and svyby() are
# timed (system.time, elapsed).  Writes DIR/r_result.csv and DIR/r_timing.csv.

args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
max_repeats <- as.integer(args[2])
slow <- 20  # seconds: a first run slower than this is not repeated

suppressPackageStartupMessages(library(survey))

meta <- read.csv(file.path(dir, "meta.csv"))
n <- meta$n
R <- meta$R
keys <- read.csv(file.path(dir, "keys.csv"))
con <- file(file.path(dir, "num.bin"), "rb")
m <- matrix(readBin(con, "double", n = n * (R + 2), size = 8, endian = "little"), nrow = n)
close(con)
repw <- m[, 3:(R + 2)]
colnames(repw) <- sprintf("rw%03d", seq_len(R))
df <- data.frame(keys, y = m[, 1], w = m[, 2], repw)
rm(m, repw)
invisible(gc())

time_once <- function(expr_fun) {
  res <- NULL
  el <- system.time(res <- expr_fun())[["elapsed"]]
  list(value = res, elapsed = el)
}

design_fun <- function() {
  svrepdesign(data = df, repweights = "rw[0-9]+", weights = ~w,
              type = "successive-difference", mse = TRUE, combined.weights = TRUE)
}

d_times <- c()
for (i in 1:3) {  # svrepdesign is cheap: median of 3
  t <- time_once(design_fun)
  d_times <- c(d_times, t$elapsed)
  des <- t$value
}
stopifnot(isTRUE(all.equal(des$scale, 4 / R)), des$mse)

est_fun <- function() svyby(~y, ~sex + year + agegrp, des, svymean)
e_times <- c()
t <- time_once(est_fun)
e_times <- c(e_times, t$elapsed)
res <- t$value
if (t$elapsed < slow && max_repeats > 1) {
  for (i in 2:max_repeats) {
    t <- time_once(est_fun)
    e_times <- c(e_times, t$elapsed)
  }
}

out <- data.frame(sex = res$sex, year = res$year, agegrp = res$agegrp,
                  estimate = sprintf("%.17g", res$y), se = sprintf("%.17g", SE(res)))
write.csv(out, file.path(dir, "r_result.csv"), row.names = FALSE, quote = FALSE)
timing <- data.frame(
  phase = c(rep("design", length(d_times)), rep("estimate", length(e_times))),
  seconds = c(d_times, e_times)
)
write.csv(timing, file.path(dir, "r_timing.csv"), row.names = FALSE, quote = FALSE)
cat(R.version.string, "| survey", as.character(packageVersion("survey")), "\n")
