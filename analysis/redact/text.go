package redact

import (
	"strings"
	"unicode/utf8"
)

// ---- e-mail ----

const (
	maxLocal  = 64  // RFC 5321 limit of the local part
	maxDomain = 253 // RFC 1035 limit of a domain name
)

func isLocalByte(c byte) bool {
	return isDigit(c) || isASCIILetter(c) || strings.IndexByte("._%+-", c) >= 0
}

func isDomainByte(c byte) bool { return isDigit(c) || isASCIILetter(c) || c == '.' || c == '-' }

func isAlnum(c byte) bool { return isDigit(c) || isASCIILetter(c) }

// findEmails returns the e-mail addresses in s: an ASCII local part of at
// most 64 bytes, '@', and a domain of dot-separated labels whose last
// label (the top-level domain) is at least two letters. Each '@' is looked
// at once and the scans around it are bounded, so the time is linear.
func findEmails(s string) []Span {
	var out []Span
	from := 0 // an address cannot start inside the previous one
	for i := 0; i < len(s); {
		k := strings.IndexByte(s[i:], '@')
		if k < 0 {
			break
		}
		at := i + k
		i = at + 1
		st := at
		for st > from && at-st <= maxLocal && isLocalByte(s[st-1]) {
			st--
		}
		if at-st > maxLocal {
			continue
		}
		for st < at && !isAlnum(s[st]) {
			st++
		}
		if st == at || s[at-1] == '.' {
			continue
		}
		e := at + 1
		for e < len(s) && e-at <= maxDomain && isDomainByte(s[e]) {
			e++
		}
		for e > at+1 && !isAlnum(s[e-1]) {
			e--
		}
		if !validDomain(s[at+1 : e]) {
			continue
		}
		out = append(out, Span{st, e, Email})
		from, i = e, e
	}
	return out
}

func validDomain(d string) bool {
	if len(d) < 4 || len(d) > maxDomain {
		return false
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
	}
	tld := labels[len(labels)-1]
	if len(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if !isASCIILetter(tld[i]) {
			return false
		}
	}
	return true
}

// ---- licence plates ----

// provinces are the one-character abbreviations that start a plate.
const provinces = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"

// plateChar reports the letters and digits used on plates: I and O are
// not used (they look like 1 and 0).
func plateChar(c byte) bool {
	if isDigit(c) {
		return true
	}
	u := c &^ 0x20
	return isASCIILetter(c) && u != 'I' && u != 'O'
}

// plateAt reads a plate whose province character ends at byte j: the
// issuing-office letter, an optional separator (· • - space), and five
// characters (at least three digits), six for new-energy plates (D or F
// first or last, at least four digits), or four followed by 学 警 挂 港
// 澳 领. It returns the end of the plate.
func plateAt(s string, j int) (int, bool) {
	if j >= len(s) || !isASCIILetter(s[j]) || !plateChar(s[j]) {
		return 0, false
	}
	j++
	switch {
	case j < len(s) && (s[j] == ' ' || s[j] == '-' || s[j] == '.'):
		j++
	case strings.HasPrefix(s[j:], "·"), strings.HasPrefix(s[j:], "•"), strings.HasPrefix(s[j:], "・"):
		_, size := utf8.DecodeRuneInString(s[j:])
		j += size
	}
	k := j
	digits := 0
	for k < len(s) && k-j < 7 && plateChar(s[k]) {
		if isDigit(s[k]) {
			digits++
		}
		k++
	}
	if k < len(s) && isAlnum(s[k]) {
		return 0, false // I or O, or too long
	}
	tail := s[j:k]
	switch len(tail) {
	case 5:
		if digits >= 3 {
			return k, true
		}
	case 6:
		first, last := tail[0]&^0x20, tail[5]&^0x20
		if digits >= 4 && (first == 'D' || first == 'F' || last == 'D' || last == 'F') {
			return k, true
		}
	case 4:
		if r, size := utf8.DecodeRuneInString(s[k:]); digits >= 3 && strings.ContainsRune("学警挂港澳领", r) {
			return k + size, true
		}
	}
	return 0, false
}

// ---- names before titles ----

// titleAt returns the byte length of the longest title starting at byte i
// of s, or 0.
func titleAt(s string, i int) int {
	best := 0
	for _, t := range titlesByFirst[firstRune(s[i:])] {
		if len(t) > best && strings.HasPrefix(s[i:], t) {
			best = len(t)
		}
	}
	if best == 0 && strings.HasPrefix(s[i:], "总") {
		// 王总 (boss, general manager) only when a verb or particle
		// follows: 总结, 总体, 总是 are words.
		r, _ := utf8.DecodeRuneInString(s[i+len("总"):])
		if i+len("总") == len(s) || !isHan(r) || strings.ContainsRune(afterBoss, r) {
			return len("总")
		}
	}
	if best > 0 && best < len(s)-i {
		// 主任务 is 主 + 任务, not the title 主任.
		if t := s[i : i+best]; t == "主任" && strings.HasPrefix(s[i+best:], "务") {
			return 0
		}
	}
	return best
}

// afterBoss are characters that follow 总 used as a title (王总说, 李总来).
const afterBoss = "说讲来的也很对在亲让带指表认汇多曾已去给"

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// nameBefore returns the start of the name written just before the title
// at byte t of s, not reaching back before byte floor. In order:
//
//  1. a compound surname (欧阳);
//  2. a single surname, when the character before it cannot be part of a
//     given name or is a word before names (找张书记, 和高书记);
//  3. surname + two given-name characters (张建国书记);
//  4. surname + one given-name character (张伟书记);
//  5. a single surname.
//
// A strong surname (王, 张 …) may follow any character except one that
// makes a word with it; an ambiguous one (高, 于, 谢, 任 …, also common in
// words: 提高, 由于, 感谢, 时任) only follows a boundary: the start, a
// non-Chinese character, or a word that often precedes a name (和, 找,
// 的 …). Given-name characters exclude function words and the characters
// of organ names (委, 部, 局, 业 …), so 纪委书记 and 林业局长 are not names.
func nameBefore(s string, t, floor int) (int, bool) {
	var r [5]rune // r[1] is the character just before the title
	var p [5]int  // p[k] is the byte offset of r[k]
	p[0] = t
	n := 0
	for n < 4 && p[n] > floor {
		rn, size := utf8.DecodeLastRuneInString(s[floor:p[n]])
		if rn == utf8.RuneError && size <= 1 {
			break
		}
		n++
		r[n], p[n] = rn, p[n-1]-size
	}
	if n == 0 {
		return 0, false
	}
	title := firstRune(s[t:])
	// boundary reports whether a name may start after r[k] (k > n: the
	// name starts the text).
	boundary := func(k int) bool { return k > n || !isHan(r[k]) || leftContext[r[k]] }
	// surnameAt reports whether r[k] may start a name here.
	surnameAt := func(k int) bool {
		if leftContext[r[k]] && surnames[r[k]] != 0 {
			// 谢 and 向 are surnames and also words before names (感谢,
			// 向…汇报): only a lone surname after a non-Chinese character.
			return k == 1 && (n < 2 || !isHan(r[2]))
		}
		switch surnames[r[k]] {
		case strong:
			return !blockedPrev[[2]rune{r[k+1], r[k]}]
		case ambiguous:
			return boundary(k+1) && !blockedPrev[[2]rune{r[k+1], r[k]}]
		}
		return false
	}
	if n >= 2 && compoundSurnames[[2]rune{r[2], r[1]}] {
		return p[2], true
	}
	single := surnameAt(1) && !blockedNext[[2]rune{r[1], title}]
	if single && (n < 2 || !given(r[2]) || surnames[r[2]] == ambiguous || leftContext[r[2]]) {
		return p[1], true
	}
	if n >= 3 && surnameAt(3) && given(r[2]) && given(r[1]) && !blockedNext[[2]rune{r[3], r[2]}] {
		return p[3], true
	}
	if n >= 2 && surnameAt(2) && given(r[1]) && !blockedNext[[2]rune{r[2], r[1]}] {
		return p[2], true
	}
	if single {
		return p[1], true
	}
	return 0, false
}

func given(r rune) bool { return isHan(r) && !notGiven[r] }
