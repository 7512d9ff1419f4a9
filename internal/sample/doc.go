// Package sample generates synthetic 问卷星 (wjx.cn) survey exports about the
// "两张皮" problem — party-building work (党建) running separately from
// business work (业务) in government organs — for tests, benchmarks and demos.
//
// The output mimics the CSV a survey administrator downloads from wjx.cn:
// UTF-8 with a byte-order mark, CRLF line endings, RFC 4180 quoting, the six
// metadata columns wjx writes (序号 … 来自IP), four closed questions about the
// respondent, one multiple-choice question whose chosen options are joined
// with "┋", and one open question (Q6) in which the respondent explains the
// causes in their own words. An optional last column, 真实原因, holds the
// ground-truth cause category of the Q6 answer (see Causes), so text-mining
// stages can be scored against it.
//
// Data flow, one row at a time, nothing retained between rows except the
// clock and a small pool of office IP addresses:
//
//	Seed ─► PCG ─► respondent (Q1–Q4) ─► latent cause (weights by Q1 × Q2)
//	                                     ├─► Q5 options (correlated with cause)
//	                                     ├─► Q6 text (templates × synonyms × noise)
//	                                     └─► 真实原因 (cause, or 0 for noise answers)
//
// Output is a pure function of Options: the same Rows and Seed give the same
// bytes on every platform and Go release, because only the PCG generator of
// math/rand/v2 (whose algorithm is fixed) and integer arithmetic are used.
//
// Everything written — templates, phrasing, place names, IP prefixes — is
// invented for this package; no respondent is real.
package sample
