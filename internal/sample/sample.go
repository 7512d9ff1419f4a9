package sample

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Options control Write. The zero value writes a header-only file with seed 0
// and the truth column.
type Options struct {
	// Rows is the number of respondents (data rows) to write; 0 writes only
	// the header. Negative values are an error.
	Rows int
	// Seed selects the random stream; every value, including 0, is valid.
	// The same Rows and Seed always give the same bytes.
	Seed uint64
	// NoTruth drops the last column (真实原因), giving a file shaped exactly
	// like a real wjx export.
	NoTruth bool
}

// Cause is one ground-truth cause category of the open question (Q6).
type Cause struct {
	ID   int    // 0–9, the value written in the 真实原因 column
	Name string // short Chinese name, e.g. "思想认识"
	Desc string // one-line description of what answers in this category say
}

var causes = [...]Cause{
	{0, "其他", "no substantive cause: empty, skipped, 无/同上/不清楚, or off-topic remarks"},
	{1, "思想认识", "leaders value business over party work; 党建 seen as 务虚, 说起来重要做起来次要"},
	{2, "能力素质", "party-work cadres lack skills or business knowledge and cannot find the 结合点"},
	{3, "队伍建设", "too few full-time party cadres, mostly part-time, frequent turnover"},
	{4, "制度机制", "rules incomplete or 形同虚设, no long-term mechanism, responsibility not carried out"},
	{5, "考核评价", "evaluation separate from business or unquantifiable; results not used"},
	{6, "载体形式", "activities formalistic and monotonous; no effective carriers"},
	{7, "内容方法差异", "party work deals with people and ideas, business with tasks; different by nature"},
	{8, "管理体制", "属地管理, vertical party-work lines broken, relations not straightened out"},
	{9, "党员意识", "weak party-member identity; vanguard role not played"},
}

// Causes returns the ten ground-truth categories ordered by ID (0 其他 …
// 9 党员意识). The slice is a fresh copy the caller may modify.
func Causes() []Cause {
	out := make([]Cause, len(causes))
	copy(out, causes[:])
	return out
}

// Column names of the generated file, in order. Q1–Q6 follow wjx's
// "N、question：" convention.
const (
	ColSeq      = "序号"
	ColTime     = "提交答卷时间"
	ColDuration = "所用时间"
	ColSource   = "来源"
	ColDetail   = "来源详情"
	ColIP       = "来自IP"
	ColQ1       = "1、您所在单位的类型："
	ColQ2       = "2、您的职级："
	ColQ3       = "3、您的政治面貌："
	ColQ4       = "4、您从事党务工作的情况："
	ColQ5       = "5、您认为造成党建与业务工作“两张皮”问题的主要原因有哪些？（多选）"
	ColQ6       = "6、请结合工作实际，谈谈您认为造成“两张皮”问题的原因："
	ColTruth    = "真实原因"
)

// MultiSep joins the chosen options of the multiple-choice question (Q5),
// as wjx does.
const MultiSep = "┋"

// Cell values wjx writes instead of an answer.
const (
	Skipped = "(跳过)" // question skipped by the survey's jump logic
	Empty   = "(空)"  // optional question left blank
)

// Header returns the column names Write emits for opt, in order: 12 names,
// or 13 with ColTruth last when opt.NoTruth is false.
func Header(opt Options) []string {
	h := []string{ColSeq, ColTime, ColDuration, ColSource, ColDetail, ColIP,
		ColQ1, ColQ2, ColQ3, ColQ4, ColQ5, ColQ6}
	if !opt.NoTruth {
		h = append(h, ColTruth)
	}
	return h
}

// Answer options of the closed questions, in questionnaire order.
var (
	unitTypes  = []string{"机关", "直属单位", "派出机构"}
	ranks      = []string{"局级", "处级", "科级及以下"}
	politics   = []string{"中共党员", "共青团员", "群众"}
	partyWork  = []string{"专职党务干部", "兼职党务干部", "未从事党务工作"}
	q5Options  = []string{"党建工作制度规定不完善", "党务干部队伍不健全", "履行“一岗双责”意识不到位", "开展党务工作的能力素质不够强", "落实党风廉政责任制与业务工作脱节", "考核评价机制不科学", "党建活动形式单一", "其他"}
	otherIndex = 7
)

// Choices returns the answer options of a closed question, in questionnaire
// order, given its column name (ColQ1 … ColQ5). For ColQ5 the last option,
// "其他", is written with free text appended in 〖〗 brackets, e.g.
// "其他〖领导不重视〗". It returns nil for any other column. The slice is a
// fresh copy.
func Choices(column string) []string {
	var s []string
	switch column {
	case ColQ1:
		s = unitTypes
	case ColQ2:
		s = ranks
	case ColQ3:
		s = politics
	case ColQ4:
		s = partyWork
	case ColQ5:
		s = q5Options
	default:
		return nil
	}
	return append([]string(nil), s...)
}

// ErrNegativeRows is returned by Write when Options.Rows < 0.
var ErrNegativeRows = errors.New("negative row count")

// bom is the UTF-8 byte-order mark wjx (and Excel) put before the header.
const bom = "\ufeff"

// Write streams a synthetic wjx export with opt.Rows respondents to w:
// a UTF-8 BOM, the header (see Header), then one CRLF-terminated record per
// respondent, quoted per RFC 4180 by encoding/csv. Memory use does not grow
// with Rows. It returns ErrNegativeRows for opt.Rows < 0 (writing nothing),
// or the first error from w, wrapped.
func Write(w io.Writer, opt Options) error {
	if opt.Rows < 0 {
		return fmt.Errorf("sample rows %d: %w", opt.Rows, ErrNegativeRows)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString(bom); err != nil {
		return fmt.Errorf("write survey csv: %w", err)
	}
	// csv.NewWriter reuses bw because it is already a large enough *bufio.Writer.
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	if err := cw.Write(Header(opt)); err != nil {
		return fmt.Errorf("write survey csv header: %w", err)
	}
	g := newGenerator(opt)
	rec := make([]string, len(Header(opt)))
	for i := 1; i <= opt.Rows; i++ {
		g.row(i, rec)
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write survey csv row %d: %w", i, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write survey csv: %w", err)
	}
	return nil
}

// generator holds the state carried from row to row.
type generator struct {
	r       *rng
	truth   bool
	clock   int64 // seconds since 00:00 of the survey's first day
	meanGap int   // mean seconds between submissions
	offices []string
	buf     []byte
	sb      strings.Builder
}

// surveyDay is the day the survey opened; the clock starts at 8:37 that day
// (wall-clock time, no zone).
var surveyDay = time.Date(2026, time.March, 14, 0, 0, 0, 0, time.UTC)

const firstSubmission = 8*3600 + 37*60

func newGenerator(opt Options) *generator {
	g := &generator{r: newRNG(opt.Seed), truth: !opt.NoTruth, clock: firstSubmission}
	// Spread the responses over about two weeks, but never faster than one
	// every few seconds or slower than one every 15 minutes on average.
	g.meanGap = 14 * 86400 / max(opt.Rows, 1)
	g.meanGap = min(max(g.meanGap, 3), 900)
	// A few shared office gateways: many 机关 respondents answer at work.
	for range 12 {
		g.offices = append(g.offices, g.ip(beijing))
	}
	return g
}

// row fills rec with respondent i (1-based).
func (g *generator) row(i int, rec []string) {
	r := g.r
	unit := r.weighted([]int{52, 30, 18})
	rank := r.weighted(rankWeights[unit][:])
	pol := 0
	if rank != 0 {
		pol = r.weighted([]int{84, 6, 10})
	}
	work := r.weighted(workWeights[pol][:])
	cause := g.cause(unit, rank)

	q6, truth := g.answer(cause, work)

	g.advanceClock()
	rec[0] = strconv.Itoa(i)
	rec[1] = g.timestamp()
	rec[2] = strconv.Itoa(g.duration(q6)) + "秒"
	src := r.weighted([]int{52, 30, 18})
	rec[3] = sources[src]
	rec[4] = "N/A"
	if src == 2 || (src == 1 && r.chance(500)) {
		rec[4] = "直接访问"
	}
	rec[5] = g.respondentIP(unit)
	rec[6] = unitTypes[unit]
	rec[7] = ranks[rank]
	rec[8] = politics[pol]
	rec[9] = partyWork[work]
	rec[10] = g.multi(cause)
	rec[11] = q6
	if g.truth {
		rec[12] = strconv.Itoa(truth)
	}
}

var sources = []string{"微信", "手机提交", "链接"}

// rankWeights[unit] are the weights of 局级, 处级, 科级及以下.
var rankWeights = [3][3]int{
	{7, 36, 57}, // 机关
	{5, 30, 65}, // 直属单位
	{4, 26, 70}, // 派出机构
}

// workWeights[politics] are the weights of 专职, 兼职, 未从事党务工作.
var workWeights = [3][3]int{
	{14, 40, 46}, // 中共党员
	{0, 18, 82},  // 共青团员
	{0, 4, 96},   // 群众
}

// Cause prevalence. The weight of cause c (1–9) for a respondent is
// causeBase[c] × unitMul[unit][c] × rankMul[rank][c]; multipliers are in
// tenths. 派出机构 raise 管理体制 and 队伍建设, 直属单位 raise 内容方法差异 and
// 能力素质, 局级 raise 制度机制 and 考核评价, 科级及以下 raise 载体形式 and
// 思想认识.
var (
	causeBase = [10]int{0, 14, 11, 10, 12, 10, 11, 10, 9, 13}
	unitMul   = [3][10]int{
		{0, 12, 10, 7, 12, 10, 10, 8, 3, 11}, // 机关
		{0, 9, 16, 9, 10, 10, 10, 22, 8, 10}, // 直属单位
		{0, 7, 9, 32, 9, 8, 7, 9, 55, 7},     // 派出机构
	}
	rankMul = [3][10]int{
		{0, 5, 10, 10, 30, 30, 5, 10, 10, 6},    // 局级
		{0, 10, 14, 10, 12, 13, 10, 10, 10, 10}, // 处级
		{0, 16, 10, 10, 7, 7, 20, 10, 10, 10},   // 科级及以下
	}
)

func (g *generator) cause(unit, rank int) int {
	var w [10]int
	for c := 1; c < 10; c++ {
		w[c] = causeBase[c] * unitMul[unit][c] * rankMul[rank][c]
	}
	return g.r.weighted(w[:])
}

// q5Primary maps a cause to the Q5 option that names it most directly.
var q5Primary = [10]int{otherIndex, 2, 3, 1, 0, 5, 6, 4, 4, 2}

// q5Background is the per-mille chance of ticking each option regardless of
// the cause (respondents tick several).
var q5Background = [8]int{200, 160, 170, 140, 90, 180, 150, 12}

var otherGeneric = []string{"领导不重视", "工作太忙顾不上", "上级要求多", "基层负担重", "人员流动大", "说不清楚", "考虑不周全", "认识有偏差"}
var otherSystem = []string{"管理体制不顺", "条块分割", "属地管理关系没理顺", "上下级关系不顺", "党建业务归口不同"}

// multi returns the Q5 cell: the chosen options in questionnaire order,
// joined with MultiSep.
func (g *generator) multi(cause int) string {
	r := g.r
	var chosen [8]bool
	primary := q5Primary[cause]
	if cause == 8 && r.chance(450) {
		primary = otherIndex
	}
	if r.chance(820) {
		chosen[primary] = true
	}
	any := chosen[primary]
	for i, p := range q5Background {
		if r.chance(p) {
			chosen[i] = true
			any = true
		}
	}
	if !any {
		chosen[r.intn(otherIndex)] = true
	}
	g.sb.Reset()
	for i, ok := range chosen {
		if !ok {
			continue
		}
		if g.sb.Len() > 0 {
			g.sb.WriteString(MultiSep)
		}
		g.sb.WriteString(q5Options[i])
		if i == otherIndex {
			text := otherGeneric
			if cause == 8 && r.chance(700) {
				text = otherSystem
			}
			g.sb.WriteString("〖")
			g.sb.WriteString(r.pick(text))
			g.sb.WriteString("〗")
		}
	}
	return g.sb.String()
}

// advanceClock moves the submission clock forward: mostly uniform gaps
// around meanGap, some bursts (a group forwarded the link), and few
// submissions at night.
func (g *generator) advanceClock() {
	r := g.r
	var gap int
	if r.chance(250) {
		gap = 1 + r.intn(max(g.meanGap/4, 1))
	} else {
		gap = 1 + r.intn(2*g.meanGap)
	}
	g.clock += int64(gap)
	// Draw unconditionally so the random stream, and hence every column
	// but the timestamp, does not depend on Rows.
	skip, morning := r.chance(900), int64(r.intn(7200))
	if g.clock%86400 < 7*3600 && skip {
		// Skip to between 7:00 and 8:59 the same morning.
		g.clock = g.clock/86400*86400 + 7*3600 + morning
	}
}

// timestamp formats the clock like wjx: 2026/3/14 9:41:07.
func (g *generator) timestamp() string {
	t := surveyDay.Add(time.Duration(g.clock) * time.Second)
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	b := g.buf[:0]
	b = strconv.AppendInt(b, int64(y), 10)
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(m), 10)
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(d), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(hh), 10)
	b = append(b, ':', byte('0'+mm/10), byte('0'+mm%10), ':', byte('0'+ss/10), byte('0'+ss%10))
	g.buf = b
	return string(b)
}

// duration returns the seconds spent on the questionnaire, longer for
// longer open answers, with a few speeders and a few who left the page open.
func (g *generator) duration(q6 string) int {
	r := g.r
	switch {
	case r.chance(50):
		return 12 + r.intn(40)
	case r.chance(30):
		return 900 + r.intn(5000)
	}
	return 45 + r.intn(150) + utf8.RuneCountInString(q6)*(1+r.intn(4))
}

// regions are synthetic "province-city" labels as wjx prints them after an IP.
var (
	beijing   = []string{"北京-北京"}
	provinces = []string{"江苏-南京", "江苏-苏州", "上海-上海", "广东-广州", "广东-深圳", "浙江-杭州", "山东-济南", "山东-青岛", "湖北-武汉", "四川-成都", "河南-郑州", "陕西-西安", "辽宁-沈阳", "福建-福州", "湖南-长沙", "安徽-合肥", "天津-天津", "重庆-重庆", "河北-石家庄", "江西-南昌", "广西-南宁", "云南-昆明", "黑龙江-哈尔滨", "吉林-长春", "山西-太原", "内蒙古-呼和浩特", "新疆-乌鲁木齐", "甘肃-兰州", "贵州-贵阳", "海南-海口"}
	// ipPrefixes are made-up first two octets; they are not an allocation table.
	ipPrefixes = [][2]byte{{117, 136}, {111, 30}, {223, 104}, {39, 144}, {114, 242}, {36, 112}, {120, 244}, {183, 192}, {112, 96}, {106, 39}, {221, 218}, {123, 118}, {58, 247}, {101, 88}, {219, 142}}
)

// respondentIP returns the 来自IP cell. 机关 and 直属单位 respondents mostly
// answer from Beijing, often through a shared office gateway; 派出机构 from
// the provinces.
func (g *generator) respondentIP(unit int) string {
	r := g.r
	if unit != 2 {
		if r.chance(350) {
			return g.offices[r.intn(len(g.offices))]
		}
		if r.chance(800) {
			return g.ip(beijing)
		}
	}
	return g.ip(provinces)
}

func (g *generator) ip(regions []string) string {
	r := g.r
	p := ipPrefixes[r.intn(len(ipPrefixes))]
	b := g.buf[:0]
	b = strconv.AppendInt(b, int64(p[0]), 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(p[1]), 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(r.intn(256)), 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(1+r.intn(254)), 10)
	b = append(b, '(')
	b = append(b, r.pick(regions)...)
	b = append(b, ')')
	g.buf = b
	return string(b)
}
