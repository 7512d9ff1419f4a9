package codebook

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const (
	passCFile   = "testdata/gold/pass_c.tsv"
	passesFile  = "testdata/gold/passes.tsv"
	goldReadme  = "testdata/gold/README.md"
	goldNumCats = 9
)

// labelFile is a tab-separated file of label columns keyed by sentence id,
// as pass_c.tsv (`id labels`) and passes.tsv (`id pass_a pass_b final`).
type labelFile struct {
	ids  []string                    // in file order
	cols map[string]map[string][]int // column name → id → category ids
}

// readLabelFile reads path, whose header must be exactly header; every
// column after id holds comma-separated category ids in 1..9 without
// repeats (empty: no cause), returned ascending. Errors name file, line
// and column.
func readLabelFile(path string, header []string) (*labelFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = '\t'
	r.FieldsPerRecord = len(header)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	if !slices.Equal(head, header) {
		return nil, fmt.Errorf("%s:1: header is %q, want %q", path, head, header)
	}
	lf := &labelFile{cols: map[string]map[string][]int{}}
	for _, h := range header[1:] {
		lf.cols[h] = map[string][]int{}
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		id := rec[0]
		if _, dup := lf.cols[header[1]][id]; dup {
			return nil, fmt.Errorf("%s:%d: id %s repeated", path, line, id)
		}
		lf.ids = append(lf.ids, id)
		for k, h := range header[1:] {
			var cats []int
			for _, f := range strings.Split(rec[k+1], ",") {
				if f == "" {
					continue
				}
				c, err := strconv.Atoi(f)
				if err != nil || c < 1 || c > goldNumCats {
					return nil, fmt.Errorf("%s:%d: column %q: %q is not a category id 1..%d", path, line, h, f, goldNumCats)
				}
				if slices.Contains(cats, c) {
					return nil, fmt.Errorf("%s:%d: column %q: %q has a repeated id", path, line, h, rec[k+1])
				}
				cats = append(cats, c)
			}
			slices.Sort(cats)
			lf.cols[h][id] = cats
		}
	}
	return lf, nil
}

func mustReadLabelFile(t *testing.T, path string, header ...string) *labelFile {
	t.Helper()
	lf, err := readLabelFile(path, header)
	if err != nil {
		t.Fatal(err)
	}
	return lf
}

// pooledKappa is Cohen's kappa with every (sentence, category) decision of
// categories 1..9 as one present/absent unit, as recorded in the README.
func pooledKappa(a, b [][]int) float64 {
	var x, y [][]int
	for c := 1; c <= goldNumCats; c++ {
		for i := range a {
			var p, q []int
			if has(a[i], c) {
				p = []int{1}
			}
			if has(b[i], c) {
				q = []int{1}
			}
			x, y = append(x, p), append(y, q)
		}
	}
	return Agree(x, y, []int{1})[0].Kappa
}

// readmeRow finds the README table row that starts with `| label |` and
// returns its cells after the label.
func readmeRow(readme, label string) ([]string, error) {
	prefix := "| " + label + " |"
	for _, ln := range strings.Split(readme, "\n") {
		if strings.HasPrefix(ln, prefix) {
			cells := strings.Split(strings.Trim(strings.TrimPrefix(ln, prefix), " |"), "|")
			for i := range cells {
				cells[i] = strings.TrimSpace(cells[i])
			}
			return cells, nil
		}
	}
	return nil, errors.New("no row " + prefix)
}

// passCSplits are the splits pass C annotated: the whole gold set as it was
// then (416 sentences). The later splits dev3, holdout2, holdout3 and dev4
// were coded once, by their collectors (see the README).
var passCSplits = []string{"dev", "test", "dev2", "holdout"}

// TestPassCCoversGold checks that pass C labels every gold sentence of
// passCSplits once, in the order of gold.tsv, and nothing else.
func TestPassCCoversGold(t *testing.T) {
	var gold []GoldSentence
	for _, g := range loadGold(t) {
		if slices.Contains(passCSplits, g.Split) {
			gold = append(gold, g)
		}
	}
	if len(gold) != 416 {
		t.Fatalf("gold.tsv has %d sentences in splits %v, want 416", len(gold), passCSplits)
	}
	pc := mustReadLabelFile(t, passCFile, "id", "labels")
	if len(pc.ids) != len(gold) {
		t.Fatalf("%s has %d sentences, gold.tsv %d", passCFile, len(pc.ids), len(gold))
	}
	for i, g := range gold {
		if pc.ids[i] != g.ID {
			t.Fatalf("%s:%d: id %s, want %s (the id of gold.tsv:%d)", passCFile, i+2, pc.ids[i], g.ID, g.Line)
		}
	}
}

// TestPassesFinalIsGold checks the README's statement that the `final`
// column of passes.tsv equals the categories of gold.tsv for the 318 dev
// and test sentences.
func TestPassesFinalIsGold(t *testing.T) {
	ps := mustReadLabelFile(t, passesFile, "id", "pass_a", "pass_b", "final")
	n := 0
	for _, g := range loadGold(t) {
		final, ok := ps.cols["final"][g.ID]
		if g.Split != "dev" && g.Split != "test" {
			if ok {
				t.Errorf("%s has %s of split %s, want dev and test only", passesFile, g.ID, g.Split)
			}
			continue
		}
		n++
		if !ok {
			t.Errorf("%s lacks %s", passesFile, g.ID)
		} else if !slices.Equal(final, g.Cats) {
			t.Errorf("%s: %s final = %v, gold.tsv %v", passesFile, g.ID, final, g.Cats)
		}
	}
	if n != 318 || len(ps.ids) != 318 {
		t.Errorf("dev+test sentences: gold.tsv %d, %s %d, want 318", n, passesFile, len(ps.ids))
	}
}

// TestPassCAgreement recomputes the agreement between pass C and the gold
// labels with Agree and checks it against the table in the README (rounded
// there to 3 decimals; "–" where κ is undefined). The same figures were
// computed independently by testdata/gold/agreement.py.
func TestPassCAgreement(t *testing.T) {
	gold := loadGold(t)
	pc := mustReadLabelFile(t, passCFile, "id", "labels")
	ps := mustReadLabelFile(t, passesFile, "id", "pass_a", "pass_b", "final")
	readme, err := os.ReadFile(goldReadme)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		row    string           // first cell of the README row
		splits []string         // gold splits compared
		other  map[string][]int // the labels pass C is compared with
	}{
		{"final, dev+test", []string{"dev", "test"}, ps.cols["final"]},
		{"gold, all", passCSplits, nil},
		{"gold, dev2+holdout", []string{"dev2", "holdout"}, nil},
		{"pass A, dev+test", []string{"dev", "test"}, ps.cols["pass_a"]},
		{"pass B, dev+test", []string{"dev", "test"}, ps.cols["pass_b"]},
	} {
		t.Run(tc.row, func(t *testing.T) {
			var a, b [][]int
			same := 0
			for _, g := range gold {
				if !slices.Contains(tc.splits, g.Split) {
					continue
				}
				other := g.Cats
				if tc.other != nil {
					var ok bool
					if other, ok = tc.other[g.ID]; !ok {
						t.Fatalf("no %s in the compared labels", g.ID)
					}
				}
				c := pc.cols["labels"][g.ID]
				a, b = append(a, c), append(b, other)
				if slices.Equal(c, other) {
					same++
				}
			}
			checkKappaRow(t, string(readme), tc.row, a, b, same)
		})
	}
}

// checkKappaRow checks the README table row that starts with `| row |`
// against the agreement of the codings a and b (one label set per
// sentence, same order): n, κ of categories 1..9 (rounded to 3 decimals
// there, "–" where undefined), pooled κ, and same, the number of
// identical label sets.
func checkKappaRow(t *testing.T, readme, row string, a, b [][]int, same int) {
	t.Helper()
	cells, err := readmeRow(readme, row)
	if err != nil {
		t.Fatalf("%s: %v", goldReadme, err)
	}
	if len(cells) != 12 {
		t.Fatalf("%s: row %q has %d cells after the label, want 12", goldReadme, row, len(cells))
	}
	check := func(name string, got float64, cell string) {
		t.Helper()
		if cell == "–" {
			if !math.IsNaN(got) {
				t.Errorf("%s = %.4f, README says undefined", name, got)
			}
			return
		}
		want, err := strconv.ParseFloat(cell, 64)
		if err != nil {
			t.Fatalf("%s: row %q: %s: %v", goldReadme, row, name, err)
		}
		if math.IsNaN(got) || math.Abs(got-want) > 0.0005 {
			t.Errorf("%s = %.4f, README says %s", name, got, cell)
		}
	}
	if got := strconv.Itoa(len(a)); got != cells[0] {
		t.Errorf("n = %s, README says %s", got, cells[0])
	}
	cats := make([]int, goldNumCats)
	for i := range cats {
		cats[i] = i + 1
	}
	for _, ag := range Agree(a, b, cats) {
		check(fmt.Sprintf("kappa category %d", ag.Category), ag.Kappa, cells[ag.Category])
	}
	check("pooled kappa", pooledKappa(a, b), cells[10])
	if got := strconv.Itoa(same); got != cells[11] {
		t.Errorf("identical label sets = %s, README says %s", got, cells[11])
	}
}

// TestPassCDisagreements checks that disagreements_c.tsv lists exactly the
// sentences where pass C and gold.tsv differ, with both label sets as in
// those files and a kind named in the README.
func TestPassCDisagreements(t *testing.T) {
	const path = "testdata/gold/disagreements_c.tsv"
	kinds := []string{"ability", "cause-or-not", "mechanism", "time", "attitude-or-form", "structure", "staffing", "identity", "incentive"}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = '\t'
	r.FieldsPerRecord = 5
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if want := []string{"id", "split", "pass_c", "gold", "kind"}; !slices.Equal(recs[0], want) {
		t.Fatalf("%s:1: header is %q, want %q", path, recs[0], want)
	}
	pc := mustReadLabelFile(t, passCFile, "id", "labels")
	join := func(c []int) string {
		f := make([]string, len(c))
		for i, x := range c {
			f[i] = strconv.Itoa(x)
		}
		return strings.Join(f, ",")
	}
	var want [][]string
	for _, g := range loadGold(t) {
		if !slices.Contains(passCSplits, g.Split) {
			continue
		}
		if c := pc.cols["labels"][g.ID]; !slices.Equal(c, g.Cats) {
			want = append(want, []string{g.ID, g.Split, join(c), join(g.Cats)})
		}
	}
	got := recs[1:]
	if len(got) != len(want) {
		t.Errorf("%s lists %d sentences, pass C and gold differ on %d", path, len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if !slices.Equal(got[i][:4], want[i]) {
			t.Errorf("%s:%d: %q, want %q", path, i+2, got[i][:4], want[i])
		}
		if !slices.Contains(kinds, got[i][4]) {
			t.Errorf("%s:%d: kind %q is not one of %q", path, i+2, got[i][4], kinds)
		}
	}
}

// TestAgreeKappaWorkedExample checks the kappa of Agree on the worked
// example of https://www.easycalculation.com/statistics/learn-cohens-kappa-index.php
// (20 patients, two doctors; both yes 12, only B yes 2, only A yes 4, both
// no 2): Pr(a) = 14/20 = 0.7, Pr(e) = 0.7·0.8 + 0.3·0.2 = 0.62,
// κ = 0.08/0.38 = 4/19 ≈ 0.21.
func TestAgreeKappaWorkedExample(t *testing.T) {
	var docA, docB [][]int
	for _, cell := range []struct {
		n    int
		a, b bool
	}{{12, true, true}, {2, false, true}, {4, true, false}, {2, false, false}} {
		for range cell.n {
			var x, y []int
			if cell.a {
				x = []int{1}
			}
			if cell.b {
				y = []int{1}
			}
			docA, docB = append(docA, x), append(docB, y)
		}
	}
	got := Agree(docA, docB, []int{1})[0]
	// 4/19 from the page's fractions; 1e-12 allows only rounding error.
	if got.TP != 12 || got.FN != 2 || got.FP != 4 || got.TN != 2 || math.Abs(got.Kappa-4.0/19) > 1e-12 {
		t.Errorf("Agree(worked example) = TP %d FP %d FN %d TN %d κ %.6f, want 12 4 2 2 κ %.6f",
			got.TP, got.FP, got.FN, got.TN, got.Kappa, 4.0/19)
	}
	// Pooled over the nine categories, categories 2..9 add 8·20 agreed
	// absences: TP 12, FP 4, FN 2, TN 162, n 180, so (by hand)
	// pₒ = 174/180, pₑ = (16·14 + 164·166)/180² = 27448/32400 and
	// κ = (174·180 − 27448)/(32400 − 27448) = 3872/4952.
	if k := pooledKappa(docA, docB); math.Abs(k-3872.0/4952) > 1e-12 {
		t.Errorf("pooledKappa(worked example) = %.6f, want %.6f", k, 3872.0/4952)
	}
}

// TestReadLabelFileErrors checks that bad label files are reported with
// file, line and column.
func TestReadLabelFileErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, data, want string
	}{
		{"header", "id\tcats\ng1\t1\n", `x.tsv:1: header is ["id" "cats"], want ["id" "labels"]`},
		{"not an id", "id\tlabels\ng1\t1\ng2\t1,x\n", `x.tsv:3: column "labels": "x" is not a category id 1..9`},
		{"out of range", "id\tlabels\ng1\t10\n", `x.tsv:2: column "labels": "10" is not a category id 1..9`},
		{"repeat", "id\tlabels\ng1\t3,1,3\n", `x.tsv:2: column "labels": "3,1,3" has a repeated id`},
		{"repeated id", "id\tlabels\ng1\t\ng1\t2\n", `x.tsv:3: id g1 repeated`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := dir + "/x.tsv"
			if err := os.WriteFile(path, []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := readLabelFile(path, []string{"id", "labels"})
			if err == nil || strings.TrimPrefix(err.Error(), dir+"/") != tc.want {
				t.Errorf("readLabelFile(%s) error = %v, want %q", tc.name, err, tc.want)
			}
		})
	}
}

const (
	passDFile   = "testdata/gold/pass_d.tsv"
	passesDFile = "testdata/gold/passes_d.tsv"
)

// passDSplits are the splits pass D annotated (133 sentences), the third
// round's, which had been coded once by their collector (pass A).
var passDSplits = []string{"holdout3", "dev4"}

// TestPassesDMatchGold checks passes_d.tsv against the files it joins: one
// row per gold sentence of passDSplits in gold.tsv order, its pass_d column
// equal to pass_d.tsv and its final column equal to the categories of
// gold.tsv (the adjudicated labels). pass_a is the gold before the
// adjudication and differs from final only on the sentences the README
// lists as changed.
func TestPassesDMatchGold(t *testing.T) {
	changed := []string{"f007", "v015", "v029"} // "Pass D", changes to the gold labels
	pd := mustReadLabelFile(t, passDFile, "id", "labels")
	ps := mustReadLabelFile(t, passesDFile, "id", "pass_a", "pass_d", "final")
	var ids []string
	for _, g := range loadGold(t) {
		if !slices.Contains(passDSplits, g.Split) {
			continue
		}
		ids = append(ids, g.ID)
		if final := ps.cols["final"][g.ID]; !slices.Equal(final, g.Cats) {
			t.Errorf("%s: %s final = %v, gold.tsv %v", passesDFile, g.ID, final, g.Cats)
		}
		if a, f := ps.cols["pass_a"][g.ID], ps.cols["final"][g.ID]; slices.Equal(a, f) == slices.Contains(changed, g.ID) {
			t.Errorf("%s: %s pass_a %v, final %v; README lists it as changed: %v", passesDFile, g.ID, a, f, slices.Contains(changed, g.ID))
		}
		if got, want := ps.cols["pass_d"][g.ID], pd.cols["labels"][g.ID]; !slices.Equal(got, want) {
			t.Errorf("%s: %s pass_d = %v, %s %v", passesDFile, g.ID, got, passDFile, want)
		}
	}
	if len(ids) != 133 {
		t.Errorf("gold.tsv has %d sentences in %v, want 133", len(ids), passDSplits)
	}
	for _, f := range []*labelFile{pd, ps} {
		if !slices.Equal(f.ids, ids) {
			t.Errorf("ids %v…, want those of gold.tsv in %v, in its order", f.ids[:min(3, len(f.ids))], passDSplits)
		}
	}
}

// TestPassDAgreement recomputes the agreement of pass D with the first
// pass (pass A) and with the adjudicated labels, and checks it against the
// "Pass D" table of the README (figures also computed by agreement.py).
func TestPassDAgreement(t *testing.T) {
	gold := loadGold(t)
	pd := mustReadLabelFile(t, passDFile, "id", "labels")
	ps := mustReadLabelFile(t, passesDFile, "id", "pass_a", "pass_d", "final")
	readme, err := os.ReadFile(goldReadme)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		row    string   // first cell of the README row
		splits []string // gold splits compared
		col    string   // column of passes_d.tsv pass D is compared with
	}{
		{"pass A, holdout3+dev4", passDSplits, "pass_a"},
		{"pass A, holdout3", []string{"holdout3"}, "pass_a"},
		{"pass A, dev4", []string{"dev4"}, "pass_a"},
		{"final, holdout3+dev4", passDSplits, "final"},
	} {
		t.Run(tc.row, func(t *testing.T) {
			var a, b [][]int
			same := 0
			for _, g := range gold {
				if !slices.Contains(tc.splits, g.Split) {
					continue
				}
				d, other := pd.cols["labels"][g.ID], ps.cols[tc.col][g.ID]
				a, b = append(a, d), append(b, other)
				if slices.Equal(d, other) {
					same++
				}
			}
			checkKappaRow(t, string(readme), tc.row, a, b, same)
		})
	}
}
