package stats

import (
	"bytes"
	"encoding/csv"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"surveymine/internal/golden"
)

// svyDataPath is the weighted test survey shared with the R script
// testdata/svychisq.R, which records R's svychisq results for it.
const svyDataPath = "testdata/svychisq.csv"

// svyColumns are the categorical columns of the test survey; w is the weight.
var svyColumns = []string{"a2", "b2", "a3", "b4", "az", "bz", "c5", "d3", "e2", "f2"}

// genSvyData draws the weighted test survey: 1,200 respondents from a fixed
// PCG seed, weights 0.50–6.00 (two decimals) tied to a latent group g that
// also shifts the answers, so that design effects differ from 1. Pairs:
// a2×b2 (2×2, associated), a3×b4 (3×4, associated), az×bz (3×4 with three
// empty cells), c5×d3 (5×3, associated only through g), e2×f2 (2×2 with an
// empty cell).
func genSvyData() []byte {
	rng := rand.New(rand.NewPCG(2026, 1984))
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(append(append([]string{}, svyColumns...), "w"))
	pick := func(p []float64) int { // index drawn with weights p
		total := 0.0
		for _, x := range p {
			total += x
		}
		u := rng.Float64() * total
		for i, x := range p {
			if u < x {
				return i
			}
			u -= x
		}
		return len(p) - 1
	}
	bern := func(p float64) int {
		if rng.Float64() < p {
			return 1
		}
		return 0
	}
	lo := []float64{0.5, 1, 2, 3.5}
	hi := []float64{1.5, 3, 4.5, 6}
	for range 1200 {
		g := pick([]float64{4, 3, 2, 1})
		wt := math.Round(100*(lo[g]+(hi[g]-lo[g])*rng.Float64())) / 100
		a2 := bern(0.3 + 0.1*float64(g))
		b2 := bern(0.4 + 0.15*float64(a2))
		a3 := pick([]float64{3, 2 + float64(g), 2})
		b4p := []float64{2, 2, 2, 2}
		b4p[a3] += 1.5
		b4 := pick(b4p)
		az := pick([]float64{0.15, 1, 1})
		bzp := []float64{1, 2, 2, 0.3}
		bzp[g%4] += 0.4
		bz := pick(bzp)
		for (az == 0 && bz == 0) || (az == 0 && bz == 3) || (az == 2 && bz == 3) {
			bz = pick(bzp)
		}
		c5 := pick([]float64{1, 1 + float64(g)/2, 1, 1, 0.5})
		d3p := []float64{2, 2, 1}
		d3p[g%3] += 0.6
		d3 := pick(d3p)
		e2 := bern(0.04)
		f2 := bern(0.1 + 0.05*float64(g))
		if e2 == 1 {
			f2 = 0
		}
		rec := []string{}
		for _, v := range []int{a2, b2, a3, b4, az, bz, c5, d3, e2, f2} {
			rec = append(rec, strconv.Itoa(v))
		}
		w.Write(append(rec, strconv.FormatFloat(wt, 'f', 2, 64)))
	}
	w.Flush()
	return b.Bytes()
}

// TestSvyDataReproducible checks that the committed CSV is what genSvyData
// draws (rewrite it with go test ./analysis/stats -run TestSvyData -update,
// then rerun testdata/svychisq.R and update the recorded values).
func TestSvyDataReproducible(t *testing.T) {
	golden.Check(t, svyDataPath, genSvyData())
}

// readSvyData reads the test survey: one code slice per column and the weights.
func readSvyData(t *testing.T) (map[string][]int, []float64) {
	t.Helper()
	data, err := os.ReadFile(svyDataPath)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cols := map[string][]int{}
	var w []float64
	for i, rec := range recs[1:] {
		for j, name := range recs[0] {
			if name == "w" {
				v, err := strconv.ParseFloat(rec[j], 64)
				if err != nil {
					t.Fatalf("%s:%d: %v", svyDataPath, i+2, err)
				}
				w = append(w, v)
				continue
			}
			v, err := strconv.Atoi(rec[j])
			if err != nil {
				t.Fatalf("%s:%d: %v", svyDataPath, i+2, err)
			}
			cols[name] = append(cols[name], v)
		}
	}
	return cols, w
}
