package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"surveymine/configs"
	"surveymine/pipeline/ingest"
)

// Config is the whole job. cmd/ decodes it from YAML, environment and flags;
// the zero value of every field means "the default" and the field comment
// says what that default is.
type Config struct {
	Inputs   ingest.Config  `mapstructure:"inputs"`
	Segment  SegmentConfig  `mapstructure:"segment"`
	Codebook CodebookConfig `mapstructure:"codebook"`
	Cluster  ClusterConfig  `mapstructure:"cluster"`
	Crosstab CrosstabConfig `mapstructure:"crosstab"`
	Output   OutputConfig   `mapstructure:"output"`
	Privacy  PrivacyConfig  `mapstructure:"privacy"` // masking of personal information (redact.go)
	Seed     uint64         `mapstructure:"seed"`    // seed of every random choice; 0 = 1
	Workers  int            `mapstructure:"workers"` // parallel workers; 0 = all cores
	Memory   string         `mapstructure:"memory"`  // memory budget such as 2GiB; "" = 60% of physical memory

	// File is the config file the values came from ("" when none). It is
	// not a config key; it names the file in error messages.
	File string `mapstructure:"-"`
}

// SegmentConfig configures Chinese word segmentation and token filters.
type SegmentConfig struct {
	UserDicts        []string `mapstructure:"user_dicts"`         // files of `word [freq] [pos]` lines, added to the built-in dictionaries and winning over them
	Stopwords        []string `mapstructure:"stopwords"`          // extra stopword files, one word per line
	Synonyms         string   `mapstructure:"synonyms"`           // YAML variant map merged over the built-in one; "" = built-in only
	NoDefaultStop    bool     `mapstructure:"no_default_stop"`    // drop the built-in generic stopword list
	NoBoilerplate    bool     `mapstructure:"no_boilerplate"`     // keep survey boilerplate such as 无, 同上, 不清楚
	NoDefaultSynonym bool     `mapstructure:"no_default_synonym"` // do not apply the built-in synonym map
	KeepNumbers      bool     `mapstructure:"keep_numbers"`       // keep numbers as terms
	KeepSingle       []string `mapstructure:"keep_single"`        // single characters kept as terms; empty = built-in keep-list
	DropPOS          []string `mapstructure:"drop_pos"`           // POS tags dropped, e.g. [r, c, u]
}

// CodebookConfig names the codebook used for deductive coding.
type CodebookConfig struct {
	// Path is the codebook YAML file, or builtin:NAME for a codebook built
	// into the binary (surveymine codebook list); "" = no codebook coding.
	Path string `mapstructure:"path"`
}

// ClusterConfig configures TF-IDF and k-means over the open answers.
type ClusterConfig struct {
	K        int     `mapstructure:"k"`        // number of clusters; 0 = choose automatically between k_min and k_max
	KMin     int     `mapstructure:"k_min"`    // smallest k tried when k = 0; 0 = 4
	KMax     int     `mapstructure:"k_max"`    // largest k tried when k = 0; 0 = 12
	Restarts int     `mapstructure:"restarts"` // k-means++ restarts, best kept; 0 = 10
	MinDF    float64 `mapstructure:"min_df"`   // minimum document frequency (<1 share, ≥1 count); 0 = 2
	MaxDF    float64 `mapstructure:"max_df"`   // maximum document frequency (<1 share, ≥1 count); 0 = 0.95
	LSA      int     `mapstructure:"lsa"`      // LSA dimensions before clustering; 0 = none
	Guided   bool    `mapstructure:"guided"`   // seed centroids from codebook categories
	Extra    int     `mapstructure:"extra"`    // free clusters added in guided mode; 0 = 2

	// Method is the clustering method: auto (default: every method and k
	// tried, the best by a label-free criterion kept), kmeans, lsa, gsdmm
	// or btm.
	Method string `mapstructure:"method"`
	// Weighting weighs the terms for kmeans and lsa: tfidf (default), bm25 or tf.
	Weighting string `mapstructure:"weighting"`
	// Collocations adds adjacent-term pairs with high NPMI as candidate
	// terms: none (default) or pmi.
	Collocations string `mapstructure:"collocations"`
	// Stability is the number of resamples B behind clusters.stability;
	// 0 = 10, -1 = off.
	Stability int `mapstructure:"stability"`
	// GSDMMChains is the number of independent GSDMM chains, the most
	// likely after 10 sweeps kept; 0 = 4, 1 = a single chain.
	GSDMMChains int `mapstructure:"gsdmm_chains"`
	// GSDMMTerms is what GSDMM counts: "words+chars" (default: the
	// answer's terms and each Han character in them) or "words".
	GSDMMTerms string `mapstructure:"gsdmm_terms"`
}

// GSDMM term sets (cluster.gsdmm_terms).
const (
	GSDMMWordsChars = "words+chars"
	GSDMMWords      = "words"
)

// CrosstabConfig configures cross-tabulation.
type CrosstabConfig struct {
	Missing     string `mapstructure:"missing"`       // "category" (default): missing kinds are their own columns; "exclude": left out and counted
	MonteCarloB int    `mapstructure:"monte_carlo_b"` // Monte Carlo replicates for sparse tables; 0 = 9999

	// WeightedTest is the weighted test behind crosstab_tests.p_weighted
	// when a weight column is set: "f" (default) the second-order Rao–Scott
	// F test, "chisq" the first-order Rao–Scott chi-square (R survey's
	// svychisq statistic = "F" / "Chisq"). Both are always written.
	WeightedTest string `mapstructure:"weighted_test"`

	// Tables lists the cross-tabs to build; empty = every cause variable
	// (clusters, codebook categories, multiple-choice options, other
	// single-choice questions) × every attribute.
	Tables []CrosstabSpec `mapstructure:"tables"`
}

// CrosstabSpec is one requested cross-tab family.
type CrosstabSpec struct {
	Rows string `mapstructure:"rows"` // clusters, categories, or a question (header, number, Qn or /regex/)
	Cols string `mapstructure:"cols"` // a single-choice question: header, number, Qn or /regex/
}

// OutputConfig says where and how tables are written.
type OutputConfig struct {
	Dir     string   `mapstructure:"dir"`     // output directory; "" = "out"
	Formats []string `mapstructure:"formats"` // any of arrow, parquet, csv, xlsx, html, md; empty = all
	CSVBOM  bool     `mapstructure:"csv_bom"` // start CSV files with a UTF-8 BOM so Excel reads Chinese correctly
	// CSVExcelSafe prefixes text cells that begin with = + - @ tab or CR
	// with ' so that Excel and WPS show them as text instead of running
	// them as formulas; unset = the value of CSVBOM (a CSV with a BOM is
	// meant for Excel, one without for pandas, R and DuckDB).
	CSVExcelSafe *bool  `mapstructure:"csv_excel_safe"`
	Force        bool   `mapstructure:"force"`         // replace a non-empty output directory
	Codec        string `mapstructure:"parquet_codec"` // Parquet compression: snappy (default), zstd, gzip or none
	// XLSXMaxRows leaves longer tables out of tables.xlsx (listed on its
	// "omitted" sheet); 0 = 100000, negative = no limit.
	XLSXMaxRows int `mapstructure:"xlsx_max_rows"`
}

// ExcelSafe reports whether CSV files are written safe for
// spreadsheets: output.csv_excel_safe when set, else output.csv_bom.
func (o OutputConfig) ExcelSafe() bool {
	if o.CSVExcelSafe != nil {
		return *o.CSVExcelSafe
	}
	return o.CSVBOM
}

// AllFormats lists every output format in the order they are written.
var AllFormats = []string{"arrow", "parquet", "csv", "xlsx", "html", "md"}

// ConfigError is a problem with the configuration, naming file and key path
// like `configs/wave3.yaml: cluster.k: must be >= 2, got 1`.
type ConfigError struct {
	File string
	Key  string
	Msg  string
}

func (e *ConfigError) Error() string {
	file := e.File
	if file == "" {
		file = "config"
	}
	if e.Key == "" {
		return file + ": " + e.Msg
	}
	return file + ": " + e.Key + ": " + e.Msg
}

// Validate checks the values without touching input files. It returns all
// problems joined, each a *ConfigError.
func (c *Config) Validate() error {
	var errs []error
	if err := c.Inputs.Validate(""); err != nil {
		errs = append(errs, &ConfigError{File: c.File, Msg: err.Error()})
	}
	if err := c.ValidateSettings(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// ValidateSettings checks everything but the inputs section, for commands
// that read no inputs (segment).
func (c *Config) ValidateSettings() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &ConfigError{File: c.File, Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	k := c.Cluster
	if k.K != 0 && k.K < 2 {
		bad("cluster.k", "must be 0 (automatic) or >= 2, got %d", k.K)
	}
	if k.KMin < 0 || k.KMax < 0 || (k.KMin > 0 && k.KMax > 0 && k.KMin > k.KMax) {
		bad("cluster.k_min", "k_min (%d) and k_max (%d) must be positive with k_min <= k_max", k.KMin, k.KMax)
	}
	if k.KMin == 1 {
		bad("cluster.k_min", "must be >= 2, got 1")
	}
	if k.Restarts < 0 {
		bad("cluster.restarts", "must be >= 0, got %d", k.Restarts)
	}
	if k.MinDF < 0 || k.MaxDF < 0 {
		bad("cluster.min_df", "document frequencies must be >= 0")
	}
	if k.LSA < 0 || k.LSA == 1 {
		bad("cluster.lsa", "must be 0 (off) or >= 2, got %d", k.LSA)
	}
	if m := k.Method; m != "" && !slices.Contains([]string{"auto", "kmeans", "lsa", "gsdmm", "btm"}, m) {
		bad("cluster.method", "must be auto, kmeans, lsa, gsdmm or btm, got %q", m)
	}
	if k.Method == "lsa" && k.LSA == 0 {
		bad("cluster.lsa", "method lsa needs the number of LSA dimensions (e.g. 100)")
	}
	if w := k.Weighting; w != "" && w != "tfidf" && w != "bm25" && w != "tf" {
		bad("cluster.weighting", "must be tfidf, bm25 or tf, got %q", w)
	}
	if cl := k.Collocations; cl != "" && cl != "pmi" && cl != "none" {
		bad("cluster.collocations", "must be pmi or none, got %q", cl)
	}
	if k.Stability < -1 {
		bad("cluster.stability", "must be -1 (off), 0 (default 10) or a number of resamples, got %d", k.Stability)
	}
	if k.GSDMMTerms != "" && k.GSDMMTerms != GSDMMWordsChars && k.GSDMMTerms != GSDMMWords {
		bad("cluster.gsdmm_terms", "must be %q (default) or %q, got %q", GSDMMWordsChars, GSDMMWords, k.GSDMMTerms)
	}
	if k.GSDMMChains < 0 {
		bad("cluster.gsdmm_chains", "must be 0 (default 4) or a number of chains, got %d", k.GSDMMChains)
	}
	if k.Guided && k.Method != "" && k.Method != "kmeans" && k.Method != "lsa" {
		bad("cluster.guided", "works with method kmeans or lsa, not %q", k.Method)
	}
	if k.Guided && c.Codebook.Path == "" {
		bad("cluster.guided", "needs codebook.path")
	}
	if p, ok := strings.CutPrefix(c.Codebook.Path, BuiltinPrefix); ok {
		if _, ok := configs.Codebook(strings.TrimSpace(p)); !ok {
			bad("codebook.path", "%v", unknownBuiltin(p))
		}
	}
	if m := c.Crosstab.Missing; m != "" && m != "category" && m != "exclude" {
		bad("crosstab.missing", "must be category or exclude, got %q", m)
	}
	for i, t := range c.Crosstab.Tables {
		if strings.TrimSpace(t.Rows) == "" {
			bad(fmt.Sprintf("crosstab.tables[%d].rows", i), "required: clusters, categories or a question")
		}
		if strings.TrimSpace(t.Cols) == "" {
			bad(fmt.Sprintf("crosstab.tables[%d].cols", i), "required: a single-choice question")
		}
	}
	if m := c.Crosstab.WeightedTest; m != "" && m != "f" && m != "chisq" {
		bad("crosstab.weighted_test", "must be f or chisq, got %q", m)
	}
	if c.Crosstab.MonteCarloB < 0 {
		bad("crosstab.monte_carlo_b", "must be >= 0, got %d", c.Crosstab.MonteCarloB)
	}
	for i, f := range c.Output.Formats {
		if !slices.Contains(AllFormats, strings.ToLower(f)) {
			bad(fmt.Sprintf("output.formats[%d]", i), "unknown format %q (want one of %s)", f, strings.Join(AllFormats, ", "))
		}
	}
	switch c.Output.Codec {
	case "", "zstd", "snappy", "gzip", "none":
	default:
		bad("output.parquet_codec", "must be zstd, snappy, gzip or none, got %q", c.Output.Codec)
	}
	if c.Workers < 0 {
		bad("workers", "must be >= 0, got %d", c.Workers)
	}
	c.validatePrivacy(bad)
	if err := c.validateMemory(); err != nil {
		bad("memory", "%v", err)
	}
	return errors.Join(errs...)
}

// Resolve makes every relative path in the config relative to the
// directory of the config file, so a config works from any working
// directory. Paths set on the command line should be absolute or
// relative to the working directory before Resolve is called with them.
func (c *Config) Resolve() {
	if c.File == "" {
		return
	}
	base := filepath.Dir(c.File)
	c.MapPaths(func(p string) string {
		// A rooted path without a drive (\data\x.csv on Windows) is on
		// the current drive, not under the config's directory.
		if filepath.IsAbs(p) || filepath.VolumeName(p) != "" || os.IsPathSeparator(p[0]) {
			return p
		}
		return filepath.Join(base, p)
	})
}

// MapPaths replaces every non-empty file or directory path in the config
// (inputs, dictionaries, stopword and synonym files, codebook, output
// directory) by f(path). Slices are copied, so a Config copied by value
// can be mapped without changing the original.
func (c *Config) MapPaths(f func(string) string) {
	m := func(p *string) {
		if *p != "" {
			*p = f(*p)
		}
	}
	c.Inputs.Surveys = append([]ingest.SurveyInput(nil), c.Inputs.Surveys...)
	c.Inputs.Reports = append([]ingest.ReportInput(nil), c.Inputs.Reports...)
	c.Segment.UserDicts = append([]string(nil), c.Segment.UserDicts...)
	c.Segment.Stopwords = append([]string(nil), c.Segment.Stopwords...)
	c.Privacy.Types = append([]string(nil), c.Privacy.Types...)
	for i := range c.Inputs.Surveys {
		m(&c.Inputs.Surveys[i].Path)
	}
	for i := range c.Inputs.Reports {
		m(&c.Inputs.Reports[i].Path)
	}
	for i := range c.Segment.UserDicts {
		m(&c.Segment.UserDicts[i])
	}
	for i := range c.Segment.Stopwords {
		m(&c.Segment.Stopwords[i])
	}
	m(&c.Segment.Synonyms)
	if !IsBuiltin(c.Codebook.Path) {
		m(&c.Codebook.Path)
	}
	m(&c.Output.Dir)
}

// formats returns the configured output formats, lower-cased, or all.
func (c *Config) formats() []string {
	if len(c.Output.Formats) == 0 {
		return AllFormats
	}
	out := make([]string, len(c.Output.Formats))
	for i, f := range c.Output.Formats {
		out[i] = strings.ToLower(f)
	}
	return out
}

// seed returns the configured seed, 1 when unset.
func (c *Config) seed() uint64 {
	if c.Seed == 0 {
		return 1
	}
	return c.Seed
}
