package redact

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// This file measures the detectors on generated answers: realistic
// sentences with planted personal information and near misses that must
// not be masked (order numbers, dates, amounts, 统一社会信用代码, 党委书记,
// 书记处 …). The generator computes check digits itself (ISO 7064 MOD 11-2
// for 身份证号, Luhn for cards) rather than with the package's code.
//
// Reproduce the figures in docs/privacy.md with
//
//	go test ./analysis/redact -run TestPrecisionRecall -v

// planted is a span the generator wrote, in bytes of the sentence.
type planted struct {
	start, end int
	typ        Type
}

// gen builds one sentence at a time.
type gen struct {
	rng   *rand.Rand
	b     strings.Builder
	spans []planted
}

func (g *gen) text(s string) { g.b.WriteString(s) }

func (g *gen) plant(t Type, s string) {
	st := g.b.Len()
	g.b.WriteString(s)
	g.spans = append(g.spans, planted{st, g.b.Len(), t})
}

func (g *gen) pick(xs ...string) string { return xs[g.rng.IntN(len(xs))] }

func (g *gen) digits(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + g.rng.IntN(10)))
	}
	return b.String()
}

// genPhone returns a mobile number in one of the ways people write them.
func (g *gen) genPhone() string {
	p := g.pick("130", "131", "132", "133", "135", "136", "137", "138", "139", "147", "150", "151", "152",
		"153", "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180", "181",
		"182", "183", "185", "186", "187", "188", "189", "191", "198", "199")
	d := p + g.digits(8)
	switch g.rng.IntN(7) {
	case 0:
		return d[:3] + "-" + d[3:7] + "-" + d[7:]
	case 1:
		return d[:3] + " " + d[3:7] + " " + d[7:]
	case 2:
		return "+86 " + d
	case 3:
		return "+86-" + d[:3] + "-" + d[3:7] + "-" + d[7:]
	case 4:
		return "86-" + d
	}
	return d
}

func (g *gen) genLandline() string {
	area := g.pick("010", "020", "021", "022", "023", "024", "025", "027", "028", "029",
		"0571", "0755", "0731", "0591", "0871", "0351", "0311", "0371", "0551", "0451")
	n := 8
	if len(area) == 4 && g.rng.IntN(3) == 0 {
		n = 7
	}
	sub := string(byte('2'+g.rng.IntN(7))) + g.digits(n-1)
	var s string
	switch g.rng.IntN(4) {
	case 0:
		s = "(" + area + ")" + sub
	case 1:
		s = area + sub
	case 2:
		s = area + " " + sub
	default:
		s = area + "-" + sub
	}
	switch g.rng.IntN(6) {
	case 0:
		s += "-" + g.digits(3)
	case 1:
		s += "转" + g.digits(4)
	}
	return s
}

// idCheck computes the 身份证号 check character from the definition in
// GB 11643-1999: weights 2^(17-i) mod 11, check = (12 - sum mod 11) mod 11,
// 10 written X.
func idCheck(d17 string) byte {
	sum, w := 0, 1
	for i := 16; i >= 0; i-- {
		w = w * 2 % 11 // 2^(17-i) mod 11
		sum += int(d17[i]-'0') * w
	}
	c := (12 - sum%11) % 11
	if c == 10 {
		return 'X'
	}
	return byte('0' + c)
}

func (g *gen) birth() string {
	y := 1950 + g.rng.IntN(56)
	m := 1 + g.rng.IntN(12)
	d := 1 + g.rng.IntN(28)
	return fmt.Sprintf("%04d%02d%02d", y, m, d)
}

func (g *gen) genID() string {
	prov := g.pick("11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
		"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65")
	d := prov + g.digits(4) + g.birth() + g.digits(3)
	id := d + string(idCheck(d))
	if g.rng.IntN(8) == 0 {
		return id[:6] + " " + id[6:14] + " " + id[14:]
	}
	return id
}

// luhnDigit computes the Luhn check digit of d: double every second digit
// from the right of the payload, sum the digits of the products.
func luhnDigit(d string) byte {
	sum := 0
	for i := 0; i < len(d); i++ {
		v := int(d[len(d)-1-i] - '0')
		if i%2 == 0 {
			v *= 2
			v = v/10 + v%10
		}
		sum += v
	}
	return byte('0' + (10-sum%10)%10)
}

func (g *gen) genBankCard() string {
	bin := g.pick("622202", "622848", "621700", "622588", "436742", "955880", "622260", "625907", "518710")
	n := 16
	if strings.HasPrefix(bin, "62") && g.rng.IntN(2) == 0 || bin == "955880" {
		n = 19
	}
	d := bin + g.digits(n-len(bin)-1)
	d += string(luhnDigit(d))
	if g.rng.IntN(3) == 0 {
		var b strings.Builder
		for i := 0; i < len(d); i += 4 {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(d[i:min(i+4, len(d))])
		}
		return b.String()
	}
	return d
}

func (g *gen) genEmail() string {
	local := g.pick("zhangwei", "li.na", "wang_fang", "liuyang88", "chen.jing", "yangmin", "dangban", "hr-office", "xiaoli2020")
	if g.rng.IntN(3) == 0 {
		local = g.digits(6 + g.rng.IntN(5))
		local = string(byte('1'+g.rng.IntN(9))) + local[1:]
	}
	return local + "@" + g.pick("qq.com", "163.com", "126.com", "sina.com", "gov.cn", "example.org", "mail.example.com.cn", "foxmail.com")
}

const plateLetters = "ABCDEFGHJKLMNPQRSTUVWXYZ"

func (g *gen) genPlate() string {
	p := string([]rune(provinces)[g.rng.IntN(len([]rune(provinces)))]) + string(plateLetters[g.rng.IntN(len(plateLetters))])
	if g.rng.IntN(4) == 0 {
		p += "·"
	}
	switch g.rng.IntN(5) {
	case 0: // new energy
		return p + g.pick("D", "F") + g.digits(5)
	case 1:
		return p + string(plateLetters[g.rng.IntN(len(plateLetters))]) + g.digits(4)
	}
	return p + g.digits(5)
}

// surnamePool draws surnames roughly by population share: the twenty
// largest (shares in per cent from the 2020 census summary), then the rest
// of the detector's lists, then surnames the detector does not list.
var (
	topSurnames  = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高", "罗"}
	topShares    = []float64{7.1, 7.0, 6.7, 5.4, 4.5, 3.1, 2.3, 2.3, 2.0, 2.0, 1.7, 1.5, 1.4, 1.3, 1.2, 1.2, 1.1, 1.1, 1.1, 0.9}
	otherListed  = []string{"郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴", "莫", "孔", "向", "汤"}
	notListed    = []string{"车", "司", "国", "明", "党", "卫", "强", "平", "南", "海", "花", "宫", "边", "燕", "鲜"}
	givenChars   = []rune("伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国志红玉兰海波宇晨浩然丹萍鹏飞斌琳凯峰")
	nameTitles   = []string{"书记", "书记", "书记", "副书记", "局长", "副局长", "主任", "主任", "副主任", "处长", "科长", "部长", "院长", "校长", "县长", "镇长", "所长", "队长", "老师", "同志", "总"}
	nameLeft     = []string{"", "", "我们", "感谢", "会上", "找", "和", "听说", "据", "向", "当时", "我们单位的", "，", "上级派来的"}
	nameRight    = []string{"很重视这项工作", "多次强调党建和业务要融合", "来调研过", "说要抓落实", "讲得很透彻", "亲自部署", "汇报过这个问题"}
	negativeText = []string{
		"党委书记要带头履行第一责任人职责", "书记处的同志来调研", "纪委书记负责监督", "支部书记队伍建设不够",
		"分管副局长抓业务", "公安局长兼任", "由于书记不重视，工作流于形式", "感谢书记的支持", "时任局长主抓此事",
		"任何局长都不能例外", "高校长期存在这个问题", "林业局长在会上发言", "班主任工作繁重", "常务副局长主持会议",
		"机关书记抓党建不够", "年轻书记缺乏经验", "书记和局长意见不一致", "对于局长来说压力很大", "提高书记的履职能力",
		"村支书说了算", "主任务是抓好党建", "沪A股市场", "新C919飞机", "文化局长抓宣传", "卫生局长", "第一书记驻村",
	}
)

func (g *gen) genName() (name, title string) {
	x := g.rng.Float64() * 100
	var s string
	switch {
	case x < 55.5:
		acc := 0.0
		s = topSurnames[len(topSurnames)-1]
		for i, sh := range topShares {
			acc += sh
			if x < acc {
				s = topSurnames[i]
				break
			}
		}
	case x < 95:
		s = otherListed[g.rng.IntN(len(otherListed))]
	default:
		s = notListed[g.rng.IntN(len(notListed))]
	}
	switch g.rng.IntN(5) {
	case 0:
		s += string(givenChars[g.rng.IntN(len(givenChars))])
	case 1:
		s += string(givenChars[g.rng.IntN(len(givenChars))]) + string(givenChars[g.rng.IntN(len(givenChars))])
	}
	return s, nameTitles[g.rng.IntN(len(nameTitles))]
}

// genNearMiss writes text that must not be masked.
func (g *gen) genNearMiss() {
	switch g.rng.IntN(12) {
	case 0:
		g.text("订单号" + "2023" + g.digits(12+g.rng.IntN(4)))
	case 1:
		g.text(fmt.Sprintf("%d-%02d-%02d", 2015+g.rng.IntN(10), 1+g.rng.IntN(12), 1+g.rng.IntN(28)))
	case 2:
		g.text(fmt.Sprintf("经费%d,%03d,%03d.%02d元", 1+g.rng.IntN(9), g.rng.IntN(1000), g.rng.IntN(1000), g.rng.IntN(100)))
	case 3:
		g.text("统一社会信用代码91" + g.digits(6) + "MA" + g.digits(7) + string(plateLetters[g.rng.IntN(len(plateLetters))]))
	case 4: // a 身份证号 with a wrong check digit
		d := "110105" + g.birth() + g.digits(3)
		c := idCheck(d)
		w := byte('0' + (int(c-'0')+1+g.rng.IntN(8))%10)
		if c == 'X' {
			w = '5'
		}
		g.text("编号" + d + string(w))
	case 5: // an 11-digit number that is not a mobile number
		g.text("工号" + g.pick("10", "11", "12") + g.digits(9))
	case 6:
		g.text(fmt.Sprintf("%d年有%d名党员", 2000+g.rng.IntN(25), 10+g.rng.IntN(900)))
	case 7:
		g.text(fmt.Sprintf("占%d.%d%%", g.rng.IntN(100), g.rng.IntN(10)))
	case 8: // a card-like number failing Luhn
		d := "622202" + g.digits(9)
		g.text("流水号" + d + string(byte('0'+(int(luhnDigit(d)-'0')+1+g.rng.IntN(9))%10)))
	case 9:
		g.text("邮编" + g.digits(6) + "，QQ群" + g.digits(9))
	case 10:
		g.text("文号" + fmt.Sprintf("〔%d〕%d号", 2018+g.rng.IntN(7), 1+g.rng.IntN(200)))
	default:
		g.text("服务热线400-" + g.digits(3) + "-" + g.digits(4))
	}
}

// sentence generates one answer.
func (g *gen) sentence() {
	g.b.Reset()
	g.spans = g.spans[:0]
	for k := g.rng.IntN(3); k >= 0; k-- {
		switch g.rng.IntN(9) {
		case 0:
			g.text(g.pick("我的电话", "手机：", "联系方式", "有事打", "电话 "))
			g.plant(Phone, g.genPhone())
			g.text(g.pick("。", "，谢谢", " ", "！"))
		case 1:
			g.text(g.pick("办公电话", "座机：", "联系电话 "))
			g.plant(Landline, g.genLandline())
			g.text("。")
		case 2:
			g.text(g.pick("身份证号", "本人身份证：", "证件号码 "))
			g.plant(IDCard, g.genID())
			g.text(g.pick("。", "，", " "))
		case 3:
			g.text(g.pick("邮箱", "请发邮件到", "E-mail: "))
			g.plant(Email, g.genEmail())
			g.text(g.pick("。", " ", "，"))
		case 4:
			g.text(g.pick("补贴打到卡号", "银行卡 ", "工资卡："))
			g.plant(BankCard, g.genBankCard())
			g.text("。")
		case 5:
			g.text(g.pick("车牌", "公车", "车号 "))
			g.plant(Plate, g.genPlate())
			g.text(g.pick("经常私用。", "停在楼下，", "。"))
		case 6, 7:
			name, title := g.genName()
			g.text(g.pick(nameLeft...))
			g.plant(Name, name)
			g.text(title + g.pick(nameRight...) + "。")
		default:
			g.text(g.pick(negativeText...) + "，")
			g.genNearMiss()
			g.text("。")
		}
	}
}

// score holds span-level counts for one type.
type score struct{ tp, fp, fn int }

func (s score) precision() float64 {
	if s.tp+s.fp == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fp)
}

func (s score) recall() float64 {
	if s.tp+s.fn == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fn)
}

// evaluate scores Find against n generated sentences: a found span is a
// true positive when a planted span of the same type has exactly its
// bounds.
func evaluate(n int, seed uint64) (scores [NumTypes]score, examples []string) {
	g := &gen{rng: rand.New(rand.NewPCG(seed, 7))}
	r := New()
	for range n {
		g.sentence()
		s := g.b.String()
		found := r.Find(s)
		want := map[planted]bool{}
		for _, p := range g.spans {
			want[p] = true
		}
		for _, f := range found {
			p := planted{f.Start, f.End, f.Type}
			if want[p] {
				scores[f.Type].tp++
				delete(want, p)
				continue
			}
			scores[f.Type].fp++
			if len(examples) < 40 {
				examples = append(examples, fmt.Sprintf("FP %s %q in %q", f.Type, s[f.Start:f.End], s))
			}
		}
		for p := range want {
			scores[p.typ].fn++
			if len(examples) < 40 {
				examples = append(examples, fmt.Sprintf("FN %s %q in %q", p.typ, s[p.start:p.end], s))
			}
		}
	}
	return scores, examples
}

// minScores are the figures docs/privacy.md records, rounded down: the
// test fails if a change to the detectors makes either fall below them.
var minScores = [NumTypes]struct{ precision, recall float64 }{
	Phone:    {0.99, 0.99},
	Landline: {0.99, 0.99},
	IDCard:   {0.99, 0.99},
	Email:    {0.99, 0.99},
	BankCard: {0.99, 0.99},
	Plate:    {0.99, 0.99},
	Name:     {0.98, 0.92},
}

func TestPrecisionRecall(t *testing.T) {
	scores, examples := evaluate(5000, 1)
	t.Logf("%-10s %6s %6s %6s %9s %9s", "type", "tp", "fp", "fn", "precision", "recall")
	for ty, s := range scores {
		t.Logf("%-10s %6d %6d %6d %9.4f %9.4f", Type(ty), s.tp, s.fp, s.fn, s.precision(), s.recall())
		if s.tp+s.fn == 0 {
			t.Errorf("%s: nothing planted", Type(ty))
		}
		if m := minScores[ty]; s.precision() < m.precision || s.recall() < m.recall {
			t.Errorf("%s: precision %.4f recall %.4f, want at least %.2f and %.2f", Type(ty), s.precision(), s.recall(), m.precision, m.recall)
		}
	}
	for _, e := range examples {
		t.Log(e)
	}
}
