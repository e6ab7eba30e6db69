#!/usr/bin/env Rscript
## ---------------------------------------------------------------------------
## make_reference.R -- reference values from R's `survey` package (T. Lumley)
## for the carecost Python test-suite.
##
## Run from the repository root:
##     Rscript tests/reference/make_reference.R
##
## Writes (all under tests/reference/):
##   data/apistrat.csv, data/apiclus1.csv, data/apiclus2.csv   survey's api data
##   data/sdr_synth.csv                                        synthetic SDR data
##   data/jk1_dclus1_repweights.csv, data/jk1_dclus1_scales.json
##   data/jkn_dstrat_repweights.csv, data/jkn_dstrat_scales.json
##   values.csv      one row per estimate
##   contrasts.csv   svycontrast results
##   versions.json   R / survey versions, options, defaults found
##
## Number formatting: every double is written with the shortest of
## %.15g / %.16g / %.17g that reads back to the *identical* double, so
## Python's float() recovers exactly R's value (checked on re-read below).
## ---------------------------------------------------------------------------

suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail")       # the package default, made explicit
options(stringsAsFactors = FALSE)
set.seed(20261124)

## Locate output directory (script is meant to be run from the repo root, but
## also works when run from elsewhere via its own path).
args_all <- commandArgs(trailingOnly = FALSE)
file_arg <- sub("^--file=", "", grep("^--file=", args_all, value = TRUE))
out_dir <- if (length(file_arg)) dirname(normalizePath(file_arg)) else "tests/reference"
data_dir <- file.path(out_dir, "data")
dir.create(data_dir, showWarnings = FALSE, recursive = TRUE)

## ---------------------------------------------------------------------------
## Number formatting helpers
## ---------------------------------------------------------------------------
fmt_num <- function(x) {
  ## shortest round-tripping representation (15..17 significant digits)
  out <- character(length(x))
  for (k in seq_along(x)) {
    v <- x[k]
    if (is.na(v)) { out[k] <- if (is.nan(v)) "NaN" else "NA"; next }
    if (is.infinite(v)) { out[k] <- if (v > 0) "Inf" else "-Inf"; next }
    for (d in 15:17) {
      s <- sprintf(paste0("%.", d, "g"), v)
      if (as.numeric(s) == v) break
    }
    out[k] <- s
  }
  out
}
fmt17 <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

## write a data.frame with doubles written at full precision; NA -> "" ;
## factors as labels; character/factor columns quoted as write.csv does.
write_full_csv <- function(df, path, na = "") {
  df2 <- df
  for (nm in names(df2)) {
    col <- df2[[nm]]
    if (is.factor(col)) col <- as.character(col)
    if (is.double(col)) {
      s <- fmt_num(as.vector(col)); s[is.na(col)] <- NA
      df2[[nm]] <- s
    } else if (is.integer(col) || is.logical(col)) {
      df2[[nm]] <- as.vector(col)
    } else df2[[nm]] <- as.vector(col)
  }
  ## quote only the originally non-numeric columns
  qcols <- which(!vapply(df, function(c) is.numeric(c) || is.logical(c), logical(1)))
  write.csv(df2, path, row.names = FALSE, na = na,
            quote = if (length(qcols)) qcols else FALSE)
}

## ---------------------------------------------------------------------------
## 1. api data sets
## ---------------------------------------------------------------------------
data(api)
## NA columns (counted in survey 4.1-1 data):
##   apistrat (200 rows): flag (all 200 NA), target 20, acs.k3 103, acs.46 66, acs.core 94
##   apiclus1 (183 rows): flag (all), target 8, acs.k3 39, acs.46 26, acs.core 144, avg.ed 26
##   apiclus2 (126 rows): flag (all), pcttest 6, target 27, acs.k3 44, acs.46 30,
##                        acs.core 78, enroll 6   <-- enroll has NA: use na.rm=TRUE
##   api.stu, api00, stype, sch.wide, awards, pw, fpc* have no NA anywhere.
##   apiclus2$fpc2 is an integer with a 1-d dim/dimnames attribute (harmless).
## NB: pw in apistrat/apiclus1 and avg.ed are float32-derived doubles in R's data
##   (e.g. apistrat pw = 44.209999084472656, apiclus1 pw = 33.846996307373047),
##   so plain write.csv (15 digits -> "44.21") would NOT reproduce R's numbers.
##   write_full_csv() writes them exactly.
for (nm in c("apistrat", "apiclus1", "apiclus2")) {
  d <- get(nm)
  write_full_csv(d, file.path(data_dir, paste0(nm, ".csv")), na = "")
}

## ---------------------------------------------------------------------------
## 2. synthetic person-level data set for replicate-weight designs
## ---------------------------------------------------------------------------
n <- 600; R <- 160
sex <- factor(sample(c("female", "male"), n, replace = TRUE), levels = c("female", "male"))
agegrp <- factor(sample(c("15-29", "30-49", "50+"), n, replace = TRUE, prob = c(0.3, 0.4, 0.3)),
                 levels = c("15-29", "30-49", "50+"))
carer <- rbinom(n, 1, 0.7)                                   # ~30% exact zeros
mu <- ifelse(sex == "female", 150, 80) * c(1.1, 1.0, 0.8)[as.integer(agegrp)]
y <- round(carer * rgamma(n, shape = 2, rate = 2 / mu), 6)
x <- round(60 + rgamma(n, shape = 3, rate = 3 / ifelse(sex == "female", 200, 320)), 6)
act <- factor(sample(c("a", "b", "c"), n, replace = TRUE, prob = c(0.5, 0.3, 0.2)),
              levels = c("a", "b", "c"))
w <- round(runif(n, 500, 3000), 6)
d <- rbinom(n, 1, 0.35)
fac <- matrix(pmax(0.05, 1 + 0.3 * rnorm(n * R)), n, R)
repw <- round(w * fac, 6)
colnames(repw) <- sprintf("repw%03d", 1:R)
sdr <- data.frame(id = 1:n, sex = sex, agegrp = agegrp, y = y, x = x, act = act,
                  w = w, d = d, repw, check.names = FALSE)
sdr_path <- file.path(data_dir, "sdr_synth.csv")
write_full_csv(sdr, sdr_path)
## Re-read and use the re-read data, so Python and R use the same doubles.
sdr_rr <- read.csv(sdr_path, stringsAsFactors = FALSE)
stopifnot(identical(as.matrix(sdr_rr[, c("y", "x", "w", colnames(repw))]),
                    as.matrix(sdr[, c("y", "x", "w", colnames(repw))])))
sdr_rr$sex <- factor(sdr_rr$sex, levels = c("female", "male"))
sdr_rr$agegrp <- factor(sdr_rr$agegrp, levels = c("15-29", "30-49", "50+"))
sdr_rr$act <- factor(sdr_rr$act, levels = c("a", "b", "c"))
sdr <- sdr_rr
## Also verify the api CSVs round-trip numerically.
for (nm in c("apistrat", "apiclus1", "apiclus2")) {
  a <- get(nm); b <- read.csv(file.path(data_dir, paste0(nm, ".csv")))
  for (cc in names(a)) if (is.numeric(a[[cc]]))
    stopifnot(isTRUE(all(as.vector(a[[cc]]) == b[[cc]] | (is.na(a[[cc]]) & is.na(b[[cc]])))))
}

## ---------------------------------------------------------------------------
## 3. Collector for results
## ---------------------------------------------------------------------------
rows <- list()
crow <- list()
cases_seen <- character()
new_case <- function(case) {
  if (case %in% cases_seen) stop("duplicate case id: ", case)
  cases_seen <<- c(cases_seen, case)
}
add_rows <- function(case, design, call, term, estimate, se, deff = NA, df,
                     domain = "", p = NA, ci_low = NA, ci_high = NA, note = "") {
  nn <- length(estimate)
  rows[[length(rows) + 1]] <<- data.frame(
    case = case, design = design, call = call, term = term, domain = domain,
    estimate = as.vector(estimate), se = as.vector(se), deff = rep_len(as.vector(deff), nn),
    df = df, p = p, ci_low = ci_low, ci_high = ci_high, note = note,
    stringsAsFactors = FALSE)
}

## Evaluate a call (given as text) in an environment holding the designs.
E <- environment()
run <- function(txt) eval(parse(text = txt)[[1]], envir = E)

## svystat / svrepstat (svymean, svytotal) or svyratio
emit_stat <- function(case, design_desc, design_name, call_txt, note = "") {
  new_case(case)
  res <- run(call_txt)
  des <- run(design_name)
  df <- degf(des)
  if (inherits(res, "svyratio")) {
    est <- as.vector(coef(res)); se <- as.vector(SE(res))
    term <- names(coef(res))
    add_rows(case, design_desc, call_txt, term, est, se, NA, df, note = note)
  } else {
    est <- coef(res); se <- SE(res)
    dd <- if (!is.null(attr(res, "deff"))) as.vector(deff(res)) else NA   # deff() already takes the diagonal
    if (length(dd) > 1) stopifnot(length(dd) == length(est))
    add_rows(case, design_desc, call_txt, names(est), as.vector(est), as.vector(se),
             dd, df, note = note)
  }
  invisible(res)
}

## svyby: domain = "byvar=level;byvar2=level2"; term = statistic name
emit_by <- function(case, design_desc, design_name, call_txt, note = "") {
  new_case(case)
  b <- run(call_txt)
  des <- run(design_name)
  df <- degf(des)
  aa <- attr(b, "svyby")
  byn <- names(b)[aa$margins]
  dom <- apply(as.data.frame(lapply(b[byn], as.character)), 1, function(r)
    paste(paste0(byn, "=", r), collapse = ";"))
  statcols <- max(aa$margins) + (1:aa$nstats)
  secols <- max(aa$margins) + aa$nstats + (1:aa$nstats)   # vartype="se"
  terms <- gsub("^statistics\\.", "", names(b)[statcols])
  dfcols <- if (isTRUE(aa$deffs)) max(aa$margins) + aa$nstats * (1 + aa$vars) + (1:aa$nstats) else NULL
  for (j in seq_along(statcols)) {
    add_rows(case, design_desc, call_txt, terms[j], b[[statcols[j]]], b[[secols[j]]],
             if (is.null(dfcols)) NA else b[[dfcols[j]]], df, domain = dom, note = note)
  }
  invisible(b)
}

## svyquantile (new-style, survey >= 4.1): coef / confint / SE
emit_q <- function(case, design_desc, design_name, call_txt, note = "") {
  new_case(case)
  q <- run(call_txt)
  des <- run(design_name)
  df <- degf(des)
  for (v in names(q)) {
    m <- q[[v]]
    add_rows(case, design_desc, call_txt, v, m[, 1], m[, 4], NA, df,
             p = as.numeric(rownames(m)), ci_low = m[, 2], ci_high = m[, 3], note = note)
  }
  invisible(q)
}

emit_degf <- function(case, design_desc, design_name) {
  new_case(case)
  add_rows(case, design_desc, paste0("degf(", design_name, ")"), "degf",
           degf(run(design_name)), NA, NA, degf(run(design_name)))
}

QNOTE <- "defaults: qrule='math', interval.type='mean' (Woodruff, CI for p from svymean(x<=qhat) with t(df=degf)), alpha=0.05; se = (ci_high-ci_low)/(2*qt(0.975, df))"

## ---------------------------------------------------------------------------
## Case A / B: apistrat (stratified SRS) and apiclus1 (one-stage cluster)
## ---------------------------------------------------------------------------
dstrat       <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)
dstrat_nofpc <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat)
dclus1       <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
dclus1_nofpc <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1)

desc <- c(
  dstrat       = "svydesign(id=~1,strata=~stype,weights=~pw,fpc=~fpc,data=apistrat)",
  dstrat_nofpc = "svydesign(id=~1,strata=~stype,weights=~pw,data=apistrat)",
  dclus1       = "svydesign(id=~dnum,weights=~pw,fpc=~fpc,data=apiclus1)",
  dclus1_nofpc = "svydesign(id=~dnum,weights=~pw,data=apiclus1)",
  dclus2       = "svydesign(id=~dnum+snum,fpc=~fpc1+fpc2,data=apiclus2)",
  dclus2_wr    = "svydesign(id=~dnum+snum,weights=~pw,data=apiclus2)"
)

for (dn in c("dstrat", "dstrat_nofpc", "dclus1", "dclus1_nofpc")) {
  P <- if (startsWith(dn, "dstrat")) "A" else "B"
  tag <- paste0(P, "_", dn)
  ds <- desc[[dn]]
  emit_stat(paste0(tag, "_mean_api00"), ds, dn, sprintf("svymean(~api00, %s, deff=TRUE)", dn))
  emit_stat(paste0(tag, "_total_enroll"), ds, dn, sprintf("svytotal(~enroll, %s, deff=TRUE)", dn))
  emit_stat(paste0(tag, "_ratio"), ds, dn, sprintf("svyratio(~api.stu, ~enroll, %s)", dn))
  emit_by(paste0(tag, "_by_awards_mean"), ds, dn, sprintf("svyby(~api00, ~awards, %s, svymean)", dn))
  emit_by(paste0(tag, "_by_stype_total"), ds, dn, sprintf("svyby(~api00, ~stype, %s, svytotal)", dn))
  emit_by(paste0(tag, "_by_stype_mean"), ds, dn, sprintf("svyby(~api00, ~stype, %s, svymean)", dn))
  emit_stat(paste0(tag, "_mean_stype"), ds, dn, sprintf("svymean(~stype, %s, deff=TRUE)", dn))
  ## subset: for linearization designs rows are dropped but the original
  ## number of PSUs per stratum is kept (fpc$sampsize); degf is recomputed
  ## from the PSUs that remain.
  sub_name <- paste0(dn, "_yes")
  assign(sub_name, run(sprintf('subset(%s, sch.wide=="Yes")', dn)))
  emit_stat(paste0(tag, "_sub_yes_mean_api00"), paste0('subset(', ds, ', sch.wide=="Yes")'),
            sub_name, sprintf("svymean(~api00, %s)", sub_name))
  ## the same domain via svyby (should agree with the subset result)
  emit_by(paste0(tag, "_by_schwide_mean"), ds, dn, sprintf("svyby(~api00, ~sch.wide, %s, svymean)", dn))
  emit_q(paste0(tag, "_quantile"), ds, dn,
         sprintf("svyquantile(~api00, %s, quantiles=c(0.25,0.5,0.9), ci=TRUE)", dn), note = QNOTE)
  emit_degf(paste0(tag, "_degf"), ds, dn)
  emit_degf(paste0(tag, "_sub_yes_degf"), paste0('subset(', ds, ', sch.wide=="Yes")'), sub_name)
}

## ---------------------------------------------------------------------------
## Case C: apiclus2 (two-stage cluster).  enroll has 6 NA -> na.rm=TRUE.
## ---------------------------------------------------------------------------
dclus2    <- svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2, data = apiclus2)
dclus2_wr <- svydesign(id = ~dnum + snum, weights = ~pw, data = apiclus2)
for (dn in c("dclus2", "dclus2_wr")) {
  tag <- paste0("C_", dn)
  ds <- desc[[dn]]
  emit_stat(paste0(tag, "_mean_api00"), ds, dn, sprintf("svymean(~api00, %s, deff=TRUE)", dn))
  emit_stat(paste0(tag, "_total_enroll"), ds, dn, sprintf("svytotal(~enroll, %s, na.rm=TRUE, deff=TRUE)", dn))
  emit_stat(paste0(tag, "_mean_enroll"), ds, dn, sprintf("svymean(~enroll, %s, na.rm=TRUE, deff=TRUE)", dn))
  emit_stat(paste0(tag, "_ratio"), ds, dn, sprintf("svyratio(~api.stu, ~enroll, %s, na.rm=TRUE)", dn))
  emit_by(paste0(tag, "_by_stype_mean"), ds, dn, sprintf("svyby(~api00, ~stype, %s, svymean)", dn))
  sub_name <- paste0(dn, "_yes")
  assign(sub_name, run(sprintf('subset(%s, sch.wide=="Yes")', dn)))
  emit_stat(paste0(tag, "_sub_yes_mean_api00"), paste0('subset(', ds, ', sch.wide=="Yes")'),
            sub_name, sprintf("svymean(~api00, %s)", sub_name))
  emit_q(paste0(tag, "_quantile"), ds, dn,
         sprintf("svyquantile(~api00, %s, quantiles=c(0.25,0.5,0.9), ci=TRUE)", dn), note = QNOTE)
  emit_degf(paste0(tag, "_degf"), ds, dn)
  emit_degf(paste0(tag, "_sub_yes_degf"), paste0('subset(', ds, ', sch.wide=="Yes")'), sub_name)
}

## ---------------------------------------------------------------------------
## Case D: replicate designs built from the linearization designs
## (as.svrepdesign's mse default = getOption("survey.replicates.mse") = NULL -> FALSE)
## ---------------------------------------------------------------------------
rclus1_jk1       <- as.svrepdesign(dclus1, type = "JK1")
rclus1_nofpc_jk1 <- as.svrepdesign(dclus1_nofpc, type = "JK1")
rstrat_jkn       <- as.svrepdesign(dstrat, type = "JKn")
rstrat_nofpc_jkn <- as.svrepdesign(dstrat_nofpc, type = "JKn")
rdesc <- c(
  rclus1_jk1       = paste0('as.svrepdesign(', desc[["dclus1"]], ',type="JK1")'),
  rclus1_nofpc_jk1 = paste0('as.svrepdesign(', desc[["dclus1_nofpc"]], ',type="JK1")'),
  rstrat_jkn       = paste0('as.svrepdesign(', desc[["dstrat"]], ',type="JKn")'),
  rstrat_nofpc_jkn = paste0('as.svrepdesign(', desc[["dstrat_nofpc"]], ',type="JKn")')
)
for (dn in names(rdesc)) {
  tag <- paste0("D_", dn)
  ds <- rdesc[[dn]]
  byv <- if (startsWith(dn, "rclus1")) "stype" else "awards"
  emit_stat(paste0(tag, "_mean_api00"), ds, dn, sprintf("svymean(~api00, %s)", dn))
  emit_stat(paste0(tag, "_total_enroll"), ds, dn, sprintf("svytotal(~enroll, %s)", dn))
  emit_by(paste0(tag, "_by_", byv, "_mean"), ds, dn, sprintf("svyby(~api00, ~%s, %s, svymean)", byv, dn))
  emit_stat(paste0(tag, "_ratio"), ds, dn, sprintf("svyratio(~api.stu, ~enroll, %s)", dn))
  emit_degf(paste0(tag, "_degf"), ds, dn)
}

## Replicate-weight matrices and scales, for exact comparison of generated weights
write_repw <- function(rdes, stem, extra) {
  W <- weights(rdes, "analysis")
  colnames(W) <- sprintf("rep%03d", seq_len(ncol(W)))
  write_full_csv(as.data.frame(W), file.path(data_dir, paste0(stem, "_repweights.csv")))
  js <- c("{", sprintf('  "nrow": %d, "ncol": %d,', nrow(W), ncol(W)))
  ent <- character()
  for (nm in names(extra)) {
    r <- extra[[nm]]
    ent <- c(ent, sprintf('  "%s": {"call": "%s", "type": "%s", "scale": %s, "rscales": [%s], "mse": %s, "degf": %d}',
                          nm, gsub('"', '\\\\"', r$desc), r$d$type, fmt17(r$d$scale),
                          paste(fmt17(r$d$rscales), collapse = ", "),
                          tolower(as.character(isTRUE(r$d$mse))), as.integer(degf(r$d))))
  }
  js <- c(js, paste(ent, collapse = ",\n"), "}")
  writeLines(js, file.path(data_dir, paste0(stem, "_scales.json")))
}
stopifnot(identical(weights(rclus1_jk1, "analysis"), weights(rclus1_nofpc_jk1, "analysis")))
stopifnot(identical(weights(rstrat_jkn, "analysis"), weights(rstrat_nofpc_jkn, "analysis")))
write_repw(rclus1_jk1, "jk1_dclus1",
           list(fpc = list(d = rclus1_jk1, desc = rdesc[["rclus1_jk1"]]),
                nofpc = list(d = rclus1_nofpc_jk1, desc = rdesc[["rclus1_nofpc_jk1"]])))
write_repw(rstrat_jkn, "jkn_dstrat",
           list(fpc = list(d = rstrat_jkn, desc = rdesc[["rstrat_jkn"]]),
                nofpc = list(d = rstrat_nofpc_jkn, desc = rdesc[["rstrat_nofpc_jkn"]])))

## ---------------------------------------------------------------------------
## Case E: user-supplied replicate weights on sdr_synth
## ---------------------------------------------------------------------------
dsdr <- svrepdesign(data = sdr, weights = ~w, repweights = "repw[0-9]+",
                    type = "successive-difference", mse = TRUE, combined.weights = TRUE)
dsdr_nomse <- svrepdesign(data = sdr, weights = ~w, repweights = "repw[0-9]+",
                          type = "successive-difference", mse = FALSE, combined.weights = TRUE)
dfay <- svrepdesign(data = sdr, weights = ~w, repweights = "repw[0-9]+",
                    type = "Fay", rho = 0.5, mse = FALSE, combined.weights = TRUE)
dbrr <- svrepdesign(data = sdr, weights = ~w, repweights = "repw[0-9]+",
                    type = "BRR", mse = TRUE, combined.weights = TRUE)
doth <- svrepdesign(data = sdr, weights = ~w, repweights = "repw[0-9]+",
                    type = "other", scale = 0.1, rscales = rep(1, 160), mse = FALSE,
                    combined.weights = TRUE)
sdesc <- c(
  dsdr       = 'svrepdesign(data=sdr,weights=~w,repweights="repw[0-9]+",type="successive-difference",mse=TRUE,combined.weights=TRUE)',
  dsdr_nomse = 'svrepdesign(data=sdr,weights=~w,repweights="repw[0-9]+",type="successive-difference",mse=FALSE,combined.weights=TRUE)',
  dfay       = 'svrepdesign(data=sdr,weights=~w,repweights="repw[0-9]+",type="Fay",rho=0.5,mse=FALSE,combined.weights=TRUE)',
  dbrr       = 'svrepdesign(data=sdr,weights=~w,repweights="repw[0-9]+",type="BRR",mse=TRUE,combined.weights=TRUE)',
  doth       = 'svrepdesign(data=sdr,weights=~w,repweights="repw[0-9]+",type="other",scale=0.1,rscales=rep(1,160),mse=FALSE,combined.weights=TRUE)'
)
S <- sdesc[["dsdr"]]
emit_stat("E_sdr_mean_y", S, "dsdr", "svymean(~y, dsdr, deff=TRUE)")
emit_stat("E_sdr_total_y", S, "dsdr", "svytotal(~y, dsdr)")
b_sex <- emit_by("E_sdr_by_sex_mean", S, "dsdr", "svyby(~y, ~sex, dsdr, svymean, covmat=TRUE)")
emit_by("E_sdr_by_sex_agegrp_mean", S, "dsdr", "svyby(~y, ~sex+agegrp, dsdr, svymean)")
emit_by("E_sdr_by_sex_total", S, "dsdr", "svyby(~y, ~sex, dsdr, svytotal)")
emit_stat("E_sdr_mean_act", S, "dsdr", "svymean(~act, dsdr)")
emit_by("E_sdr_by_sex_mean_act", S, "dsdr", "svyby(~act, ~sex, dsdr, svymean)")
dsdr_1529 <- subset(dsdr, agegrp == "15-29")
emit_stat("E_sdr_sub_1529_mean_y", paste0('subset(', S, ',agegrp=="15-29")'), "dsdr_1529",
          "svymean(~y, dsdr_1529)")
## a subset with fewer rows than replicates: degf (QR rank of the subsetted
## replicate-weight matrix minus 1) drops below 159
dsdr_f1529 <- subset(dsdr, sex == "female" & agegrp == "15-29")
emit_stat("E_sdr_sub_f1529_mean_y", paste0('subset(', S, ',sex=="female"&agegrp=="15-29")'), "dsdr_f1529",
          "svymean(~y, dsdr_f1529)")
emit_stat("E_sdr_ratio", S, "dsdr", "svyratio(~y, ~x, dsdr)")
emit_by("E_sdr_by_sex_ratio", S, "dsdr", "svyby(~y, ~sex, dsdr, denominator=~x, svyratio)")
emit_q("E_sdr_quantile", S, "dsdr", "svyquantile(~y, dsdr, quantiles=c(0.5,0.75), ci=TRUE)",
       note = paste0(QNOTE, "; svyrep default interval.type is also 'mean' (Woodruff via replicate svymean); ",
                     "qrule applied to weights(design,'sampling')"))
emit_degf("E_sdr_degf", S, "dsdr")
emit_degf("E_sdr_sub_1529_degf", paste0('subset(', S, ',agegrp=="15-29")'), "dsdr_1529")
emit_degf("E_sdr_sub_f1529_degf", paste0('subset(', S, ',sex=="female"&agegrp=="15-29")'), "dsdr_f1529")
## domain via indicator d: svyby vs subset
emit_by("E_sdr_by_d_mean", S, "dsdr", "svyby(~y, ~d, dsdr, svymean)")
dsdr_d1 <- subset(dsdr, d == 1)
emit_stat("E_sdr_sub_d1_mean_y", paste0('subset(', S, ',d==1)'), "dsdr_d1", "svymean(~y, dsdr_d1)")
stopifnot(isTRUE(all.equal(unname(coef(svymean(~y, dsdr_d1))), unname(coef(svyby(~y, ~d, dsdr, svymean))[2]))))
stopifnot(isTRUE(all.equal(unname(SE(svymean(~y, dsdr_d1))), unname(SE(svyby(~y, ~d, dsdr, svymean))[2]))))

## svycontrast on svyby(..., covmat=TRUE): coefficient names are the levels
contr_rows <- list()
b_names <- names(coef(b_sex))           # "female" "male"
stopifnot(identical(b_names, c("female", "male")))
c_diff  <- svycontrast(b_sex, c(female = 1, male = -1))
c_ratio <- svycontrast(b_sex, quote(female / male))
c_both  <- svycontrast(b_sex, list(diff = quote(female - male), ratio = quote(female / male)))
add_c <- function(case, call, obj) {
  contr_rows[[length(contr_rows) + 1]] <<- data.frame(
    case = case, design = sdesc[["dsdr"]], by_call = "svyby(~y, ~sex, dsdr, svymean, covmat=TRUE)",
    by_coef_names = paste(b_names, collapse = ";"), call = call,
    contrast = names(coef(obj)), estimate = as.vector(coef(obj)), se = as.vector(SE(obj)),
    df = degf(dsdr), stringsAsFactors = FALSE)
}
add_c("E_sdr_contrast_diff", "svycontrast(b, c(female=1, male=-1))", c_diff)
add_c("E_sdr_contrast_ratio", "svycontrast(b, quote(female/male))", c_ratio)
add_c("E_sdr_contrast_list", "svycontrast(b, list(diff=quote(female-male), ratio=quote(female/male)))", c_both)
## Also the full vcov of b (2x2) so Python can check covmat directly
vb <- vcov(b_sex)
contr_rows[[length(contr_rows) + 1]] <- data.frame(
  case = "E_sdr_by_sex_vcov", design = sdesc[["dsdr"]], by_call = "svyby(~y, ~sex, dsdr, svymean, covmat=TRUE)",
  by_coef_names = paste(b_names, collapse = ";"), call = "vcov(b)",
  contrast = c("var(female)", "cov(female,male)", "var(male)"),
  estimate = c(vb[1, 1], vb[1, 2], vb[2, 2]), se = NA, df = degf(dsdr), stringsAsFactors = FALSE)

## mse=FALSE variant of the SDR design
emit_stat("E_sdr_nomse_mean_y", sdesc[["dsdr_nomse"]], "dsdr_nomse", "svymean(~y, dsdr_nomse)")
## Fay
FD <- sdesc[["dfay"]]
emit_stat("E_fay_mean_y", FD, "dfay", "svymean(~y, dfay)")
emit_by("E_fay_by_sex_mean", FD, "dfay", "svyby(~y, ~sex, dfay, svymean)")
emit_stat("E_fay_total_y", FD, "dfay", "svytotal(~y, dfay)")
emit_degf("E_fay_degf", FD, "dfay")
## BRR, other
emit_stat("E_brr_mean_y", sdesc[["dbrr"]], "dbrr", "svymean(~y, dbrr)")
emit_stat("E_other_mean_y", sdesc[["doth"]], "doth", "svymean(~y, doth)")

## ---------------------------------------------------------------------------
## 4. Write values.csv, contrasts.csv, versions.json
## ---------------------------------------------------------------------------
vals <- do.call(rbind, rows)
for (cc in c("estimate", "se", "deff", "ci_low", "ci_high")) vals[[cc]] <- fmt17(vals[[cc]])
## p and df are short exact numbers: shortest round-trip form (e.g. 0.9, 197)
vals$p <- fmt_num(vals$p); vals$df <- fmt_num(vals$df)
write.csv(vals, file.path(out_dir, "values.csv"), row.names = FALSE, na = "NA")
con <- do.call(rbind, contr_rows)
for (cc in c("estimate", "se")) con[[cc]] <- fmt17(con[[cc]])
write.csv(con, file.path(out_dir, "contrasts.csv"), row.names = FALSE, na = "NA")

## design scale info for the user-supplied replicate designs
sc <- vapply(c("dsdr", "dsdr_nomse", "dfay", "dbrr", "doth"), function(nm) {
  d <- get(nm)
  sprintf('    "%s": {"type": "%s", "scale": %s, "rscales_unique": [%s], "mse": %s, "degf": %d}',
          nm, d$type, fmt17(d$scale), paste(fmt17(unique(d$rscales)), collapse = ", "),
          tolower(as.character(isTRUE(d$mse))), as.integer(degf(d)))
}, character(1))
q_args <- formals(survey:::svyquantile.survey.design)
writeLines(c(
  "{",
  sprintf('  "R": "%s",', R.version.string),
  sprintf('  "survey": "%s",', as.character(packageVersion("survey"))),
  sprintf('  "seed": 20261124,'),
  sprintf('  "options": {"survey.lonely.psu": "%s", "survey.replicates.mse": %s, "survey.adjust.domain.lonely": %s, "survey.drop.replicates": %s},',
          getOption("survey.lonely.psu"),
          if (is.null(getOption("survey.replicates.mse"))) "null" else tolower(getOption("survey.replicates.mse")),
          tolower(getOption("survey.adjust.domain.lonely")), tolower(getOption("survey.drop.replicates"))),
  '  "svyquantile_defaults": {"qrule": "math", "interval.type": "mean", "alpha": 0.05, "df": "degf(design)", "se": "diff(ci)/(2*qt(1-alpha/2, df))"},',
  '  "replicate_designs": {',
  paste(sc, collapse = ",\n"),
  "  }",
  "}"), file.path(out_dir, "versions.json"))

cat("values.csv rows:", nrow(vals), " contrasts.csv rows:", nrow(con), "\n")
