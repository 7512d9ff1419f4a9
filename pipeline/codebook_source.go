package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"surveymine/analysis/codebook"
	"surveymine/configs"
)

// BuiltinPrefix marks a codebook.path that names a codebook built into the
// binary (configs/codebook/NAME.yaml at build time): builtin:liangzhangpi.
const BuiltinPrefix = "builtin:"

// IsBuiltin reports whether a codebook path names a built-in codebook.
func IsBuiltin(path string) bool { return strings.HasPrefix(path, BuiltinPrefix) }

// CodebookSource says which codebook coded a run; the manifest records it.
type CodebookSource struct {
	Path    string `json:"path"`    // as configured: a file path or builtin:NAME
	Name    string `json:"name"`    // the codebook's own name: field
	Version string `json:"version"` // its version: field; "" when absent
	SHA256  string `json:"sha256"`  // of the codebook file's bytes
}

// ReadCodebookFile returns the bytes of the codebook at path: the built-in
// one for builtin:NAME, else the file. An unknown built-in name is an error
// listing the built-in ones.
func ReadCodebookFile(path string) ([]byte, error) {
	if name, ok := strings.CutPrefix(path, BuiltinPrefix); ok {
		data, ok := configs.Codebook(strings.TrimSpace(name))
		if !ok {
			return nil, unknownBuiltin(name)
		}
		return data, nil
	}
	return os.ReadFile(path)
}

func unknownBuiltin(name string) error {
	return fmt.Errorf("no built-in codebook %q (built in: %s%s)", name, BuiltinPrefix,
		strings.Join(configs.CodebookNames(), ", "+BuiltinPrefix))
}

// loadCodebook reads and parses the configured codebook and says where it
// came from; both are nil when no codebook is configured.
func loadCodebook(cfg *Config) (*codebook.Codebook, *CodebookSource, error) {
	path := cfg.Codebook.Path
	if path == "" {
		return nil, nil, nil
	}
	data, err := ReadCodebookFile(path)
	if err != nil {
		return nil, nil, &ConfigError{File: cfg.File, Key: "codebook.path", Msg: err.Error()}
	}
	cb, err := codebook.Parse(data, path)
	if err != nil {
		return nil, nil, &ConfigError{File: cfg.File, Key: "codebook.path", Msg: err.Error()}
	}
	sum := sha256.Sum256(data)
	return cb, &CodebookSource{Path: path, Name: cb.Name, Version: cb.Version, SHA256: hex.EncodeToString(sum[:])}, nil
}
