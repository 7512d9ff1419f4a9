// Package configs carries the codebooks bundled with surveymine inside the
// binary, so a config can name one as `codebook.path: builtin:NAME` without
// the source tree. The YAML files beside this file are the sources: editing
// configs/codebook/NAME.yaml changes what builtin:NAME means in the next
// build.
package configs

import (
	"embed"
	"path"
	"sort"
	"strings"
)

//go:embed codebook/*.yaml
var codebooks embed.FS

// Codebook returns the bytes of the built-in codebook name (the file name
// in configs/codebook without .yaml) and whether there is one.
func Codebook(name string) ([]byte, bool) {
	if name == "" || strings.ContainsAny(name, `/\.`) {
		return nil, false
	}
	data, err := codebooks.ReadFile(path.Join("codebook", name+".yaml"))
	if err != nil {
		return nil, false
	}
	return data, true
}

// CodebookNames lists the built-in codebooks, sorted.
func CodebookNames() []string {
	entries, _ := codebooks.ReadDir("codebook") // embedded: cannot fail
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}
