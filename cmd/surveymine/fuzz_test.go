package main

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"surveymine/pipeline"
)

// FuzzLoadConfig feeds arbitrary bytes to the config loader as a config
// file: it must never panic, and any error must be a *pipeline.ConfigError
// (exit code 2) or, for input files the config names, an error that the
// exit-code mapping does not call internal.
func FuzzLoadConfig(f *testing.F) {
	for _, s := range []string{
		"inputs:\n  surveys:\n    - path: survey.csv\n      text_columns: [\"6\"]\ncluster:\n  k: 4\n",
		"output:\n  csv_excel_safe: true\n  csv_bom: yes\ninputs:\n  max_columns: 10\n  max_file_bytes: 1e3\n",
		"cluster:\n  kk: 3\n", "- a\n- b\n", "a: &x [b]\nc: *x\n", "inputs: 3\n", "inputs:\n  surveys: {a: 1}\n",
		"\ufeffseed: -1\r\n", "workers: 1.5\n", "output:\n  formats: [csv, pdf]\n", "crosstab:\n  tables:\n    - rows: \"\"\n", "",
		"inputs:\n  surveys:\n    - path: \"/[\"\n      attribute_columns: [\"/(/\"]\n",
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "c.yaml")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := loadConfig(loadOptions{File: p})
		var ce *pipeline.ConfigError
		if err != nil && !errors.As(err, &ce) && exitCode(err) == exitInternal {
			t.Errorf("loadConfig(%q) = %T %v, want a config error", data, err, err)
		}
	})
}
