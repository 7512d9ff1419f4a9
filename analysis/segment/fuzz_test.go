package segment

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

func FuzzParseDict(f *testing.F) {
	for _, s := range []string{"两张皮 20000 l\n", "a\n# c\n\nb 3\n", "a x\n", "a 1 n extra\n", "\ufeffa 1e400 n\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		entries, err := ParseDict(strings.NewReader(in), "f.txt")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.txt:") {
				t.Errorf("ParseDict error %q lacks the file:line prefix", err)
			}
			return
		}
		for _, e := range entries {
			if e.Word == "" || strings.ContainsAny(e.Word, " \t\n") || !(e.Freq > 0) {
				t.Errorf("ParseDict(%q) entry %+v", in, e)
			}
		}
	})
}

func FuzzCut(f *testing.F) {
	// "000000000000弒": found by .ci/fuzz; Token.Text is the folded text
	// (弒 → 弑), so the tokens join to Fold(text), not to text.
	for _, s := range []string{"党建和业务两张皮", "无。", "AT&T 和 c#", "a\u0301，😀", "\xff党", "000000000000弒", "黨建與業務兩張皮"} {
		f.Add(s)
	}
	s, err := New(Config{CacheSize: 64})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		toks := s.Cut(text)
		var b strings.Builder
		pos := 0
		for _, tk := range toks {
			b.WriteString(tk.Text)
			if int(tk.Start) != pos || int(tk.End) != pos+utf8.RuneCountInString(tk.Text) || tk.Text == "" {
				t.Fatalf("Cut(%q): bad span %+v at %d", text, tk, pos)
			}
			pos = int(tk.End)
		}
		if want := Fold(text); b.String() != want {
			t.Fatalf("Cut(%q) tokens join to %q, want Fold(text) = %q", text, b.String(), want)
		}
	})
}

// Cut, CutAll and Audit from many goroutines at once (run with -race).
func TestConcurrentUse(t *testing.T) {
	s := mustNew(t, Config{CacheSize: 16})
	in := surveyTexts(t, 200)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var tokens int64
	for g := range 4 {
		wg.Go(func() {
			for i := g; i < len(in); i += 4 {
				n := len(s.Cut(in[i]))
				mu.Lock()
				tokens += int64(n)
				mu.Unlock()
				if i%20 == 0 {
					s.Audit()
				}
			}
		})
	}
	wg.Wait()
	if got := s.Audit().Tokens; got != tokens {
		t.Errorf("Audit().Tokens = %d, want %d", got, tokens)
	}
}

func ExampleSegmenter_Splits() {
	s, err := New(Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Splits([]string{"两张皮", "党建业务融合度评价"}))
	// Output: [{党建业务融合度评价 [党建 业务 融合度 评价]}]
}

func ExampleParseSynonyms() {
	m, err := ParseSynonyms([]byte("党务干部: [党务工作者, 党务人员]\n支书: 支部书记\n"), "synonyms.yaml")
	fmt.Println(m["党务工作者"], m["党务人员"], m["支书"], err)
	// Output: 党务干部 党务干部 支部书记 <nil>
}

func ExampleSegmenter_Audit() {
	s, err := New(Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	s.Cut("无")
	s.Cut("党务工作者太少，同上")
	a := s.Audit()
	for _, fc := range a.Dropped {
		fmt.Println(fc.Filter, fc.Tokens, fc.Words)
	}
	fmt.Println(a.Merges)
	// Output:
	// punct 1 [{， 1}]
	// stopword 1 [{无 1}]
	// boilerplate 1 [{同上 1}]
	// [{党务工作者 党务干部 1}]
}

func FuzzIndexBreak(f *testing.F) {
	for _, s := range []string{"党建，业务", "a b", "\xff。", "全角　空格", "😀!"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := indexBreak(s), strings.IndexFunc(s, isBreak); got != want {
			t.Errorf("indexBreak(%q) = %d, want %d", s, got, want)
		}
	})
}

func FuzzParseSynonyms(f *testing.F) {
	for _, s := range []string{
		"两张皮: [两层皮, 两股劲]\n党建工作: 党的建设工作\n", "a: [b, c]\nb: d\n", "- a\n- b\n", "a: &x [b]\nc: *x\n",
		"a: {b: c}\n", "\ufeff考核: 考评\r\n", ": b\n", "a: [\"\", x]\n", "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseSynonyms(data, "syn.yaml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "syn.yaml") {
				t.Errorf("ParseSynonyms error %q lacks the file name", err)
			}
			return
		}
		for v, c := range m {
			if v == "" || c == "" {
				t.Errorf("ParseSynonyms(%q) maps %q to %q", data, v, c)
			}
			if _, chained := m[c]; chained {
				t.Errorf("ParseSynonyms(%q): canonical %q is itself a variant", data, c)
			}
		}
	})
}
