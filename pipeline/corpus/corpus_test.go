package corpus

import (
	"slices"
	"testing"
	"unsafe"
)

func TestAnswerSize(t *testing.T) {
	// Thirteen million of them at a million respondents: a field added
	// here costs 13 MB per byte.
	if n := unsafe.Sizeof(Answer{}); n != 12 {
		t.Errorf("Answer is %d bytes, want 12", n)
	}
	// One per respondent: a whole Source here was 72 bytes more.
	if n := unsafe.Sizeof(Respondent{}); n != 96 {
		t.Errorf("Respondent is %d bytes, want 96", n)
	}
	if n := unsafe.Sizeof(Unit{}); n != 192 {
		t.Errorf("Unit is %d bytes, want 192", n)
	}
}

func TestAnswerPool(t *testing.T) {
	var c Corpus
	var zero Answer
	if c.Value(zero) != "" || c.Options(zero) != nil {
		t.Fatalf("the zero answer reads %q %q, want empty", c.Value(zero), c.Options(zero))
	}
	v := c.Pool.AddValue("机关")
	o := c.Pool.AddOptions([]string{"甲", "乙"})
	a := MakeAnswer(Answered, v, o)
	b := MakeAnswer(Answered, v, o)
	if c.Value(a) != "机关" || !slices.Equal(c.Options(a), []string{"甲", "乙"}) || a.ValueCode() != b.ValueCode() {
		t.Fatalf("answer reads %q %q", c.Value(a), c.Options(a))
	}
	// Setting the options a holds adds nothing; new ones leave b alone.
	c.SetOptions(&a, []string{"甲", "乙"})
	if len(c.Pool.options) != 1 {
		t.Errorf("setting the same options grew the pool to %d option lists", len(c.Pool.options))
	}
	c.SetOptions(&a, nil)
	if c.Options(a) != nil || len(c.Options(b)) != 2 {
		t.Errorf("after setting a: a %q, b %q", c.Options(a), c.Options(b))
	}
	// Replacing a value changes it for every answer holding its code.
	c.Pool.ReplaceValue(v, "[手机号]")
	if c.Value(a) != "[手机号]" || c.Value(b) != "[手机号]" {
		t.Errorf("after ReplaceValue: a %q, b %q", c.Value(a), c.Value(b))
	}
	if c.Pool.AddValue("") != 0 || c.Pool.AddOptions(nil) != 0 {
		t.Errorf("empty value or options got a code other than 0")
	}
}
