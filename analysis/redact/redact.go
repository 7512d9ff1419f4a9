package redact

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Type is a kind of personal information.
type Type uint8

// The kinds of personal information, in the order counts are reported.
const (
	Phone    Type = iota // mainland mobile number, with or without +86
	Landline             // fixed-line number with its area code
	IDCard               // 居民身份证号: 18 digits with a valid check digit, or the old 15-digit form
	Email                // e-mail address
	BankCard             // bank card number: 16–19 digits, Luhn-valid
	Plate                // vehicle licence plate, including new-energy plates
	Name                 // a person's name written before a title (张书记); the title is kept
	NumTypes             // number of types; not a type
)

var typeInfo = [NumTypes]struct{ name, mask string }{
	{"phone", "[手机号]"},
	{"landline", "[固定电话]"},
	{"id_card", "[身份证号]"},
	{"email", "[邮箱]"},
	{"bank_card", "[银行卡号]"},
	{"plate", "[车牌号]"},
	{"name", "[姓名]"},
}

// String returns the type's name as written in configs and outputs:
// phone, landline, id_card, email, bank_card, plate, name.
func (t Type) String() string {
	if t < NumTypes {
		return typeInfo[t].name
	}
	return fmt.Sprintf("type(%d)", uint8(t))
}

// Mask returns the text that replaces a span of this type, e.g. "[手机号]".
func (t Type) Mask() string {
	if t < NumTypes {
		return typeInfo[t].mask
	}
	return "[已脱敏]"
}

// ParseType returns the Type named s (as returned by String); ok is false
// for an unknown name.
func ParseType(s string) (t Type, ok bool) {
	for i, ti := range typeInfo {
		if ti.name == s {
			return Type(i), true
		}
	}
	return 0, false
}

// Types returns every type, in order.
func Types() []Type {
	out := make([]Type, NumTypes)
	for i := range out {
		out[i] = Type(i)
	}
	return out
}

// Masks returns the mask of every type, in type order.
func Masks() []string {
	out := make([]string, NumTypes)
	for i := range out {
		out[i] = Type(i).Mask()
	}
	return out
}

// Span is one piece of personal information in a text: bytes
// [Start, End) of the text that Find was given.
type Span struct {
	Start, End int
	Type       Type
}

// Counts holds the number of spans found per type, indexed by Type.
type Counts [NumTypes]int

// Add adds o to c.
func (c *Counts) Add(o Counts) {
	for i := range c {
		c[i] += o[i]
	}
}

// Total returns the number of spans of all types.
func (c Counts) Total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// Redactor finds and masks the personal information of the types it was
// built with. The zero value finds nothing; use New. A Redactor is
// immutable and safe for concurrent use.
type Redactor struct {
	on [NumTypes]bool
}

// New returns a Redactor for the given types; with none it detects every
// type.
func New(types ...Type) *Redactor {
	r := &Redactor{}
	if len(types) == 0 {
		types = Types()
	}
	for _, t := range types {
		if t < NumTypes {
			r.on[t] = true
		}
	}
	return r
}

// Enabled reports whether r detects type t.
func (r *Redactor) Enabled(t Type) bool { return t < NumTypes && r.on[t] }

// Find returns the spans of personal information in s, in text order and
// never overlapping. Invalid UTF-8 is tolerated (such bytes are never part
// of a span). It returns nil when there is nothing to mask.
func (r *Redactor) Find(s string) []Span {
	if s == "" {
		return nil
	}
	var emails []Span
	if r.on[Email] && strings.IndexByte(s, '@') >= 0 {
		emails = findEmails(s)
	}
	numbers := r.on[Phone] || r.on[Landline] || r.on[IDCard] || r.on[BankCard]
	var out []Span
	ei := 0   // next e-mail span
	last := 0 // end of the last span emitted by the scan
	for i := 0; i < len(s); {
		if ei < len(emails) && i >= emails[ei].Start {
			i = emails[ei].End
			last = i
			ei++
			continue
		}
		c := s[i]
		if numbers && (isDigit(c) || c == '+' || c == '(' || strings.HasPrefix(s[i:], "（")) {
			if sp, ok := r.number(s, i); ok && (ei >= len(emails) || sp.End <= emails[ei].Start) {
				out = append(out, sp)
				i, last = sp.End, sp.End
				continue
			}
		}
		if c < utf8.RuneSelf {
			i++
			continue
		}
		rn, size := utf8.DecodeRuneInString(s[i:])
		flags := anchorFlags(rn)
		if flags == 0 {
			i += size
			continue
		}
		if r.on[Plate] && flags&provinceFlag != 0 {
			if end, ok := plateAt(s, i+size); ok && (ei >= len(emails) || end <= emails[ei].Start) {
				out = append(out, Span{i, end, Plate})
				i, last = end, end
				continue
			}
		}
		if r.on[Name] && flags&titleFlag != 0 {
			if tl := titleAt(s, i); tl > 0 {
				if start, ok := nameBefore(s, i, last); ok {
					out = append(out, Span{start, i, Name})
					i += tl // the title is kept and cannot start a name
					last = i
					continue
				}
			}
		}
		i += size
	}
	if len(emails) > 0 {
		out = append(out, emails...)
		slices.SortFunc(out, func(a, b Span) int { return a.Start - b.Start })
	}
	return out
}

// Redact returns s with every span Find reports replaced by its type's
// mask, and the number of spans replaced per type. When nothing is found it
// returns s itself.
func (r *Redactor) Redact(s string) (string, Counts) {
	spans := r.Find(s)
	var c Counts
	if len(spans) == 0 {
		return s, c
	}
	for _, sp := range spans {
		c[sp.Type]++
	}
	return Replace(s, spans), c
}

// Replace returns s with each span replaced by its type's mask. Spans must
// be in order and not overlap, as Find returns them; Replace panics
// otherwise.
func Replace(s string, spans []Span) string {
	var b strings.Builder
	b.Grow(len(s))
	prev := 0
	for _, sp := range spans {
		if sp.Start < prev || sp.End < sp.Start || sp.End > len(s) {
			panic(fmt.Sprintf("redact: span [%d,%d) out of order or range", sp.Start, sp.End))
		}
		b.WriteString(s[prev:sp.Start])
		b.WriteString(sp.Type.Mask())
		prev = sp.End
	}
	b.WriteString(s[prev:])
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// isHan reports whether r is a CJK unified ideograph.
func isHan(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF || r >= 0x20000 && r <= 0x2FA1F
}

// Flags of the CJK characters that anchor a detector.
const (
	provinceFlag = 1 << iota // starts a licence plate
	titleFlag                // starts a title
)

const cjkFirst, cjkLast = 0x4E00, 0x9FFF

// cjkAnchors holds the flags of the CJK Unified Ideographs: one table
// lookup per character instead of two searches.
var cjkAnchors = func() *[cjkLast - cjkFirst + 1]uint8 {
	var t [cjkLast - cjkFirst + 1]uint8
	for _, r := range provinces {
		t[r-cjkFirst] |= provinceFlag
	}
	for r := range titleFirst {
		if r >= cjkFirst && r <= cjkLast {
			t[r-cjkFirst] |= titleFlag
		}
	}
	return &t
}()

func anchorFlags(r rune) uint8 {
	if r < cjkFirst || r > cjkLast {
		return 0
	}
	return cjkAnchors[r-cjkFirst]
}
