package ingest

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"surveymine/pipeline/corpus"
)

// writeFile writes data to name in a fresh temporary directory and returns
// its path.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// readOne reads one survey with a lenient reject share.
func readOne(t *testing.T, in SurveyInput) *corpus.Corpus {
	t.Helper()
	c, err := Read(context.Background(), Config{Surveys: []SurveyInput{in}, MaxRejectShare: 1}, "")
	if err != nil {
		t.Fatalf("Read(%s) error: %v", in.Path, err)
	}
	checkInvariants(t, c)
	return c
}

// checkInvariants checks what must hold for every corpus: Read = Accepted
// + Rejected per input, unique unit ids and respondent keys, answers
// parallel to questions.
func checkInvariants(t *testing.T, c *corpus.Corpus) {
	t.Helper()
	for _, in := range c.Inputs {
		if in.Read != in.Accepted+in.Rejected {
			t.Errorf("%s: Read %d, want Accepted %d + Rejected %d", in.File, in.Read, in.Accepted, in.Rejected)
		}
	}
	ids := map[string]bool{}
	for _, u := range c.Units.All() {
		if ids[u.ID] {
			t.Errorf("duplicate unit id %q", u.ID)
		}
		ids[u.ID] = true
	}
	keys := map[string]bool{}
	for _, r := range c.Respondents.All() {
		if keys[r.Key] {
			t.Errorf("duplicate respondent key %q", r.Key)
		}
		keys[r.Key] = true
		if len(r.Answers) != len(c.Questions) {
			t.Errorf("respondent %s: %d answers, want %d", r.Key, len(r.Answers), len(c.Questions))
		}
	}
}

// isOurError reports whether err is nil, a *corpus.InputError or wraps one
// of the package sentinels.
func isOurError(err error) bool {
	if err == nil {
		return true
	}
	var ie *corpus.InputError
	return errors.As(err, &ie) || errors.Is(err, ErrNoInput) || errors.Is(err, ErrUnknownColumn) ||
		errors.Is(err, ErrTooManyRejects) || errors.Is(err, ErrUnsupportedFormat)
}

func writeFileIn(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func xmlEscapeTo(w io.Writer, s string) error { return xml.EscapeText(w, []byte(s)) }

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// benchFile writes data to name in a fresh temporary directory.
func benchFile(b *testing.B, name string, data []byte) string {
	b.Helper()
	p := filepath.Join(b.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		b.Fatal(err)
	}
	return p
}
