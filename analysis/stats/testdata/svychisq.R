# Records R survey's svychisq results for the weighted test survey
# svychisq.csv (drawn by genSvyData in ../svydata_test.go). Run from
# analysis/stats:
#
#   Rscript testdata/svychisq.R > testdata/svychisq_r.out
#
# and copy the figures into TestRaoScottMatchesR (raoscott_test.go).
# Recorded with R 4.2.2 and survey 4.1.1 (Debian bookworm r-cran-survey).
#
# With statistic = "Chisq" svychisq returns Pearson's X² unadjusted and the
# p-value of X²/δ̄ on (R−1)(C−1) df; with statistic = "F" it returns
# F = X²/tr(Δ) on ndf = tr(Δ)²/tr(Δ²), ddf = ndf·(n−1) for this design.
# δ̄ = tr(Δ)/df, so X²/δ̄ = F·df.
suppressPackageStartupMessages(library(survey))
d <- read.csv("testdata/svychisq.csv")
d$one <- 1
des <- svydesign(ids = ~1, weights = ~w, data = d)
# The same survey with equal weights, for the empty-cell behaviour.
des1 <- svydesign(ids = ~1, weights = ~one, data = d)
runs <- list(list(des, "w", c("a2", "b2")), list(des, "w", c("a3", "b4")),
             list(des, "w", c("az", "bz")), list(des, "w", c("c5", "d3")),
             list(des, "w", c("e2", "f2")),
             list(des1, "one", c("a3", "b4")), list(des1, "one", c("az", "bz")),
             list(des1, "one", c("e2", "f2")))
cat("pair,weights,x2,df,x2_rs,p_chisq,f,ndf,ddf,p_f\n")
for (run in runs) {
  des <- run[[1]]
  p <- run[[3]]
  f <- as.formula(paste0("~", p[1], "+", p[2]))
  chi <- svychisq(f, des, statistic = "Chisq")
  ft <- svychisq(f, des, statistic = "F")
  df <- unname(chi$parameter["df"])
  cat(sprintf("%s_%s,%s,%.17g,%d,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g\n",
              p[1], p[2], run[[2]], unname(chi$statistic), as.integer(df),
              unname(ft$statistic) * df, chi$p.value,
              unname(ft$statistic), unname(ft$parameter["ndf"]),
              unname(ft$parameter["ddf"]), ft$p.value))
}
