package report

import "math"

// Tests of the sample model, reused by the sentence and page tests.
var (
	// testClusters is significant by the raw p and by BH, not by Holm.
	testClusters = Test{ID: "cluster_Q6_by_Q1", Attribute: "1、您所在单位的类型：", Subject: "开放题回答的聚类",
		N: 95, Status: "ok", Method: "pearson_chi2", MethodReason: "at most 20% of expected counts below 5 and none below 1: asymptotic chi-square is adequate",
		Chi2: 12.345, DF: 4, P: 0.0153, V: 0.1149, MinDim: 3, PHolm: 0.09, PBH: 0.04}
	// testNotSig is not significant.
	testNotSig = Test{ID: "cat1_by_Q1", Attribute: "1、您所在单位的类型：", Subject: "是否提及“思想认识”",
		N: 80, Status: "ok", Method: "pearson_chi2", Chi2: 0.71, DF: 1, P: 0.3994, V: 0.094, MinDim: 2, PHolm: 1, PBH: 0.6}
	// testMonteCarlo is significant by Monte Carlo, but not after correction.
	testMonteCarlo = Test{ID: "cat2_by_Q1", Attribute: "1、您所在单位的类型：", Subject: "是否提及“考核评价”",
		N: 80, Status: "ok", Method: "monte_carlo_chi2", MonteCarloB: 9999, Chi2: 8.26, DF: 2, P: 0.0204, V: 0.13, MinDim: 2, PHolm: 0.4, PBH: 0.12}
	// testFisher is significant by Fisher's exact test and after Holm.
	testFisher = Test{ID: "Q5_1_by_Q2", Attribute: "2、您的职级：", Subject: "是否选择“党建工作制度规定不完善”",
		N: 40, Status: "ok", Method: "fisher_exact", Chi2: 4.2, DF: 1, P: 0.0004, V: 0.35, MinDim: 2, PHolm: 0.003, PBH: 0.002}
	// testDegenerate could not be run.
	testDegenerate = Test{ID: "Q5_2_by_Q2", Attribute: "2、您的职级：", Subject: "是否选择“其他”",
		N: 40, Status: "degenerate_1xK", StatusDetail: "only one row left after dropping empty rows", Method: "none",
		Chi2: math.NaN(), P: math.NaN(), V: math.NaN(), PHolm: math.NaN(), PBH: math.NaN()}
)

// sampleChartCount is the number of charts sampleModel draws: one per
// question, one for the codebook, one for the clusters and two per panel.
const sampleChartCount = 2 + 1 + 1 + 3*2

// sampleModel is a small hand-built model with every section, user text
// holding markup and URLs, a placeholder claim and NaNs.
func sampleModel() *Model {
	nan := math.NaN()
	return &Model{
		Title:   "“两张皮”问题调查分析报告",
		Version: "v0.9.0-test",
		Overview: Overview{
			Inputs: []Input{
				{File: "survey.csv", Format: "csv", Encoding: "utf-8", Read: 12, Accepted: 10, Rejected: 2},
				{File: "reports/r1.txt", Format: "txt", Encoding: "gb18030", Read: 5, Accepted: 5},
			},
			Respondents: 10, Units: 15, OpenAnswers: 10, Answered: 8, ReportUnits: 5, Rejects: 2,
			RejectReasons: []Count{{"ragged_row", 1}, {"bad_encoding", 1}},
			Warnings:      []string{"duplicate id 7, see https://example.org/help"},
		},
		Questions: []Question{
			{ID: "Q1", Header: "1、您所在单位的类型：", Base: 10, Options: []Option{{"机关", 6, 60}, {"派出机构", 4, 40}}},
			{ID: "Q5", Header: "5、您认为造成党建与业务工作“两张皮”问题的主要原因有哪些？（多选）", Multi: true, Base: 8, Missing: 2,
				Options: []Option{{"党建工作制度规定不完善", 3, 37.5}, {"履行“一岗双责”意识不到位", 5, 62.5}, {"其他", 3, 37.5}}},
		},
		Codebook: &Codebook{Name: "两张皮成因", Version: "1", Base: 8, Items: []Category{
			{ID: 1, Name: "思想认识", Description: "重业务轻党建", N: 3, Pct: 37.5},
			{ID: 2, Name: "考核评价", N: 5, Pct: 62.5},
			{ID: 3, Name: "管理体制", N: 0, Pct: 0},
			{ID: 0, Name: "其他", Other: true, N: 1, Pct: 12.5},
		}},
		Clusters: &Clusters{K: 2, Answered: 8, Clustered: 7, Unclassified: 1, Items: []Cluster{
			{ID: 1, Label: "党建工作、业务工作", Size: 4, Pct: 400.0 / 7, Terms: []string{"党建工作", "业务工作", "脱节"},
				Exemplars: []string{"党建和业务两张皮。", "党建工作与业务工作脱节\n很严重", "<script>alert('x')</script> 见 http://evil.example/a"},
				Nearest:   "思想认识", NearestPct: 75},
			{ID: 2, Label: "考核", Size: 3, Pct: 300.0 / 7, Terms: []string{"考核"}, Exemplars: []string{"考核不合理"}, NearestPct: nan},
		}},
		Crosstabs: []Attribute{
			{ID: "Q1", Title: "1、您所在单位的类型：", Panels: []Panel{
				{Kind: Stacked, Title: "开放题聚类", RowTitle: "聚类", Rows: []string{"1 党建工作、业务工作", "2 考核"}, Cols: []string{"机关", "派出机构"},
					Share: [][]float64{{75, 33.3}, {25, 66.7}}, Resid: [][]float64{{2.14, -2.14}, {-2.14, 2.14}}, Tests: []Test{testClusters}},
				{Kind: Grouped, Title: "原因类别", RowTitle: "原因类别", Rows: []string{"思想认识", "考核评价"}, Cols: []string{"机关", "派出机构"},
					Share: [][]float64{{50, 25}, {nan, 25}}, Resid: [][]float64{{0.5, -0.5}, {nan, 3.31}}, Tests: []Test{testNotSig, testMonteCarlo}},
			}},
			{ID: "Q2", Title: "2、您的职级：", Panels: []Panel{
				{Kind: Grouped, Title: "Q5 选项", RowTitle: "选项", Rows: []string{"党建工作制度规定不完善", "其他"}, Cols: []string{"处级", "科级及以下", "(跳过)"},
					Share: [][]float64{{10, 60, 0}, {0, 0, 0}}, Resid: [][]float64{{-3.6, 3.6, nan}, {nan, nan, nan}}, Tests: []Test{testFisher, testDegenerate}},
			}},
		},
		MMI: []MMITest{
			{ID: "categories_by_Q1", Set: "开放题原因类别", Attribute: "1、您所在单位的类型：", Items: 3, N: 80, Status: "ok",
				X2S: 40.1, X2RS2: 51.46, DFRS2: 14.42, PRS2: 0.00001, PBonferroni: 0.0001},
			{ID: "Q5_by_Q2", Set: "5、您认为造成党建与业务工作“两张皮”问题的主要原因有哪些？（多选）", Attribute: "2、您的职级：", Items: 3, N: 40, Status: "ok",
				X2S: 3, X2RS2: 2.5, DFRS2: 3.2, PRS2: 0.52, PBonferroni: 1},
		},
		Claims: []Claim{
			{Source: "reports/r1.txt:¶8（二、存在的主要问题）", Text: "问卷中，有xx人认为“党建活动形式单一”，占xx.x%", Claimed: "党建活动形式单一",
				Count: -1, Pct: nan, Placeholder: true, SurveyN: -1, SurveyPct: nan},
			{Source: "reports/r1.txt:¶9", Text: "有3人认为“党建工作制度规定不完善”，占37.5%（详见 https://example.org/r）", Claimed: "党建工作制度规定不完善",
				Count: 3, Pct: 37.5, SurveyN: 3, SurveyPct: 37.5},
		},
		Methods: Methods{
			Seed: 20261127, Go: "go1.26.0", Codebook: "liangzhangpi.yaml",
			Libraries: []Library{{"github.com/go-ego/gse", "v0.80.3"}, {"gonum.org/v1/gonum", "v0.17.0"}},
			Segmentation: Segmentation{Lexicon: 420, CodebookTerm: 150, Tokens: 15471, Terms: 7801,
				Dropped: []Count{{"punct", 2886}, {"stopword", 3000}}, Merges: 620, SplitTerms: 1, CacheHitRate: 0.5},
			Clustering: Clustering{K: 2, Restarts: 10, MinDF: 2, MaxDF: 0.95, Vocabulary: 471, Seed: 20261127},
			Tests:      TestMethods{Tests: 5, MonteCarloB: 9999, Missing: "category"},
		},
	}
}
