package redact

import "unicode/utf8"

// The lists below are ours, written from common knowledge of Chinese
// surnames, official titles and word formation; docs/privacy.md explains
// the choices and measures what they miss.

type surnameKind uint8

const (
	notSurname surnameKind = iota
	strong                 // rarely the last character of a word
	ambiguous              // also common at the end of words: 提高, 由于, 感谢
)

// strongSurnames are common surnames that rarely end another word.
const strongSurnames = "王李张刘陈杨黄赵吴徐孙马朱胡郭罗郑梁宋唐韩冯邓曹彭曾肖萧董袁潘蒋蔡杜苏魏吕丁沈姚卢姜崔谭陆汪廖贾夏韦付傅邹孟熊秦邱尹薛闫阎雷龙陶黎贺毛郝龚邵覃戴莫汤施樊葛邢伍庞颜倪庄聂章鲁岳翟殷詹欧耿俞柳柯梅童凌毕裴霍涂苗谷盛翁冉骆蓝辛靳柴鲍喻祁蒲滕屈饶牟艾尤穆卓缪娄窦戚岑晏米柏瞿佟臧闵邬卞姬栾隋巫寇甄虞巩佘邝鞠冀郁胥栗楚鄢谌奚冼蔺阚帅屠廉禹漆孔钱"

// ambiguousSurnames are common surnames that also end common words
// (提高, 由于, 感谢, 时任, 机关, 分管, 每周, 时候 …).
const ambiguousSurnames = "周于任余何谢常安文方高金石江白万严许程钟侯顾范史段田叶林武温齐乔易康包祝焦左宁甘申尚纪兰向关管单成路游简连景华蒙习"

var surnames = func() map[rune]surnameKind {
	m := map[rune]surnameKind{}
	for _, r := range strongSurnames {
		m[r] = strong
	}
	for _, r := range ambiguousSurnames {
		m[r] = ambiguous
	}
	return m
}()

var compoundSurnames = pairs("欧阳 司马 诸葛 上官 皇甫 令狐 慕容 司徒 夏侯 公孙 端木 尉迟 宇文 轩辕")

// titles are official and professional titles written after a surname.
// The longest one at a position wins (副书记 over 书记).
var titles = []string{
	"书记", "副书记", "总书记", "支书",
	"局长", "副局长", "处长", "副处长", "科长", "副科长", "主任", "副主任",
	"部长", "副部长", "厅长", "副厅长", "司长", "副司长",
	"省长", "副省长", "市长", "副市长", "县长", "副县长", "区长", "副区长",
	"镇长", "副镇长", "乡长", "副乡长", "村长",
	"院长", "副院长", "所长", "副所长", "校长", "副校长", "主席", "副主席",
	"队长", "副队长", "组长", "副组长", "站长", "馆长", "秘书长", "行长", "社长", "会长",
	"董事长", "总经理", "经理", "厂长", "股长", "庭长", "检察长", "政委", "主委",
	"委员", "干事", "专员", "调研员", "巡视员", "总监",
	"老师", "教授", "同志", "师傅", "医生", "大夫", "律师",
}

var titlesByFirst = func() map[rune][]string {
	m := map[rune][]string{}
	for _, t := range titles {
		r, _ := utf8.DecodeRuneInString(t)
		m[r] = append(m[r], t)
	}
	return m
}()

var titleFirst = func() map[rune]bool {
	m := map[rune]bool{}
	for r := range titlesByFirst {
		m[r] = true
	}
	return m
}()

// leftContext are characters after which a name often starts: 和张书记,
// 找李主任, 的王局长, 、刘处长.
var leftContext = runeSet("和跟与同向找请让给是被叫问及说听陪随带像称谢到的们据时上、，。；：！？")

// notGiven are characters that do not occur as given names before a title:
// function words, and the characters of organ and place names, so that
// 纪委书记, 党组书记, 林业局长, 高校书记 and 马上书记 are not names.
var notGiven = runeSet("" +
	"的了和是在有不也都就还又被把让给对向从到为以与及或而且但却可会能要该应将已曾正何一二三四五六七八九十" +
	"上下中里外前后内间旁边这那哪谁每各某本此其几些个位们名次年月日天时点分号" +
	"说讲看问找请叫去来做当同跟帮替代由所等听陪随带像称谢据课职岗" +
	"委部局处科室院所队会办团总副厅司署行社站馆厂场店村镇乡县市区省州街道级班门" +
	"业务化生旅广校宗关管党支组工协联政法交通保监检察审计统财税教育卫健医疗" +
	"农水利环资源商贸经济信息技体闻版宣传战纪人事力住城规划土能族侨台外公安机" +
	"妇青企术研究发展改革理质量食药品全产急救援消防警治港口航空铁路邮电气象" +
	"档案密督查考核评价家庄屯湾岛山河湖")

// blockedPrev are words whose second character is a surname, so that the
// surname is not taken as a name before a title (人马, 大陆, 时任 …).
var blockedPrev = pairs("人马 出马 上马 大陆 登陆 着陆 地雷 皮毛 花钱 有钱 价钱 本钱 挣钱 赚钱 面孔 丰盛 旺盛 " +
	"村庄 山庄 农庄 欺凌 火柴 启蒙 内蒙 委屈 山谷 低谷 疫苗 苗头 不曾 未曾 也曾 古董 校董 江苏 复苏 " +
	"吹牛 儿童 大米 厘米 队伍 落伍 亲戚 富饶 比喻 艰辛 糊涂 完毕 庆祝 祝贺 熏陶 粗鲁 端倪 瓜葛 纠葛 " +
	"主席 出席 列席 缺席 首席 栋梁 桥梁 子孙 儿孙 生姜 聚焦 姓王 姓李 姓张 姓刘 姓陈 " +
	"巴黎 皇马 学习 复习 练习 实习 见习 预习 温习 补习 " +
	"时任 曾任 现任 新任 前任 历任 继任 首任 原任 上任 到任 担任 兼任 上周 本周 每周 下周 一周 四周 上方 上游 上级 上述")

// blockedNext are words made of a surname and the first character of
// what follows it: 高校长 is 高校 + 长, 文书记录 is 文书 + 记录.
var blockedNext = pairs("高校 党校 文书 商会 丛书 全会 全局 全部 文化 林业 卫生 民宗 文旅 文广 高层 金融 石油 江湖 " +
	"任何 于是 方面 方法 成立 许多 严格 严重 高度 常态 简单 关键 江苏")

func runeSet(s string) map[rune]bool {
	m := make(map[rune]bool)
	for _, r := range s {
		m[r] = true
	}
	return m
}

func pairs(s string) map[[2]rune]bool {
	m := make(map[[2]rune]bool)
	var cur []rune
	flush := func() {
		if len(cur) == 2 {
			m[[2]rune{cur[0], cur[1]}] = true
		}
		cur = cur[:0]
	}
	for _, r := range s {
		if r == ' ' {
			flush()
			continue
		}
		cur = append(cur, r)
	}
	flush()
	return m
}
