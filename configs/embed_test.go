package configs

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestCodebooksMatchFiles checks that every codebook file is built in,
// byte for byte, under its file name.
func TestCodebooksMatchFiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("codebook", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no codebook files: %v", err)
	}
	var want []string
	for _, f := range files {
		name := filepath.Base(f)
		name = name[:len(name)-len(".yaml")]
		want = append(want, name)
		disk, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := Codebook(name)
		if !ok || !bytes.Equal(got, disk) {
			t.Errorf("Codebook(%q) = %d bytes, %v; want the %d bytes of %s", name, len(got), ok, len(disk), f)
		}
	}
	if got := CodebookNames(); !slices.Equal(got, want) {
		t.Errorf("CodebookNames() = %v, want %v", got, want)
	}
	if !slices.Contains(want, "liangzhangpi") {
		t.Errorf("built-in codebooks %v lack liangzhangpi", want)
	}
}

func TestCodebookUnknown(t *testing.T) {
	for _, name := range []string{"", "nope", "../default", "codebook/liangzhangpi", "liangzhangpi.yaml"} {
		if data, ok := Codebook(name); ok {
			t.Errorf("Codebook(%q) = %d bytes, true; want none", name, len(data))
		}
	}
}
