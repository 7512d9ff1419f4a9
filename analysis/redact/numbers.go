package redact

import (
	"strings"
	"unicode/utf8"
)

// Numbers are read as digit groups: runs of ASCII digits joined by one
// space or hyphen ("138 1234 5678", "6222-0202-0000-1234"). A number
// starts where the previous byte is not a digit (nor a '-', '.' or '/'
// after a digit: "2023-13812345678" is not a phone) and ends where the
// next byte is not a digit or ASCII letter and no amount unit (元, 万, %)
// follows. Every prefix of the groups that ends at a group boundary is a
// candidate, longest first; for one candidate the checks run in the order
// 身份证号, bank card, mobile, landline.

const (
	maxDigits = 24 // longest digit string read for one number
	maxGroups = 8  // most digit groups read for one number
	minDigits = 10 // shortest number looked for: a landline, 3 + 7 digits
)

type group struct{ start, end int } // byte range of a run of digits

func (g group) n() int { return g.end - g.start }

// number returns the number starting at byte i of s, if any.
func (r *Redactor) number(s string, i int) (Span, bool) {
	if !leftOK(s, i) {
		return Span{}, false
	}
	switch c := s[i]; {
	case c == '+':
		// +86 138 1234 5678, +8613812345678
		if !strings.HasPrefix(s[i+1:], "86") || !r.on[Phone] {
			return Span{}, false
		}
		var buf [maxGroups]group
		gs, digits := readGroups(s, i+1, &buf)
		for k := len(gs); k >= 1; k-- {
			if end := gs[k-1].end; rightOK(s, end) && phoneAt(digits[:digitCount(gs[:k])], gs[:k], true) {
				return Span{i, end, Phone}, true
			}
		}
		return Span{}, false
	case !isDigit(c):
		return r.parenNumber(s, i)
	}
	var buf [maxGroups]group
	gs, digits := readGroups(s, i, &buf)
	for k := len(gs); k >= 1; k-- {
		end := gs[k-1].end
		d := digits[:digitCount(gs[:k])]
		if r.on[IDCard] && len(d) == 17 && end < len(s) && (s[end] == 'X' || s[end] == 'x') && rightOK(s, end+1) && validID18(d+"X") {
			return Span{i, end + 1, IDCard}, true
		}
		if !rightOK(s, end) {
			continue
		}
		switch {
		case r.on[IDCard] && len(d) == 18 && validID18(d):
			return Span{i, end, IDCard}, true
		case r.on[IDCard] && len(d) == 15 && k == 1 && validID15(d):
			return Span{i, end, IDCard}, true
		case r.on[BankCard] && validBankCard(d, gs[:k]):
			return Span{i, end, BankCard}, true
		}
		if r.on[Phone] && phoneAt(d, gs[:k], false) {
			return Span{i, end, Phone}, true
		}
		if r.on[Landline] && landline(s, gs[:k]) {
			return Span{i, extension(s, end), Landline}, true
		}
	}
	return Span{}, false
}

// parenNumber reads (+86)138…, （+86）138… and (010)12345678.
func (r *Redactor) parenNumber(s string, i int) (Span, bool) {
	open := 1
	if s[i] != '(' {
		open = len("（")
	}
	j := i + open
	closeAt := func(k int) int {
		switch {
		case strings.HasPrefix(s[k:], ")"):
			return k + 1
		case strings.HasPrefix(s[k:], "）"):
			return k + len("）")
		}
		return -1
	}
	if strings.HasPrefix(s[j:], "+86") {
		k := closeAt(j + 3)
		if k < 0 || !r.on[Phone] {
			return Span{}, false
		}
		k = skipSep(s, k)
		var buf [maxGroups]group
		gs, digits := readGroups(s, k, &buf)
		for n := len(gs); n >= 1; n-- {
			if !rightOK(s, gs[n-1].end) {
				continue
			}
			if mobileGroups(digits[:digitCount(gs[:n])], gs[:n]) {
				return Span{i, gs[n-1].end, Phone}, true
			}
		}
		return Span{}, false
	}
	if !r.on[Landline] {
		return Span{}, false
	}
	a := j
	for a < len(s) && isDigit(s[a]) && a-j < 5 {
		a++
	}
	area := s[j:a]
	if len(area) < 3 || areaLen(area) != len(area) {
		return Span{}, false
	}
	k := closeAt(a)
	if k < 0 {
		return Span{}, false
	}
	k = skipSep(s, k)
	// The local number alone has 7 or 8 digits, fewer than readGroups
	// collects: read it here.
	e := k
	for e < len(s) && isDigit(s[e]) && e-k <= 8 {
		e++
	}
	gs := []group{{k, e}}
	if e+1 < len(s) && s[e] == '-' && isDigit(s[e+1]) {
		x := e + 1
		for x < len(s) && isDigit(s[x]) && x-e <= 5 {
			x++
		}
		gs = append(gs, group{e + 1, x})
	}
	if !subscriber(s[gs[0].start:gs[0].end]) {
		return Span{}, false
	}
	end := gs[0].end
	if len(gs) > 1 && s[gs[0].end] == '-' && gs[1].n() <= 4 && rightOK(s, gs[1].end) {
		end = gs[1].end
	} else if !rightOK(s, end) {
		return Span{}, false
	}
	return Span{i, extension(s, end), Landline}, true
}

// skipSep skips one space or hyphen at byte k.
func skipSep(s string, k int) int {
	if k < len(s) && (s[k] == ' ' || s[k] == '-') {
		return k + 1
	}
	return k
}

// readGroups reads up to maxGroups digit groups starting at byte i (a
// digit), joined by single spaces or hyphens, with at most maxDigits
// digits in all, into buf; it returns the groups and their digits
// concatenated. A group that would exceed maxDigits ends the read; a
// first group longer than maxDigits gives no groups. Fewer than minDigits
// digits in all can be no number we look for: then the digits are not
// collected (most digit runs are short, and this keeps them free).
func readGroups(s string, i int, buf *[maxGroups]group) ([]group, string) {
	gs := buf[:0]
	total := 0
	for len(gs) < maxGroups {
		j := i
		for j < len(s) && isDigit(s[j]) && j-i <= maxDigits {
			j++
		}
		if j == i || total+j-i > maxDigits {
			break
		}
		gs = append(gs, group{i, j})
		total += j - i
		if j+1 < len(s) && (s[j] == ' ' || s[j] == '-') && isDigit(s[j+1]) {
			i = j + 1
			continue
		}
		break
	}
	if total < minDigits {
		return nil, ""
	}
	var b [maxDigits]byte
	d := b[:0]
	for _, g := range gs {
		d = append(d, s[g.start:g.end]...)
	}
	return gs, string(d)
}

func digitCount(gs []group) int {
	n := 0
	for _, g := range gs {
		n += g.n()
	}
	return n
}

// leftOK reports whether a number may start at byte i.
func leftOK(s string, i int) bool {
	if i == 0 {
		return true
	}
	p := s[i-1]
	if isDigit(p) {
		return false
	}
	if (p == '-' || p == '.' || p == '/') && i >= 2 && isDigit(s[i-2]) {
		return false
	}
	return true
}

// rightOK reports whether a number may end at byte e.
func rightOK(s string, e int) bool {
	if e >= len(s) {
		return true
	}
	c := s[e]
	if isDigit(c) || isASCIILetter(c) || c == '%' {
		return false
	}
	if (c == '-' || c == '.' || c == '/') && e+1 < len(s) && isDigit(s[e+1]) {
		return false
	}
	if c >= utf8.RuneSelf {
		r, _ := utf8.DecodeRuneInString(s[e:])
		if strings.ContainsRune("元万亿％‰", r) {
			return false
		}
	}
	return true
}

// phoneAt reports whether the groups gs (digits d) are a mobile number
// with an optional 86 / 0086 country code; plus says that a '+' precedes
// the groups, which then must start with 86.
func phoneAt(d string, gs []group, plus bool) bool {
	if rest, rg, ok := stripCountry(d, gs, plus); ok && mobileGroups(rest, rg) {
		return true
	}
	return !plus && mobileGroups(d, gs)
}

// stripCountry removes a leading 86 or 0086 from d, as its own group or
// fused with the number. With plus the code must be 86.
func stripCountry(d string, gs []group, plus bool) (string, []group, bool) {
	for _, cc := range []string{"86", "0086"} {
		if plus && cc != "86" || !strings.HasPrefix(d, cc) || len(d) != len(cc)+11 {
			continue
		}
		if gs[0].n() == len(cc) {
			return d[len(cc):], gs[1:], true
		}
		if len(gs) == 1 {
			return d[len(cc):], []group{{gs[0].start + len(cc), gs[0].end}}, true
		}
	}
	return "", nil, false
}

// mobileGroups reports whether d is a mainland mobile number written as
// one group or grouped 3-4-4, 3-8 or 7-4.
func mobileGroups(d string, gs []group) bool {
	if len(d) != 11 || !mobilePrefix(d) {
		return false
	}
	switch len(gs) {
	case 1:
		return true
	case 2:
		return gs[0].n() == 3 || gs[0].n() == 7
	case 3:
		return gs[0].n() == 3 && gs[1].n() == 4
	}
	return false
}

// mobileThird lists, for each second digit 3–9 of a mobile number, the
// third digits in use (13x, 145–149, 150–153/155–159, 162/165–167,
// 170–178, 18x, 190–193/195–199).
var mobileThird = [10]string{
	3: "0123456789",
	4: "56789",
	5: "012356789",
	6: "2567",
	7: "012345678",
	8: "0123456789",
	9: "012356789",
}

func mobilePrefix(d string) bool {
	if d[0] != '1' || d[1] < '3' {
		return false
	}
	return strings.IndexByte(mobileThird[d[1]-'0'], d[2]) >= 0
}

// areaLen returns the length of the area code that d starts with: 3 for
// 010 and 02x, 4 for 03xx–09xx, 0 when d does not start with one.
func areaLen(d string) int {
	if len(d) < 3 || d[0] != '0' {
		return 0
	}
	switch {
	case d[1] == '1':
		if d[2] == '0' {
			return 3
		}
		return 0
	case d[1] == '2':
		return 3
	case d[1] >= '3':
		if len(d) < 4 {
			return 0
		}
		return 4
	}
	return 0
}

// subscriber reports a 7- or 8-digit local number; those start with 2–9.
func subscriber(d string) bool {
	return (len(d) == 7 || len(d) == 8) && d[0] >= '2'
}

// landline reports an area code and local number: 010-12345678,
// 0755 1234567, 02012345678, with an optional -ext.
func landline(s string, gs []group) bool {
	g0 := s[gs[0].start:gs[0].end]
	a := areaLen(g0)
	if a == 0 {
		return false
	}
	switch {
	case len(gs) == 1:
		return subscriber(g0[a:])
	case len(g0) == a && len(gs) <= 3:
		if !subscriber(s[gs[1].start:gs[1].end]) {
			return false
		}
		return len(gs) == 2 || s[gs[1].end] == '-' && gs[2].n() <= 4
	case len(gs) == 2 && subscriber(g0[a:]):
		return s[gs[0].end] == '-' && gs[1].n() <= 4
	}
	return false
}

// extension extends a landline ending at byte e over 转123.
func extension(s string, e int) int {
	const zhuan = "转"
	if !strings.HasPrefix(s[e:], zhuan) {
		return e
	}
	j := e + len(zhuan)
	k := j
	for k < len(s) && isDigit(s[k]) && k-j < 6 {
		k++
	}
	if k-j < 1 || k-j > 5 || !rightOK(s, k) {
		return e
	}
	return k
}

// provinceCodes are the first two digits of 身份证号 in use (GB/T 2260
// provinces; 71 台湾, 81 香港, 82 澳门, 83 for residence permits).
const provinceCodes = "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83"

func validProvince(d string) bool {
	return strings.Contains(provinceCodes, d[:2])
}

// idWeights are the ISO 7064 MOD 11-2 weights 2^(17-i) mod 11 of the
// first 17 digits (GB 11643-1999).
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// validID18 checks an 18-character 身份证号 (17 digits and a digit or X):
// province, a real birth date between 1900 and 2099 and the check digit.
func validID18(d string) bool {
	if len(d) != 18 || !validProvince(d) {
		return false
	}
	if !validDate(atoi(d[6:10]), atoi(d[10:12]), atoi(d[12:14])) || d[6:8] != "19" && d[6:8] != "20" {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(d[i]-'0') * idWeights[i]
	}
	return "10X98765432"[sum%11] == d[17]
}

// validID15 checks the old 15-digit form: province and a birth date
// 19YYMMDD.
func validID15(d string) bool {
	return len(d) == 15 && validProvince(d) && validDate(1900+atoi(d[6:8]), atoi(d[8:10]), atoi(d[10:12]))
}

func atoi(d string) int {
	n := 0
	for i := 0; i < len(d); i++ {
		n = n*10 + int(d[i]-'0')
	}
	return n
}

func validDate(y, m, d int) bool {
	if y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	if m == 2 && (y%4 == 0 && y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

// validBankCard checks 16–19 digits written as one group or in groups of
// four (the last may be shorter), an issuer prefix used by cards in China
// (4 Visa, 5 Mastercard, 6 UnionPay, 9 domestic debit, 35 JCB) and the
// Luhn checksum.
func validBankCard(d string, gs []group) bool {
	if len(d) < 16 || len(d) > 19 {
		return false
	}
	switch {
	case d[0] == '4', d[0] == '5', d[0] == '6', d[0] == '9', strings.HasPrefix(d, "35"):
	default:
		return false
	}
	if len(gs) > 1 {
		for i, g := range gs {
			if g.n() != 4 && (i < len(gs)-1 || g.n() > 4) {
				// 6222 0202 0000 1234 567: groups of four, the last shorter;
				// 622202 0200001234567 (6 + rest) is also common.
				if !(len(gs) == 2 && gs[0].n() == 6) {
					return false
				}
			}
		}
	}
	return luhn(d)
}

// luhn reports whether the digits d pass the Luhn (mod 10) check.
func luhn(d string) bool {
	sum := 0
	double := false
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}
