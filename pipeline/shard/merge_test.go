package shard

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// memoryPart encodes p as worker p.Index's Part, as WorkPart returns it.
func memoryPart(t *testing.T, lp *Loaded, p *partial) Part {
	t.Helper()
	var buf bytes.Buffer
	bw := bufio.NewWriter(&buf)
	if err := encode(bw, p.header, p); err != nil {
		t.Fatal(err)
	}
	bw.Flush()
	h := sha256.Sum256(buf.Bytes())
	m := Manifest{PlanSHA256: lp.SHA256, Index: p.Index, Shards: lp.Shards, Partial: PartialName(p.Index),
		DistinctTexts: p.Len(), PartialBytes: int64(buf.Len()), PartialSHA256: hex.EncodeToString(h[:])}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return Part{Index: p.Index, Manifest: b, Partial: buf.Bytes()}
}

// writtenPlan returns a plan for n workers as a worker reads it: written
// to a directory and read back.
func writtenPlan(t *testing.T, n int) *Loaded {
	t.Helper()
	plan, err := NewPlan([]byte("seed: 1\n"), nil, n, t.TempDir(), "test")
	if err != nil {
		t.Fatal(err)
	}
	path, err := plan.Write(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	lp, err := ReadPlan(path)
	if err != nil {
		t.Fatal(err)
	}
	return lp
}

// TestOpenParts: partials held in memory (the Beam adapter's) are checked
// as those in the plan's directory are: every worker once, complete, from
// this plan; each problem names the worker's file.
func TestOpenParts(t *testing.T) {
	lp := writtenPlan(t, 3)
	good := make([]Part, 3)
	for i := range good {
		p := samplePartial(t)
		p.PlanSHA256, p.Index = lp.SHA256, i
		good[i] = memoryPart(t, lp, p)
	}
	corrupt := good[2]
	corrupt.Partial = append([]byte(nil), corrupt.Partial[:len(corrupt.Partial)-1]...)
	// A manifest that counts other texts than its partial holds.
	miscounted := good[1]
	var m Manifest
	if err := json.Unmarshal(miscounted.Manifest, &m); err != nil {
		t.Fatal(err)
	}
	m.DistinctTexts++
	var err error
	if miscounted.Manifest, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		parts []Part
		want  []string // substrings of the error; nil = no error
	}{
		{"complete, any order", []Part{good[2], good[0], good[1]}, nil},
		{"missing", []Part{good[0], good[2]}, []string{"shard-0001.json (in memory)", "missing"}},
		{"duplicate", []Part{good[0], good[1], good[1], good[2]}, []string{"shard-0001.json (in memory)", "duplicate"}},
		{"foreign", []Part{good[0], good[1], good[2], {Index: 5}}, []string{"shard-0005.json (in memory)", "not one of this plan's 3 workers"}},
		{"corrupt", []Part{good[0], good[1], corrupt}, []string{"shard-0002.partial (in memory)", "corrupt or incomplete"}},
		{"miscounted", []Part{good[0], miscounted, good[2]}, []string{"shard-0001.partial (in memory)", "holds 6 texts, its manifest says 7"}},
		{"two problems", []Part{good[0], corrupt}, []string{"shard-0001.json (in memory)", "shard-0002.partial (in memory)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := OpenParts(lp, tc.parts)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("OpenParts = %v, want no error", err)
				}
				if toks, ok := r.Tokens("同上", nil); !ok || len(toks) == 0 {
					t.Errorf("Tokens(%q) = %v, %v, want the recorded tokens", "同上", toks, ok)
				}
				return
			}
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("OpenParts = %v, want an *Error", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("OpenParts = %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

// TestStart: a plan whose workers have not run fails Start's checks in
// the background; failed gets the error Wait and Check return, once.
func TestStart(t *testing.T) {
	lp := writtenPlan(t, 2)
	var failures []error
	o := Start(lp, func(err error) { failures = append(failures, err) })
	_, err := o.Wait()
	var se *Error
	if !errors.As(err, &se) || !strings.Contains(err.Error(), ManifestName(1)) {
		t.Errorf("Start(plan without partials).Wait() = %v, want an *Error naming %s", err, ManifestName(1))
	}
	if len(failures) != 1 || failures[0] != err {
		t.Errorf("Start called failed with %v, want once with %v", failures, err)
	}
	if cerr := o.Check(nil); cerr != err {
		t.Errorf("Check = %v, want Wait's %v", cerr, err)
	}
}
