package redact

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	cases := []struct{ name, in, want string }{
		// mobile numbers
		{"phone plain", "我的电话13812345678，欢迎联系", "我的电话[手机号]，欢迎联系"},
		{"phone dashes", "电话：138-1234-5678。", "电话：[手机号]。"},
		{"phone spaces", "电话 138 1234 5678 谢谢", "电话 [手机号] 谢谢"},
		{"phone +86", "+86 138 1234 5678", "[手机号]"},
		{"phone +86 fused", "+8613812345678", "[手机号]"},
		{"phone 86-", "86-13812345678", "[手机号]"},
		{"phone (+86)", "（+86）13812345678", "[手机号]"},
		{"phone letters before", "Tel13812345678", "Tel[手机号]"},
		{"two phones", "13812345678 15912345678", "[手机号] [手机号]"},
		{"phone bad prefix 12", "12812345678", "12812345678"},
		{"phone bad prefix 154", "15412345678", "15412345678"},
		{"phone inside digits", "订单号201381234567890", "订单号201381234567890"},
		{"phone after digit dash", "编号2023-13812345678", "编号2023-13812345678"},
		{"phone amount", "共13812345678元", "共13812345678元"},
		{"phone decimal", "0.13812345678", "0.13812345678"},
		{"phone 12 digits", "138123456789", "138123456789"},
		// landlines
		{"landline dash", "办公室010-62345678", "办公室[固定电话]"},
		{"landline 4-digit area", "0755-2345678转802", "[固定电话]"},
		{"landline fused", "02087654321", "[固定电话]"},
		{"landline parens", "(010)62345678", "[固定电话]"},
		{"landline full-width parens", "（0571）87654321", "[固定电话]"},
		{"landline ext", "010-62345678-123", "[固定电话]"},
		{"landline bad area 011", "011-12345678", "011-12345678"},
		{"landline subscriber 0", "010-02345678", "010-02345678"},
		{"400 number", "400-123-4567", "400-123-4567"},
		// 身份证号
		{"id 18", "身份证110101199003074514，", "身份证[身份证号]，"},
		{"id X", "证件号11010519491231002X。", "证件号[身份证号]。"},
		{"id x lower", "11010519491231002x", "[身份证号]"},
		{"id grouped", "110101 19900307 4514", "[身份证号]"},
		{"id bad check", "110101199003074515", "110101199003074515"},
		{"id bad date", "110101199002304513", "110101199002304513"},
		{"id bad province", "990101199003074514", "990101199003074514"},
		{"id 15", "旧证号110101900307451", "旧证号[身份证号]"},
		{"credit code", "统一社会信用代码91110000MA01234567", "统一社会信用代码91110000MA01234567"},
		// e-mail
		{"email", "发到zhang.san@example.com.cn即可", "发到[邮箱]即可"},
		{"email digits", "邮箱12345678@qq.com。", "邮箱[邮箱]。"},
		{"email phone local", "13812345678@163.com", "[邮箱]"},
		{"not email mention", "@张三 你好", "@张三 你好"},
		{"not email no tld", "a@b", "a@b"},
		{"email trailing dot", "写信给li@gov.cn.", "写信给[邮箱]."},
		// bank cards
		{"bank 16 luhn", "卡号4111111111111111。", "卡号[银行卡号]。"},
		{"bank groups", groupBy4(withLuhn("622202020000123456")), "[银行卡号]"},
		{"bank 19 luhn", "卡号" + withLuhn("622202020000123456"), "卡号[银行卡号]"},
		{"bank bad luhn", "4111111111111112", "4111111111111112"},
		{"bank bad bin", "2111111111111111", "2111111111111111"},
		// plates
		{"plate", "车牌京A12345停在楼下", "车牌[车牌号]停在楼下"},
		{"plate dot", "粤B·D12345", "[车牌号]"},
		{"plate new energy", "沪AD12345", "[车牌号]"},
		{"plate 学", "苏A1234学", "[车牌号]"},
		{"not plate A股", "沪A股上涨", "沪A股上涨"},
		{"not plate short", "京A1234", "京A1234"},
		{"not plate letters", "新ABCDE", "新ABCDE"},
		// names
		{"name 书记", "张书记很重视", "[姓名]书记很重视"},
		{"name 局长", "王局长说", "[姓名]局长说"},
		{"name 副主任", "李副主任", "[姓名]副主任"},
		{"name full", "会上张建国书记指出", "会上[姓名]书记指出"},
		{"name two-char", "张伟书记", "[姓名]书记"},
		{"name compound", "欧阳主任", "[姓名]主任"},
		{"name ambiguous after boundary", "和高书记谈过", "和[姓名]书记谈过"},
		{"name after find", "找刘处长", "找[姓名]处长"},
		{"name 感谢", "感谢王书记", "感谢[姓名]书记"},
		{"two names", "张书记和李主任", "[姓名]书记和[姓名]主任"},
		{"党委书记", "党委书记要带头", "党委书记要带头"},
		{"纪委书记", "纪委书记", "纪委书记"},
		{"书记 alone", "书记要抓党建", "书记要抓党建"},
		{"书记处", "中央书记处", "中央书记处"},
		{"支部书记", "好的支部书记", "好的支部书记"},
		{"分管局长", "分管局长负责", "分管局长负责"},
		{"公安局长", "公安局长", "公安局长"},
		{"机关书记", "机关书记", "机关书记"},
		{"由于书记", "由于书记不重视", "由于书记不重视"},
		{"感谢书记", "感谢书记的支持", "感谢书记的支持"},
		{"时任局长", "时任局长", "时任局长"},
		{"任何局长", "任何局长都不行", "任何局长都不行"},
		{"高校长期", "高校长期重视", "高校长期重视"},
		{"林业局长", "林业局长", "林业局长"},
		{"班主任", "班主任", "班主任"},
		{"本局长", "本局长", "本局长"},
		{"主任务", "王主任务必到场", "王主任务必到场"},
		{"常务副局长", "常务副局长", "常务副局长"},
		{"年轻书记", "年轻书记", "年轻书记"},
		{"任课老师", "任课老师很辛苦", "任课老师很辛苦"},
		{"许多同志", "许多同志认为", "许多同志认为"},
		// near misses
		{"date", "2023-11-01 开会", "2023-11-01 开会"},
		{"amount", "1,234,567.89元", "1,234,567.89元"},
		{"ip", "221.218.9.224", "221.218.9.224"},
		{"order number", "订单号 202311011234567", "订单号 202311011234567"},
		{"empty", "", ""},
		{"masks stay", "[姓名]书记 [手机号]", "[姓名]书记 [手机号]"},
	}
	r := New()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := r.Redact(tc.in)
			if got != tc.want {
				t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
			}
			again, c := r.Redact(got)
			if again != got || c.Total() != 0 {
				t.Errorf("Redact(%q) = %q, not idempotent", got, again)
			}
		})
	}
}

func TestTypesSelect(t *testing.T) {
	r := New(Phone)
	got, c := r.Redact("张书记13812345678 a@b.com")
	if want := "张书记[手机号] a@b.com"; got != want || c[Phone] != 1 || c.Total() != 1 {
		t.Errorf("New(Phone).Redact = %q, %v, want %q", got, c, want)
	}
	for _, ty := range Types() {
		if p, ok := ParseType(ty.String()); !ok || p != ty {
			t.Errorf("ParseType(%q) = %v, %v", ty.String(), p, ok)
		}
	}
	if _, ok := ParseType("ssn"); ok {
		t.Error(`ParseType("ssn") ok`)
	}
}

func TestInvalidUTF8(t *testing.T) {
	r := New()
	for _, s := range []string{"\xff13812345678\xfe", "张\xff书记", "\xe5\xbc", "京\xffA12345", "a@\xffb.com"} {
		_ = r.Find(s) // must not panic
	}
	if got, _ := r.Redact("\xff13812345678"); !strings.Contains(got, "[手机号]") {
		t.Errorf("Redact(invalid prefix) = %q", got)
	}
}

// withLuhn appends the Luhn check digit to the digits d.
func withLuhn(d string) string {
	for c := byte('0'); c <= '9'; c++ {
		if luhn(d + string(c)) {
			return d + string(c)
		}
	}
	panic("unreachable")
}

// groupBy4 writes digits in groups of four separated by spaces.
func groupBy4(d string) string {
	var b strings.Builder
	for i := 0; i < len(d); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(d[i:min(i+4, len(d))])
	}
	return b.String()
}
