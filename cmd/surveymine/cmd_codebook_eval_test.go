package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestCodebookEval(t *testing.T) {
	dir := t.TempDir()
	gold := writeFile(t, dir, "gold.tsv", "id\tsplit\tcategories\tsource\ttext\n"+
		"a\tdev\t1\tS1\t存在重业务轻党建现象。\n"+
		"b\tdev\t3\tS1\t党务干部多为兼职。\n"+
		"c\ttest\t\tS2\t党建工作取得了明显成效。\n"+
		"d\ttest\t9\tS2\t考核办法已经印发。\n")
	cfg := writeFile(t, dir, "config.yaml", "codebook:\n  path: "+abs(t, "../../configs/codebook/liangzhangpi.yaml")+"\n")
	code, out, errOut := runCLI(t, "codebook", "eval", "--config", cfg, "--gold", gold)
	if code != 0 {
		t.Fatalf("codebook eval: exit %d, stderr %q", code, errOut)
	}
	// By hand: a and b coded right, c coded nothing, d (gold 9) coded
	// nothing: micro TP 2, FP 0, FN 1.
	for _, want := range []string{
		"sentences\t4\n",
		"1\t1\t1\t1\t1.000\t1.000\t1.000\n",
		"9\t1\t0\t0\tNaN\t0.000\t0.000\n",
		"micro\t3\t2\t2\t1.000\t0.667\t0.800\n",
		"FN\t9\td\t考核办法已经印发。\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("codebook eval output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCLI(t, "codebook", "eval", "--config", cfg, "--gold", gold, "--split", "test", "--no-misses")
	if code != 0 || !strings.Contains(out, "sentences\t2\n") || strings.Contains(out, "FN\t") {
		t.Errorf("codebook eval --split test --no-misses: exit %d, output\n%s", code, out)
	}
	if code, _, _ := runCLI(t, "codebook", "eval", "--config", cfg); code != 2 {
		t.Errorf("codebook eval without --gold: exit %d, want 2", code)
	}
	// A split the gold set does not have is a usage error naming the
	// splits it has, not a score of zero sentences.
	code, _, errOut = runCLI(t, "codebook", "eval", "--config", cfg, "--gold", gold, "--split", "tset")
	if code != 2 || !strings.Contains(errOut, `unknown split "tset"`) || !strings.Contains(errOut, "has dev, test") {
		t.Errorf("codebook eval --split tset: exit %d, stderr %q; want 2 and the splits named", code, errOut)
	}
}

func abs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
