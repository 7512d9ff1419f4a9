package segment

import (
	"bytes"
	"context"
	"encoding/csv"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/go-ego/gse"

	"surveymine/internal/sample"
)

// plainGSE is gse itself with its embedded dictionaries and default knobs
// (the reference our segmentation must agree with). It is loaded once:
// about 1.7 s and 550 MiB.
var (
	plainOnce sync.Once
	plainSeg  gse.Segmenter
	plainErr  error
)

func plain(t testing.TB) *gse.Segmenter {
	t.Helper()
	if testing.Short() {
		t.Skip("loads gse's own dictionary (1.7 s); skipped with -short")
	}
	plainOnce.Do(func() { plainSeg, plainErr = gse.NewEmbed() })
	if plainErr != nil {
		t.Fatalf("gse.NewEmbed() = %v", plainErr)
	}
	return &plainSeg
}

// Every word of gse's dictionary is in ours with the same frequency and
// part of speech, the totals agree, and no word contains a clause break.
func TestBaseDictionary(t *testing.T) {
	if len(gseZhS) < 1_000_000 || len(gseZhT) < 1_000_000 {
		t.Fatalf("linked gse dictionary text has %d+%d bytes, want > 1 MB each (gse renamed zhS/zhT?)", len(gseZhS), len(gseZhT))
	}
	g := plain(t)
	b := base()
	toks := g.Dict.Tokens
	if b.numEntries() != len(toks) {
		t.Errorf("base has %d entries, gse %d", b.numEntries(), len(toks))
	}
	if b.totalFreq != g.Dict.TotalFreq() { // same float64 sum order as gse
		t.Errorf("base total frequency %v, gse %v", b.totalFreq, g.Dict.TotalFreq())
	}
	bad := 0
	for i := range toks {
		tk := &toks[i]
		e, freq, ok, _ := b.lookup(tk.Text())
		if !ok || freq != tk.Freq() || posName(e.pos) != cmpPOS(tk.Pos()) {
			if bad++; bad <= 10 {
				t.Errorf("word %q: base (%v, %v, %q), gse (%v, %q)", tk.Text(), ok, freq, posName(e.pos), tk.Freq(), tk.Pos())
			}
		}
		if strings.ContainsFunc(tk.Text(), isBreak) {
			t.Errorf("gse word %q contains a clause break", tk.Text())
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d gse words differ", bad, len(toks))
	}
}

func cmpPOS(p string) string {
	if p == "" {
		return "x"
	}
	return p
}

// General (non-party) sentences; written for this test.
var generalSentences = []string{
	"今天天气很好，我们去公园散步吧。",
	"他在北京大学读研究生，专业是计算机科学。",
	"这家餐厅的菜味道不错，但是价格有点贵。",
	"小明昨天晚上看了一部电影，觉得很感人。",
	"中国的经济发展速度在世界上名列前茅。",
	"请把窗户关上，外面风太大了。",
	"医生建议他多喝水，早点休息。",
	"春节期间，火车站人山人海。",
	"这本书讲述了一个关于友谊的故事。",
	"我们公司明年计划在上海开设新的分公司。",
	"孩子们在操场上踢足球，玩得很开心。",
	"科学家发现了一种新的治疗方法。",
	"你能帮我查一下明天的航班信息吗？",
	"图书馆周末开放时间是早上九点到晚上八点。",
	"随着互联网的普及，网上购物越来越方便。",
	"妈妈做的红烧肉是全家人最爱吃的菜。",
	"这座城市的交通拥堵问题亟待解决。",
	"他每天早上六点起床跑步，坚持了三年。",
	"博物馆里展出了很多珍贵的历史文物。",
	"下雨天路滑，开车一定要注意安全。",
	"学生们正在认真准备期末考试。",
	"这个手机的电池续航能力很强。",
	"我们应该保护环境，减少塑料袋的使用。",
	"他用英语给外国朋友写了一封信。",
	"超市里的水果新鲜又便宜。",
	"音乐会将在下周六晚上七点举行。",
	"农民伯伯正在田里收割小麦。",
	"这部手机支持5G网络和快速充电。",
	"张老师耐心地回答了同学们的问题。",
	"旅游旺季的时候，景区门票需要提前预订。",
	"Python和Go都是流行的编程语言。",
}

func lower(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = foldKey(s)
	}
	return out
}

// With only gse's dictionary our cut is gse's Cut (no HMM) token for token;
// with the domain lexicon and synonyms, general sentences still agree.
func TestAgreesWithGSE(t *testing.T) {
	g := plain(t)
	bare := mustNew(t, Config{NoDomainLexicon: true, NoDefaultSynonyms: true})
	def := defaultSegmenter(t)
	party := []string{
		"我们单位党建和业务两张皮的问题比较突出，一岗双责落实不到位。",
		"三会一课流于形式，主题党日就是走过场。",
		"党务干部大多是兼职，专职党务干部太少，考核评价机制不科学。",
	}
	for _, text := range append(slices.Clone(generalSentences), party...) {
		want := g.Cut(text)
		if got := lower(texts(bare.Cut(text))); !reflect.DeepEqual(got, want) {
			t.Errorf("bare Cut(%q) = %v, gse %v", text, got, want)
		}
	}
	for _, text := range generalSentences {
		want := g.Cut(text)
		if got := lower(texts(def.Cut(text))); !reflect.DeepEqual(got, want) {
			t.Errorf("default Cut(%q) = %v, gse %v", text, got, want)
		}
	}
	// And on generated survey answers without the lexicon.
	for _, text := range surveyTexts(t, 300) {
		want := g.Cut(text)
		if got := lower(texts(bare.Cut(text))); !reflect.DeepEqual(got, want) {
			t.Errorf("bare Cut(%q) = %v, gse %v", text, got, want)
		}
	}
}

var (
	surveyOnce sync.Once
	surveyAll  []string
)

// surveyTexts returns the open-question answers (Q6) of n generated
// questionnaire rows (internal/sample, seed 7), cycling if n is larger
// than the 5000 rows generated.
func surveyTexts(t testing.TB, n int) []string {
	t.Helper()
	surveyOnce.Do(func() {
		var buf bytes.Buffer
		if err := sample.Write(&buf, sample.Options{Rows: 5000, Seed: 7}); err != nil {
			t.Fatalf("sample.Write = %v", err)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff")))
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatalf("read sample CSV = %v", err)
		}
		col := slices.Index(recs[0], sample.ColQ6)
		if col < 0 {
			t.Fatalf("sample header %v lacks %q", recs[0], sample.ColQ6)
		}
		for _, rec := range recs[1:] {
			surveyAll = append(surveyAll, rec[col])
		}
	})
	out := make([]string, n)
	for i := range out {
		out[i] = surveyAll[i%len(surveyAll)]
	}
	return out
}

// BenchmarkLoad measures a cold dictionary load (the process-wide base is
// rebuilt each iteration) plus New with the default overlay.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	cpu := startCPU()
	for b.Loop() {
		baseOnce = sync.Once{}
		baseDict = nil
		if _, err := New(Config{}); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b, 0)
}

// BenchmarkLoadGSE is gse's own embedded load, for comparison.
func BenchmarkLoadGSE(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := gse.NewEmbed(); err != nil {
			b.Fatal(err)
		}
	}
}

func benchCut(b *testing.B, rows, workers int, cacheSize int) {
	in := surveyTexts(b, rows)
	size := 0
	for _, s := range in {
		size += len(s)
	}
	defaultSegmenter(b)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := startCPU()
	for b.Loop() {
		// A fresh segmenter per run so the cache starts empty, as in a run.
		s, err := New(Config{CacheSize: cacheSize})
		if err != nil {
			b.Fatal(err)
		}
		lastSeg = s
		if _, err := s.CutAll(context.Background(), in, workers); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b, size)
	b.ReportMetric(100*lastSeg.Audit().HitRate(), "hit%")
}

var lastSeg *Segmenter

func BenchmarkCutAll(b *testing.B) {
	for _, rows := range []int{2000, 20000} {
		for _, workers := range []int{1, 2} {
			for _, cache := range []int{0, -1} {
				name := "rows=" + itoa(rows) + "/workers=" + itoa(workers) + "/cache"
				if cache < 0 {
					name = strings.TrimSuffix(name, "cache") + "nocache"
				}
				b.Run(name, func(b *testing.B) { benchCut(b, rows, workers, cache) })
			}
		}
	}
}

// BenchmarkGSECut is plain gse Cut on the same input, one goroutine per
// worker, for comparison.
func BenchmarkGSECut(b *testing.B) {
	g := plain(b)
	in := surveyTexts(b, 20000)
	size := 0
	for _, s := range in {
		size += len(s)
	}
	for _, workers := range []int{1, 2} {
		b.Run("workers="+itoa(workers), func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				var wg sync.WaitGroup
				for w := range workers {
					wg.Go(func() {
						for i := w; i < len(in); i += workers {
							g.Cut(in[i])
						}
					})
				}
				wg.Wait()
			}
			cpu.report(b, size)
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
