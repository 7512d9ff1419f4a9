package report

// Model is everything the report shows. It holds plain values only, so the
// report package does not depend on the pipeline; the pipeline fills it in
// (pipeline.buildReportModel). A zero Model is valid and renders a report
// with empty sections. Percentages are 0–100; NaN means "not available"
// and is rendered as "—".
type Model struct {
	Title     string // report title; "" = DefaultTitle
	Version   string // surveymine version shown in the methods; "" = not shown
	Generated string // time the report was made, as text; "" = not shown (keeps output reproducible)

	Overview  Overview
	Questions []Question // closed questions with their frequencies, in survey order
	Codebook  *Codebook  // respondent-level codebook categories; nil when no codebook was used
	Clusters  *Clusters  // clusters of the open answers; nil when nothing was clustered
	Crosstabs []Attribute
	MMI       []MMITest // joint tests of multiple-response sets against attributes
	Claims    []Claim   // quantitative claims found in the input reports
	Methods   Methods
}

// DefaultTitle is the title of a Model without one.
const DefaultTitle = "问卷文本分析报告"

// Alpha is the significance level the report uses to call a test
// significant.
const Alpha = 0.05

// Overview accounts for the inputs.
type Overview struct {
	Inputs        []Input
	Respondents   int     // accepted survey respondents
	Units         int     // text units of every kind
	OpenAnswers   int     // open-answer units (one per respondent and open question), missing ones included
	Answered      int     // open-answer units with an answer
	ReportUnits   int     // text units from reports (paragraphs, sentences, points)
	Rejects       int     // rejected input rows
	RejectReasons []Count // rejected rows per reason code, most frequent first
	Warnings      []string
	Privacy       string // one sentence on the masking of personal information; "" = not shown
}

// Input is one input file: Read = Accepted + Rejected.
type Input struct {
	File     string
	Format   string // csv, xlsx, txt …
	Encoding string
	Read     int // data rows (surveys) or paragraphs (reports)
	Accepted int
	Rejected int
}

// Count is a labelled count.
type Count struct {
	Label string
	N     int
}

// Question is a closed (single or multiple choice) question with the
// frequencies of its options.
type Question struct {
	ID      string // "Q5"
	Header  string // header as exported, e.g. "5、您认为造成…的原因是？（多选）"
	Multi   bool   // multiple choice
	Base    int    // respondents who answered: the base of Pct
	Missing int    // respondents without an answer (skipped, empty or blank)
	Options []Option
}

// Option is one choice of a question.
type Option struct {
	Label string
	N     int     // respondents who chose it
	Pct   float64 // N / Question.Base × 100
}

// Codebook is the respondent-level result of deductive coding: who named
// each category in any open answer.
type Codebook struct {
	Name    string
	Version string // "" when the codebook has none
	Base    int    // respondents with at least one open answer with content
	Items   []Category
}

// Category is one codebook category.
type Category struct {
	ID          int
	Name        string
	Description string
	Other       bool    // the 其他 category: content that no rule codes
	N           int     // respondents naming the category
	Pct         float64 // N / Codebook.Base × 100
}

// Clusters describes the clusters of the open answers.
type Clusters struct {
	K            int
	Answered     int // open answers with an answer
	Clustered    int // answers assigned to a cluster: the base of Cluster.Pct
	Unclassified int // answered but not clustered (no content terms …)
	Items        []Cluster

	Method       string // kmeans, lsa, gsdmm or btm; "" when nothing was clustered
	Status       string // "ok", or "too_few_answers" when there was too little text to cluster
	StatusDetail string // the numbers behind a status other than ok
	StabilityB   int    // resamples behind Cluster.Stability; 0 when not assessed
}

// Cluster is one cluster of open answers.
type Cluster struct {
	ID         int // 1..K, largest first
	Label      string
	Size       int
	Pct        float64  // Size / Clusters.Clustered × 100
	Terms      []string // distinctive terms, most distinctive first
	Exemplars  []string // answers closest to the cluster centre
	Nearest    string   // codebook category coded most often in the cluster; "" when none
	NearestPct float64  // share of the cluster's answers coded with Nearest, 0–100; NaN when none
	Stability  float64  // mean best-match Jaccard across resamples, 0–1; NaN when not assessed
	Unstable   bool     // Stability below 0.6: shown apart, not as a finding
}

// Attribute groups the cross-tab panels of one attribute question.
type Attribute struct {
	ID     string // "Q1"
	Title  string // the question header
	Panels []Panel
}

// PanelKind says how a panel's shares are drawn.
type PanelKind uint8

// The panel kinds.
const (
	// Stacked panels show one categorical variable (the clusters): each
	// attribute value is a bar of 100% split into the row values.
	Stacked PanelKind = iota
	// Grouped panels show several yes/no variables (codebook categories
	// named, options chosen): per row, one bar per attribute value with
	// the share of yes.
	Grouped
)

// Panel is one set of cross-tabs against one attribute, drawn as a share
// chart and a heatmap of adjusted residuals.
type Panel struct {
	Kind     PanelKind
	Title    string // e.g. "开放题聚类", "原因类别", "Q5 您认为…"
	RowTitle string // what the rows are: "聚类", "原因类别", "选项"
	Rows     []string
	Cols     []string    // attribute values
	Share    [][]float64 // [row][col], 0–100; Stacked: share of the column's respondents in the row (each column sums to 100); Grouped: share of the column's respondents saying yes
	Resid    [][]float64 // [row][col] adjusted standardized residual of the (yes) cell; NaN when not defined
	Tests    []Test      // Stacked: one test; Grouped: one per row
}

// Test is the test of independence of one cross-tab.
type Test struct {
	ID           string
	Attribute    string // attribute question header
	Subject      string // what is related to the attribute, in words: "开放题回答的聚类", "是否提及“思想认识”"
	N            int
	Excluded     int
	ExcludedNote string
	Status       string // "ok" or why no test was possible
	StatusDetail string
	Method       string // pearson_chi2, fisher_exact, monte_carlo_chi2 or none
	MethodReason string // why Method was used, as the statistics package says it
	MonteCarloB  int    // random tables drawn by the Monte Carlo test
	Chi2         float64
	DF           int
	P            float64 // p-value of Method
	V            float64 // Cramér's V
	MinDim       int     // min(rows, columns) of the table tested, for judging V
	PHolm        float64 // Holm-adjusted p over all tests of the run
	PBH          float64 // Benjamini–Hochberg adjusted p over all tests of the run
}

// MMITest is a joint test of multiple marginal independence.
type MMITest struct {
	ID           string
	Set          string // the multiple-response set: "原因类别" or a question header
	Attribute    string
	Items        int // items in the set
	N            int
	Status       string
	StatusDetail string
	X2S          float64 // sum of the per-item chi-squares
	X2RS2        float64 // second-order Rao–Scott statistic
	DFRS2        float64
	PRS2         float64
	PBonferroni  float64
}

// Claim is a quantitative statement found in an input report.
type Claim struct {
	Source      string  // "file:¶12 (heading > heading)"
	Text        string  // the sentence
	Claimed     string  // the option or statement claimed
	Count       int     // -1 when absent
	Pct         float64 // NaN when absent
	Placeholder bool    // the figure is a placeholder such as xx
	SurveyN     int     // respondents choosing the same option in our survey; -1 when no option matches
	SurveyPct   float64 // their share of the question's base; NaN when no option matches
}

// Methods records how the results were made.
type Methods struct {
	Seed         uint64
	Go           string    // Go toolchain version; "" = not shown
	Libraries    []Library // library versions, in the order given
	Codebook     string    // codebook file; "" when none
	Segmentation Segmentation
	Clustering   Clustering
	Tests        TestMethods
}

// Library is a component and its version.
type Library struct {
	Name    string
	Version string
}

// Segmentation describes word segmentation and its filters.
type Segmentation struct {
	Lexicon      int     // entries of the bundled domain lexicon
	UserDicts    int     // user dictionary files
	Stopwords    int     // extra stopword files
	CodebookTerm int     // codebook terms (not phrases) the segmentation audit checks for splitting
	Tokens       int64   // tokens produced
	Terms        int64   // tokens kept as analysis terms
	Dropped      []Count // tokens dropped per filter (filter names as in the audit)
	Merges       int64   // tokens merged by the synonym map
	SplitTerms   int     // lexicon or codebook terms the segmenter does not keep whole
	CacheHitRate float64 // 0–1; NaN when unknown
}

// Clustering describes the clustering settings.
type Clustering struct {
	K          int
	Auto       bool // k chosen automatically between KMin and KMax
	KMin, KMax int
	Restarts   int
	MinDF      float64
	MaxDF      float64
	Method     string  // kmeans, lsa, gsdmm or btm: the method that produced the clusters
	Selection  string  // "auto" when the method (and k) were chosen by the sweep criterion
	RunnerUp   string  // auto: the method with the next best criterion; "" when one method was tried
	Margin     float64 // auto: criterion of the chosen method minus the runner-up's
	Close      bool    // auto: the margin is within the criterion's spread across seeds
	Weighting  string  // tfidf, bm25 or tf
	Colls      int     // collocations merged into single terms
	Chars      bool    // GSDMM also counted the Han characters of the terms
	LSA        int     // LSA dimensions; 0 = none
	Guided     bool    // centroids seeded from the codebook categories
	Extra      int     // free clusters added to the seeded ones in guided mode
	Vocabulary int
	Seed       uint64
}

// TestMethods describes the tests.
type TestMethods struct {
	Tests       int    // cross-tab tests in the multiple-testing family
	MonteCarloB int    // replicates of Monte Carlo tests
	Missing     string // "category" or "exclude"
}
