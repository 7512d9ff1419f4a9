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
	// Setting the value a holds adds nothing; a new value leaves b alone.
	n := len(c.Pool.values)
	c.SetValue(&a, "机关")
	c.SetOptions(&a, []string{"甲", "乙"})
	if len(c.Pool.values) != n || len(c.Pool.options) != 1 {
		t.Errorf("setting the same value grew the pool to %d values, %d option lists", len(c.Pool.values), len(c.Pool.options))
	}
	c.SetValue(&a, "[手机号]")
	c.SetOptions(&a, nil)
	if c.Value(a) != "[手机号]" || c.Options(a) != nil || c.Value(b) != "机关" || len(c.Options(b)) != 2 {
		t.Errorf("after setting a: a %q %q, b %q %q", c.Value(a), c.Options(a), c.Value(b), c.Options(b))
	}
	if c.Pool.AddValue("") != 0 || c.Pool.AddOptions(nil) != 0 {
		t.Errorf("empty value or options got a code other than 0")
	}
}
