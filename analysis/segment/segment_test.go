package segment

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
	"unsafe"
)

// Shared segmenters: the base dictionary loads once per process (sync.Once
// in base), and these are built once for the tests that only read them.
var (
	defOnce sync.Once
	defSeg  *Segmenter
)

func defaultSegmenter(t testing.TB) *Segmenter {
	t.Helper()
	defOnce.Do(func() {
		s, err := New(Config{})
		if err != nil {
			t.Fatalf("New(Config{}) = %v", err)
		}
		defSeg = s
	})
	return defSeg
}

func mustNew(t testing.TB, cfg Config) *Segmenter {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New(%+v) = %v", cfg, err)
	}
	return s
}

func texts(toks []Token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Text
	}
	return out
}

// checkSpans verifies that toks cover text exactly, rune offsets included.
func checkSpans(t *testing.T, text string, toks []Token) {
	t.Helper()
	rs := []rune(text)
	pos := 0
	for _, tk := range toks {
		if int(tk.Start) != pos || tk.End <= tk.Start || int(tk.End) > len(rs) || string(rs[tk.Start:tk.End]) != tk.Text {
			t.Fatalf("Cut(%q): token %+v does not match runes [%d:%d)", text, tk, tk.Start, tk.End)
		}
		if (tk.Term == "") != (tk.Dropped != Keep) {
			t.Fatalf("Cut(%q): token %+v: Term and Dropped disagree", text, tk)
		}
		pos = int(tk.End)
	}
	if pos != len(rs) {
		t.Fatalf("Cut(%q): tokens cover %d runes, want %d", text, pos, len(rs))
	}
}

func TestDomainTermsKeptWhole(t *testing.T) {
	s := defaultSegmenter(t)
	cases := []struct {
		text string
		want []string // tokens that must appear whole
	}{
		{"我们单位党建和业务两张皮的问题比较突出", []string{"两张皮", "党建", "业务"}},
		{"一岗双责落实不到位，考核评价机制不科学", []string{"一岗双责", "考核评价"}},
		{"三会一课流于形式，主题党日就是走过场", []string{"三会一课", "主题党日", "走过场"}},
		{"党务干部大多是兼职，专职党务干部太少", []string{"党务干部", "兼职", "专职党务干部"}},
		{"支部书记要抓好党建品牌建设", []string{"支部书记", "党建品牌"}},
		{"存在重业务轻党建的倾向，形式主义严重", []string{"重业务轻党建", "形式主义"}},
		{"党风廉政建设与中心工作找不到结合点", []string{"党风廉政建设", "中心工作", "结合点"}},
		{"实行属地管理，建立长效机制", []string{"属地管理", "长效机制"}},
		{"党员的先锋模范作用没有发挥，制度形同虚设", []string{"先锋模范作用", "形同虚设", "没有"}},
		{"党建说起来重要，做起来次要", []string{"说起来重要", "做起来次要"}},
	}
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			toks := s.Cut(tc.text)
			checkSpans(t, tc.text, toks)
			got := texts(toks)
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("Cut(%q) = %v, want %q whole", tc.text, got, w)
				}
			}
		})
	}
}

func TestDomainLexiconNotSplit(t *testing.T) {
	s := defaultSegmenter(t)
	var words []string
	for _, e := range DomainLexicon() {
		words = append(words, e.Word)
	}
	if len(words) < 200 {
		t.Errorf("DomainLexicon() has %d entries, want at least 200", len(words))
	}
	if got := s.Splits(words); len(got) > 0 {
		t.Errorf("Splits(DomainLexicon) = %v, want none", got)
	}
}

func TestSplits(t *testing.T) {
	s := mustNew(t, Config{NoDomainLexicon: true, NoDefaultSynonyms: true})
	got := s.Splits([]string{"三会一课", "", "干部", "党务干部"})
	want := []Split{{"三会一课", []string{"三", "会", "一", "课"}}, {"党务干部", []string{"党务", "干部"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Splits without lexicon = %v, want %v", got, want)
	}
}

func TestUserEntriesWin(t *testing.T) {
	text := "党建工作要强化结合点意识"
	cases := []struct {
		name    string
		entries []Entry
		want    string // a token that must appear
		wantPOS string
	}{
		// 结合点意识 is in no dictionary: a user entry adds it.
		{"new word", []Entry{{Word: "结合点意识", Freq: 20000, POS: "nz"}}, "结合点意识", "nz"},
		// 结合点 is in gse and in the lexicon; the user's POS wins.
		{"override pos", []Entry{{Word: "结合点", Freq: 30000, POS: "nx"}}, "结合点", "nx"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := mustNew(t, Config{UserEntries: tc.entries})
			toks := s.Cut(text)
			checkSpans(t, text, toks)
			i := slices.IndexFunc(toks, func(tk Token) bool { return tk.Text == tc.want })
			if i < 0 {
				t.Fatalf("Cut(%q) = %v, want token %q", text, texts(toks), tc.want)
			}
			if toks[i].POS.String() != tc.wantPOS {
				t.Errorf("Cut(%q): POS of %q = %q, want %q", text, tc.want, toks[i].POS, tc.wantPOS)
			}
		})
	}
	// Without the user entry the default segmenter does not produce 点意.
	if got := texts(defaultSegmenter(t).Cut(text)); slices.Contains(got, "点意") {
		t.Errorf("default Cut(%q) = %v, want no 点意", text, got)
	}
}

// A user frequency replaces both the gse and the lexicon frequency.
func TestUserFrequencyWins(t *testing.T) {
	for _, w := range []string{"两张皮", "形式主义", "结合点意识"} {
		s := mustNew(t, Config{UserEntries: []Entry{{Word: w, Freq: 1234, POS: "zz"}}})
		e, word, _ := s.lex.find(w)
		if !word || e.log2Freq != float32(math.Log2(1234)) || posName(e.pos) != "zz" {
			t.Errorf("find(%q) = (%v, %v, %q), want freq 1234 and pos zz", w, word, math.Exp2(float64(e.log2Freq)), posName(e.pos))
		}
	}
}

func TestUserEntryRejected(t *testing.T) {
	for _, w := range []string{"", "两 张", "党建，业务"} {
		if _, err := New(Config{UserEntries: []Entry{{Word: w, Freq: 10}}}); err == nil {
			t.Errorf("New with user word %q: got nil error, want error", w)
		}
	}
}

func TestFilters(t *testing.T) {
	text := "无。暂无！我们支部的党员不是不重视，2023年学习了3次，党 岗"
	cases := []struct {
		name string
		cfg  Config
		want map[string]Filter // token text → verdict
	}{
		{"defaults", Config{}, map[string]Filter{
			"无": Stopword, "暂无": Boilerplate, "我们": Stopword, "的": Stopword, "不是": Stopword,
			"不": Stopword, "。": Punct, "，": Punct, " ": Space, "2023": Number, "3": Number,
			"年": SingleChar, "次": SingleChar, "党": Keep, "岗": Keep, "支部": Keep, "党员": Keep,
		}},
		{"layers off", Config{NoGenericStopwords: true, NoBoilerplate: true, KeepNumbers: true, KeepPunct: true}, map[string]Filter{
			"无": SingleChar, "暂无": Keep, "我们": Keep, "的": SingleChar, "不是": Keep,
			"。": Keep, "2023": Keep, "3": Keep,
		}},
		{"user stopwords and keep list", Config{UserStopwords: []string{"支部", "党员"}, KeepSingleChars: []string{"年"}}, map[string]Filter{
			"支部": UserStop, "党员": UserStop, "年": Keep, "党": SingleChar, "次": SingleChar,
		}},
		{"all single chars", Config{KeepAllSingleChars: true, NoGenericStopwords: true}, map[string]Filter{
			"年": Keep, "次": Keep, "的": Keep, "无": Boilerplate, "。": Punct,
		}},
		{"pos", Config{DropPOS: []string{"n"}}, map[string]Filter{
			"支部": POS, "党员": POS, "重视": Keep,
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := mustNew(t, tc.cfg)
			toks := s.Cut(text)
			checkSpans(t, text, toks)
			seen := map[string]bool{}
			for _, tk := range toks {
				want, ok := tc.want[tk.Text]
				if !ok {
					continue
				}
				seen[tk.Text] = true
				if tk.Dropped != want {
					t.Errorf("Cut(%q): %q dropped by %v, want %v", text, tk.Text, tk.Dropped, want)
				}
			}
			for w := range tc.want {
				if !seen[w] {
					t.Errorf("Cut(%q) = %v, want a token %q", text, texts(toks), w)
				}
			}
			audit := s.Audit()
			var dropped int64
			for _, fc := range audit.Dropped {
				dropped += fc.Tokens
			}
			if audit.Tokens != int64(len(toks)) || audit.Terms+dropped != audit.Tokens {
				t.Errorf("Audit() tokens=%d terms=%d dropped=%d, want tokens=%d and terms+dropped=tokens",
					audit.Tokens, audit.Terms, dropped, len(toks))
			}
		})
	}
}

// Negations must stay in the token stream with their text.
func TestNegationsVisible(t *testing.T) {
	s := defaultSegmenter(t)
	text := "领导不是不重视，并非没有时间"
	toks := s.Cut(text)
	got := texts(toks)
	for _, w := range []string{"不是", "不", "并非", "没有"} {
		if !slices.Contains(got, w) {
			t.Errorf("Cut(%q) = %v, want negation %q in the stream", text, got, w)
		}
	}
	if strings.Join(got, "") != text {
		t.Errorf("Cut(%q) tokens join to %q", text, strings.Join(got, ""))
	}
}

func TestSynonyms(t *testing.T) {
	text := "党务工作者和党务人员都是兼职，党务干部太少，支书很忙"
	s := mustNew(t, Config{Synonyms: map[string]string{"支书": "书记", "兼职": "兼任"}})
	toks := s.Cut(text)
	checkSpans(t, text, toks)
	got := Terms(toks)
	want := []string{"党务干部", "党务干部", "兼任", "党务干部", "太少", "书记", "很忙"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Terms(Cut(%q)) = %v, want %v", text, got, want)
	}
	wantMerges := []Merge{
		{"党务人员", "党务干部", 1}, {"党务工作者", "党务干部", 1}, {"兼职", "兼任", 1}, {"支书", "书记", 1},
	}
	if got := s.Audit().Merges; !reflect.DeepEqual(got, wantMerges) {
		t.Errorf("Audit().Merges = %v, want %v", got, wantMerges)
	}
	// Without the default map nothing merges.
	s2 := mustNew(t, Config{NoDefaultSynonyms: true})
	if got := Terms(s2.Cut("党务工作者")); !reflect.DeepEqual(got, []string{"党务工作者"}) {
		t.Errorf("NoDefaultSynonyms Terms = %v, want [党务工作者]", got)
	}
}

func TestAuditCounts(t *testing.T) {
	s := mustNew(t, Config{})
	in := []string{"无", "无", "同上", "党建工作的形式主义", "形式主义的问题，的确"}
	if _, err := s.CutAll(context.Background(), in, 2); err != nil {
		t.Fatal(err)
	}
	a := s.Audit()
	get := func(f Filter, w string) int64 {
		for _, fc := range a.Dropped {
			if fc.Filter == f {
				for _, c := range fc.Words {
					if c.Word == w {
						return c.Count
					}
				}
			}
		}
		return 0
	}
	for _, c := range []struct {
		f    Filter
		w    string
		want int64
	}{{Stopword, "无", 2}, {Boilerplate, "同上", 1}, {Stopword, "的", 2}, {Punct, "，", 1}} {
		if got := get(c.f, c.w); got != c.want {
			t.Errorf("Audit %v %q = %d, want %d", c.f, c.w, got, c.want)
		}
	}
	// Five clauses of four distinct texts (the last has two): the second
	// 无 is not cut again, yet counted above, so no clause repeats.
	if a.CacheLookups != 5 || a.CacheHits != 0 {
		t.Errorf("Audit cache lookups/hits = %d/%d, want 5/0", a.CacheLookups, a.CacheHits)
	}
	if want := []Count{{"无", 2}, {"的", 2}}; !reflect.DeepEqual(a.SingleChars, want) {
		t.Errorf("Audit().SingleChars = %v, want %v", a.SingleChars, want)
	}
}

func TestCutDistinct(t *testing.T) {
	s := mustNew(t, Config{})
	in := []string{"同上", "党建工作的形式主义", "", "同上", "党建工作的形式主义", "同上"}
	r, err := s.CutDistinct(context.Background(), in, 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int32{0, 1, 2, 0, 1, 0}; !reflect.DeepEqual(r.Of, want) {
		t.Errorf("CutDistinct Of = %v, want %v", r.Of, want)
	}
	if want := []int{3, 2, 1}; !reflect.DeepEqual(r.Count, want) {
		t.Errorf("CutDistinct Count = %v, want %v", r.Count, want)
	}
	if r.Cuts.Len() != 3 || r.Cuts.NumTokens(2) != 0 || r.Cuts.NumTokens(0) == 0 {
		t.Fatalf("CutDistinct Cuts: %d entries, want 3, the last without tokens", r.Cuts.Len())
	}
	all, err := s.CutAll(context.Background(), in, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range in {
		if want := s.Cut(text); !reflect.DeepEqual(all[i], want) {
			t.Errorf("CutAll[%d] = %v, want %v", i, all[i], want)
		}
	}
	// Equal texts share one backing array, with no room to append into.
	if &all[0][0] != &all[3][0] || &all[1][0] != &all[4][0] {
		t.Error("CutAll: equal texts do not share their tokens")
	}
	if cap(all[0]) != len(all[0]) {
		t.Errorf("CutAll: cap %d > len %d, an append would write into shared memory", cap(all[0]), len(all[0]))
	}
}

func TestTokenSize(t *testing.T) {
	if got := unsafe.Sizeof(Token{}); got != 48 {
		t.Errorf("sizeof(Token) = %d, want 48", got)
	}
	if got := TagOf("vn").String(); got != "vn" {
		t.Errorf("TagOf(vn).String() = %q", got)
	}
	if got := TagOf("").String(); got != "x" {
		t.Errorf("TagOf(\"\").String() = %q, want x", got)
	}
}

func TestCutAllDeterministic(t *testing.T) {
	in := surveyTexts(t, 400)
	var want [][]Token
	for _, workers := range []int{1, 2, 4, 7} {
		for _, cacheSize := range []int{-1, 0, 8} {
			s := mustNew(t, Config{CacheSize: cacheSize})
			got, err := s.CutAll(context.Background(), in, workers)
			if err != nil {
				t.Fatalf("CutAll(workers=%d) = %v", workers, err)
			}
			if want == nil {
				want = got
				for i := range in {
					checkSpans(t, in[i], got[i])
				}
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("CutAll(workers=%d, cache=%d) differs from workers=1, no cache", workers, cacheSize)
			}
		}
	}
	// Cut gives the same as CutAll.
	s := defaultSegmenter(t)
	for i, text := range in[:50] {
		if got := s.Cut(text); !reflect.DeepEqual(got, want[i]) {
			t.Fatalf("Cut(%q) = %v, want %v", text, got, want[i])
		}
	}
}

func TestCutAllCancel(t *testing.T) {
	s := defaultSegmenter(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.CutAll(ctx, surveyTexts(t, 2000), 2); !errors.Is(err, context.Canceled) {
		t.Errorf("CutAll(cancelled) = %v, want context.Canceled", err)
	}
}

func TestCutEdgeCases(t *testing.T) {
	s := defaultSegmenter(t)
	for _, text := range []string{"", " ", "，，", "abc", "ＡＢＣ全角", "😀党建😀", "a\u0301b", "\xff\xfe党", "中华人民共和国成立了"} {
		toks := s.Cut(text)
		if text == "" {
			if toks != nil {
				t.Errorf("Cut(\"\") = %v, want nil", toks)
			}
			continue
		}
		if !utf8.ValidString(text) {
			if strings.Join(texts(toks), "") != text {
				t.Errorf("Cut(%q) does not cover the text", text)
			}
			continue
		}
		checkSpans(t, text, toks)
	}
}

func TestParseDict(t *testing.T) {
	good := "\ufeff# comment\n两张皮 20000 l\n\n党建品牌\t5000\n支书\n"
	got, err := ParseDict(strings.NewReader(good), "user.txt")
	want := []Entry{{"两张皮", 20000, "l"}, {"党建品牌", 5000, ""}, {"支书", DefaultFreq, ""}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ParseDict(good) = %v, %v, want %v", got, err, want)
	}
	for _, tc := range []struct{ in, want string }{
		{"a 1 n\nb x n\n", "user.txt:2: frequency \"x\" is not a positive number"},
		{"a -3\n", "user.txt:1: frequency \"-3\" is not a positive number"},
		{"\n\na 1 n extra\n", "user.txt:3: want `word [freq] [pos]`, got 4 fields"},
	} {
		_, err := ParseDict(strings.NewReader(tc.in), "user.txt")
		if err == nil || err.Error() != tc.want {
			t.Errorf("ParseDict(%q) error = %v, want %q", tc.in, err, tc.want)
		}
	}
}

func TestParseSynonyms(t *testing.T) {
	got, err := ParseSynonyms([]byte("党务工作者: 党务干部\n支部书记: [支书, 党支部书记]\nAPP: 应用\n"), "syn.yaml")
	want := map[string]string{"党务工作者": "党务干部", "支书": "支部书记", "党支部书记": "支部书记", "app": "应用"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ParseSynonyms = %v, %v, want %v", got, err, want)
	}
	for _, tc := range []struct{ in, want string }{
		{"- a\n- b\n", "syn.yaml:1: want a mapping of variant: canonical or canonical: [variants]"},
		{"a: b\nc: [a2, a]\n", "syn.yaml:2: \"a\" maps to \"c\" and to \"b\" (line 1)"},
		{"a: b\nb: c\n", "syn.yaml:1: canonical \"b\" of \"a\" is itself a variant"},
		{"a: {x: y}\n", "syn.yaml:1: value of \"a\" must be a term or a list of terms"},
		{"a: \"\"\n", "syn.yaml:1: empty term"},
	} {
		_, err := ParseSynonyms([]byte(tc.in), "syn.yaml")
		if err == nil || err.Error() != tc.want {
			t.Errorf("ParseSynonyms(%q) error = %v, want %q", tc.in, err, tc.want)
		}
	}
	if _, err := ParseSynonyms([]byte("a: [b"), "syn.yaml"); err == nil || !strings.HasPrefix(err.Error(), "syn.yaml: ") {
		t.Errorf("ParseSynonyms(bad yaml) error = %v, want syn.yaml: prefix", err)
	}
}

func TestParseWordList(t *testing.T) {
	got := ParseWordList(strings.NewReader("\ufeff无\n # c\n\n  同上  \n#x\n"))
	if want := []string{"无", "同上"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ParseWordList = %v, want %v", got, want)
	}
}

func TestBundledLists(t *testing.T) {
	if n := len(GenericStopwords()); n < 150 {
		t.Errorf("len(GenericStopwords()) = %d, want >= 150", n)
	}
	for _, w := range []string{"不", "没有", "并非", "不是"} {
		if !slices.Contains(GenericStopwords(), w) {
			t.Errorf("GenericStopwords() lacks negation %q", w)
		}
	}
	for _, w := range []string{"无", "没有", "暂无", "同上", "不清楚", "说不好", "没意见", "跳过"} {
		if !slices.Contains(BoilerplateWords(), w) {
			t.Errorf("BoilerplateWords() lacks %q", w)
		}
	}
	syn := DefaultSynonyms()
	if syn["党务工作者"] != "党务干部" {
		t.Errorf("DefaultSynonyms()[党务工作者] = %q, want 党务干部", syn["党务工作者"])
	}
	seen := map[string]bool{}
	for _, e := range DomainLexicon() {
		if seen[e.Word] {
			t.Errorf("DomainLexicon: duplicate %q", e.Word)
		}
		seen[e.Word] = true
		if strings.ContainsFunc(e.Word, isBreak) || e.Freq < minFreq || e.POS == "" {
			t.Errorf("DomainLexicon: bad entry %+v", e)
		}
	}
}

func ExampleTerms() {
	s, err := New(Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(Terms(s.Cut("三会一课流于形式，党务工作者都是兼职")))
	// Output: [三会一课 流于形式 党务干部 兼职]
}

func TestSynonymChains(t *testing.T) {
	// 支部书记 is a default canonical; mapping it on makes a chain.
	s := mustNew(t, Config{Synonyms: map[string]string{"支部书记": "书记"}})
	if got := Terms(s.Cut("支书")); !reflect.DeepEqual(got, []string{"书记"}) {
		t.Errorf("Terms(Cut(支书)) with 支部书记→书记 = %v, want [书记]", got)
	}
	// 党务干部 → 党务人员 while the default maps 党务人员 → 党务干部.
	if _, err := New(Config{Synonyms: map[string]string{"党务干部": "党务人员"}}); err == nil {
		t.Error("New with a synonym cycle: got nil error, want error")
	}
}

func TestDefaultSynonymsCoreTerms(t *testing.T) {
	s := defaultSegmenter(t)
	text := "党建工作和业务工作是两层皮"
	if got, want := Terms(s.Cut(text)), []string{"党建", "业务", "两张皮"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Terms(Cut(%q)) = %v, want %v", text, got, want)
	}
}

func TestMasks(t *testing.T) {
	s, err := New(Config{Masks: []string{"[手机号]", "[姓名]"}})
	if err != nil {
		t.Fatal(err)
	}
	toks := s.Cut("[姓名]书记的电话[手机号]。[其他]")
	var got []string
	for _, tk := range toks {
		got = append(got, fmt.Sprintf("%s/%d-%d/%s", tk.Text, tk.Start, tk.End, tk.Dropped))
	}
	want := []string{"[姓名]/0-4/masked", "书记/4-6/keep", "的/6-7/stopword", "电话/7-9/keep", "[手机号]/9-14/masked",
		"。/14-15/punct", "[/15-16/punct", "其他/16-18/stopword", "]/18-19/punct"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Cut = %v, want %v", got, want)
	}
	a := s.Audit()
	found := false
	for _, fc := range a.Dropped {
		if fc.Filter == Masked && fc.Tokens == 2 {
			found = true
		}
	}
	if !found {
		t.Errorf("Audit().Dropped = %+v, want 2 masked tokens", a.Dropped)
	}
	if _, err := New(Config{Masks: []string{"手机号"}}); err == nil {
		t.Error("New with a mask not starting with punctuation: no error")
	}
}

func TestReplayDistinct(t *testing.T) {
	in := append(surveyTexts(t, 3000), "同上", "", "同上", "【手机号】同上") // more distinct texts than a chunk
	cut := mustNew(t, Config{})
	want, err := cut.CutDistinct(context.Background(), in, 2)
	if err != nil {
		t.Fatal(err)
	}
	if want.Cuts.Len() <= 2*1024 {
		t.Fatalf("%d distinct texts: too few for ReplayDistinct's chunks of 1024 to run in parallel", want.Cuts.Len())
	}
	// A recording made by another segmenter, as a shard worker would.
	rec := map[string][]Token{}
	other := mustNew(t, Config{})
	for _, text := range in {
		rec[text] = other.Cut(text)
	}
	lookup := func(s string, dst []Token) ([]Token, bool) {
		toks, ok := rec[s]
		return append(dst[:0], toks...), ok
	}
	wa := cut.Audit()
	wa.CacheLookups, wa.CacheHits = 0, 0
	for _, workers := range []int{1, 4} {
		replay := mustNew(t, Config{})
		got, err := replay.ReplayDistinct(context.Background(), in, lookup, workers)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Of, want.Of) || !reflect.DeepEqual(got.Count, want.Count) {
			t.Errorf("ReplayDistinct(workers %d) grouping = %v %v, want %v %v", workers, got.Of, got.Count, want.Of, want.Count)
		}
		for i := range want.Cuts.Len() {
			w, g := want.Cuts.Tokens(i, nil), got.Cuts.Tokens(i, nil)
			if len(w) == 0 && len(g) == 0 {
				continue
			}
			if !reflect.DeepEqual(g, w) {
				t.Errorf("ReplayDistinct(workers %d) tokens of text %d = %v, want %v", workers, i, g, w)
			}
		}
		if ga := replay.Audit(); !reflect.DeepEqual(ga, wa) {
			t.Errorf("ReplayDistinct(workers %d) audit = %+v, want %+v", workers, ga, wa)
		}
	}

	// Two texts missing, far apart: the error names the first in order,
	// however the chunks are scheduled.
	delete(rec, "同上")
	delete(rec, in[3])
	for _, workers := range []int{1, 4} {
		_, err = mustNew(t, Config{}).ReplayDistinct(context.Background(), in, lookup, workers)
		if !errors.Is(err, ErrNotRecorded) || !strings.Contains(err.Error(), preview(in[3], 40)) {
			t.Errorf("ReplayDistinct(workers %d) with texts missing = %v, want ErrNotRecorded naming %q", workers, err, preview(in[3], 40))
		}
	}
	delete(rec, "同上")
	rec[in[3]] = other.Cut(in[3])
	_, err = mustNew(t, Config{}).ReplayDistinct(context.Background(), in, lookup, 4)
	if !errors.Is(err, ErrNotRecorded) || !strings.Contains(err.Error(), "同上") {
		t.Errorf("ReplayDistinct with a text missing = %v, want ErrNotRecorded naming 同上", err)
	}
}

// TestPackedRoundTrip packs the tokens of real-looking answers (with
// synonyms merged, stopwords dropped, traditional characters folded,
// masks and mixed scripts) and reads them back field for field; tokens
// that do not lie on their text are kept as they are.
func TestPackedRoundTrip(t *testing.T) {
	s := mustNew(t, Config{Masks: []string{"[手机号]"}})
	texts := append(surveyTexts(t, 300), "黨建與業務「兩張皮」", "联系我 [手机号] 谢谢", "Party building 党建 123 ％ abc", "  \\n\\t ", "同上")
	p := newPacked(len(texts) + 1)
	for i, text := range texts {
		p.set(i, text, s.Cut(text))
	}
	// A recording whose offsets do not match its text.
	odd := []Token{{Text: "业务", Term: "业务", Start: 5, End: 7}}
	p.set(len(texts), "党建业务", odd)
	var buf []Token
	for i, text := range texts {
		want := s.Cut(text)
		buf = p.Tokens(i, buf)
		if len(want) == 0 && len(buf) == 0 {
			continue
		}
		if !reflect.DeepEqual(buf, want) {
			t.Fatalf("text %d %q: packed tokens read back as %v, want %v", i, text, buf, want)
		}
	}
	if got := p.Tokens(len(texts), nil); !reflect.DeepEqual(got, odd) {
		t.Errorf("unpackable tokens read back as %v, want %v", got, odd)
	}
	// Each visits what Tokens returns, without the offsets.
	for i := range len(texts) + 1 {
		toks := p.Tokens(i, nil)
		j := 0
		p.Each(i, func(text, term string, pos Tag) {
			if j >= len(toks) || toks[j].Text != text || toks[j].Term != term || toks[j].POS != pos {
				t.Fatalf("item %d token %d: Each gives %q %q %v, Tokens %+v", i, j, text, term, pos, toks[min(j, len(toks)-1)])
			}
			j++
		})
		if j != len(toks) || j != p.NumTokens(i) {
			t.Fatalf("item %d: Each visited %d tokens, Tokens has %d, NumTokens %d", i, j, len(toks), p.NumTokens(i))
		}
	}
	if p.full == nil || p.full[0] != nil {
		t.Error("want only the unpackable text kept unpacked")
	}
	if len(p.terms.terms) == 0 {
		t.Error("no term differs from its surface form: the test does not cover merged synonyms")
	}
}
