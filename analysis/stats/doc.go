// Package stats holds the statistics behind surveymine's cross-tabulations:
// contingency-table analysis with cell residuals, exact and Monte Carlo tests
// for small samples, multiple-testing adjustment, multiple-response tests,
// weighted (Rao–Scott) tests, corpus keyness and label co-occurrence.
//
// The package is pure computation: no I/O, no logging, no configuration.
// The caller (the crosstab stage) builds count tables or per-respondent
// vectors from survey data and passes them in; results are plain structs.
//
// Data flow:
//
//	survey rows ──► Table (R×C counts) ──► Analyze ──► Result{cells, X², G², V, test, p}
//	                                                      │
//	              per-question p-values ──► Holm / BH ◄───┘
//	multiple-response items (n×I bool) + group ──► MMI (Bilder & Loughin 2004)
//	row/col codes + respondent weights ──► RaoScott (first- and second-order corrected X², as R's svychisq)
//	term frequencies (target, reference) ──► Keyness (G², X², log ratio, BH)
//	per-unit label sets ──► Cooccurrence (counts, Jaccard edges)
//
// Conventions. Counts are float64 so that weighted tables can be analysed,
// but exact and Monte Carlo tests require whole-number counts. Functions never
// panic on user data: degenerate inputs are reported through a Status field
// (see the Status* constants) and statistics that cannot be computed are NaN,
// as documented on each field. All randomness is drawn from a PCG generator
// seeded from Options.Seed, so results are reproducible.
//
// References used throughout:
//
//   - Agresti, A. (2013). Categorical Data Analysis, 3rd ed. Wiley.
//   - Haberman, S. J. (1973). The analysis of residuals in cross-classified
//     tables. Biometrics 29, 205–220.
//   - Bergsma, W. (2013). A bias-correction for Cramér's V and Tschuprow's T.
//     Journal of the Korean Statistical Society 42, 323–328.
//   - Smithson, M. (2003). Confidence Intervals. Sage (noncentral chi-square
//     inversion for Cramér's V).
//   - Hope, A. C. A. (1968). A simplified Monte Carlo significance test
//     procedure. JRSS B 30, 582–598 (p = (1+#)/(B+1)).
//   - Holm, S. (1979); Benjamini, Y. & Hochberg, Y. (1995).
//   - Bilder, C. R. & Loughin, T. M. (2004). Testing for marginal independence
//     between two categorical variables with multiple responses.
//     Biometrics 60, 241–248.
//   - Rao, J. N. K. & Scott, A. J. (1981). The analysis of categorical data
//     from complex sample surveys: chi-squared tests for goodness of fit and
//     independence in two-way tables. JASA 76, 221–230.
//   - Rao, J. N. K. & Scott, A. J. (1984). On chi-squared tests for multiway
//     contingency tables with cell proportions estimated from survey data.
//     Annals of Statistics 12, 46–60.
//   - Lumley, T. (2004). Analysis of complex survey samples. Journal of
//     Statistical Software 9(8); R package survey, svychisq (the reference
//     the weighted tests are checked against).
//   - Dunning, T. (1993). Accurate methods for the statistics of surprise and
//     coincidence. Computational Linguistics 19, 61–74; Rayson, P. & Garside,
//     R. (2000); Hardie, A. (2014). Log Ratio – an informal introduction.
package stats
