// Package report renders the run's results as a report for the people who
// write research reports: report.html, one self-contained page with inline
// CSS and SVG charts that works offline, and report.md, the key findings as
// Chinese sentences ready to paste.
//
// The package knows nothing about the pipeline. The pipeline fills a Model
// (plain values: frequencies, codebook categories, clusters, cross-tab
// panels with their tests, claims, methods) and calls
//
//	Dataset ──buildReportModel──▶ Model ──WriteHTML────▶ report.html
//	                                    └─WriteMarkdown─▶ report.md
//
// Charts are drawn here as SVG (BarChart, StackedChart, GroupedChart,
// Heatmap) with coordinates rounded to two decimals, so the same Model
// always gives the same bytes. Numbers follow the conventions of Chinese
// survey reports: FormatPct gives one decimal ("34.5%"), FormatP gives
// "p<0.001" or three decimals, test results read
// "χ²(4)=12.3，p=0.015，Cramér's V=0.11".
//
// The HTML page loads nothing: no scripts, web fonts, images or style
// sheets. Chinese renders with the first installed font of FontStack.
// Text from the data is HTML-escaped, and "://" in it is written as
// ":&#47;/", so the file's bytes contain no URL at all.
package report
