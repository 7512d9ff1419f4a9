package stats

import (
	"math"
	"testing"
)

// tableFromBytes turns fuzz input into a table of 1–4 rows and columns;
// byte 255 becomes NaN, 254 becomes −1 and 253 a fractional weight.
func tableFromBytes(data []byte) Table {
	if len(data) < 2 {
		return Table{}
	}
	r, c := int(data[0]%4)+1, int(data[1]%4)+1
	data = data[2:]
	counts := make([][]float64, r)
	for i := range counts {
		counts[i] = make([]float64, c)
		for j := range counts[i] {
			k := i*c + j
			if k >= len(data) {
				continue
			}
			switch b := data[k]; b {
			case 255:
				counts[i][j] = math.NaN()
			case 254:
				counts[i][j] = -1
			case 253:
				counts[i][j] = 2.75
			default:
				counts[i][j] = float64(b % 12)
			}
		}
	}
	return Table{Counts: counts}
}

// FuzzAnalyze checks that Analyze never panics and that its output is
// internally consistent for any small table.
func FuzzAnalyze(f *testing.F) {
	f.Add([]byte{1, 1, 3, 1, 1, 3})
	f.Add([]byte{0, 2, 5, 0, 0})
	f.Add([]byte{3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})
	f.Add([]byte{2, 2, 255, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Add([]byte{2, 2, 253, 1, 2, 253, 4, 5, 6, 7, 8})
	f.Add([]byte{1, 2, 0, 9, 1, 0, 0, 4})
	f.Fuzz(func(t *testing.T, data []byte) {
		tab := tableFromBytes(data)
		res := Analyze(tab, Options{MonteCarloB: 50, Seed: 1})
		switch res.Status {
		case StatusOK:
			if !(res.P > 0 && res.P <= 1) || !(res.Chi2 >= 0) || !(res.G2 >= 0) || res.DF < 1 {
				t.Fatalf("Analyze(%v) = P %v Chi2 %v G2 %v DF %d", tab.Counts, res.P, res.Chi2, res.G2, res.DF)
			}
			if !(res.CramersV >= 0 && res.CramersV <= 1+1e-12) || !(res.VLow <= res.VHigh) || !(res.VLow >= 0) {
				t.Fatalf("Analyze(%v) V = %v [%v, %v]", tab.Counts, res.CramersV, res.VLow, res.VHigh)
			}
			for _, c := range res.Cells {
				if math.IsNaN(c.AdjResid) || math.IsInf(c.AdjResid, 0) || math.IsNaN(c.Expected) {
					t.Fatalf("Analyze(%v) cell %+v", tab.Counts, c)
				}
			}
		case StatusEmpty, StatusSingleObservation, StatusDegenerate, StatusInvalid:
			if !math.IsNaN(res.P) || res.Test != TestNone || res.StatusDetail == "" {
				t.Fatalf("Analyze(%v) status %q: P %v Test %q detail %q", tab.Counts, res.Status, res.P, res.Test, res.StatusDetail)
			}
		default:
			t.Fatalf("Analyze(%v) unknown status %q", tab.Counts, res.Status)
		}
	})
}

// FuzzRaoScott checks that RaoScott never panics and that a test it
// reports as ok has finite statistics and p-values in [0, 1]. Each
// respondent takes three bytes: row code, column code (values above the
// 3×4 table are missing) and weight (0–12.75 in quarters; 255 is NaN).
func FuzzRaoScott(f *testing.F) {
	f.Add([]byte{0, 0, 4, 1, 1, 8, 0, 1, 2, 1, 0, 3, 2, 3, 9, 2, 2, 1})
	f.Add([]byte{0, 0, 4, 0, 0, 4, 1, 1, 4, 1, 1, 4})
	f.Add([]byte{0, 0, 0, 1, 1, 255, 9, 1, 4})
	f.Fuzz(func(t *testing.T, data []byte) {
		var d Responses
		d.NRows, d.NCols = 3, 4
		for k := 0; k+2 < len(data); k += 3 {
			row, col := int(data[k]), int(data[k+1])
			if row >= d.NRows {
				row = -1
			}
			if col >= d.NCols {
				col = -1
			}
			w := float64(data[k+2]%52) / 4
			if data[k+2] == 255 {
				w = math.NaN()
			}
			d.Row, d.Col, d.Weight = append(d.Row, row), append(d.Col, col), append(d.Weight, w)
		}
		res := RaoScott(d)
		if res.Status != StatusOK {
			return
		}
		for _, x := range []float64{res.Chi2, res.Chi2RS, res.MeanDeff, res.F, res.DF1, res.DF2} {
			if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
				t.Fatalf("RaoScott(%v) = %+v: a statistic is not finite and non-negative", d, res)
			}
		}
		for _, p := range []float64{res.PChi2RS, res.PF} {
			if !(p >= 0 && p <= 1) {
				t.Fatalf("RaoScott(%v) p-values %v, %v, want in [0, 1]", d, res.PChi2RS, res.PF)
			}
		}
	})
}
