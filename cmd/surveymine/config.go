package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"

	"github.com/spf13/viper"
	"gopkg.in/yaml.v3"

	"surveymine/pipeline"
)

// defaultConfigFile is the bundled sample job of a source checkout.
const defaultConfigFile = "configs/default.yaml"

// defaultConfigFiles are tried in order when no --config is given: the
// config of a project made by `surveymine init` in the working directory,
// then the sample job of a source checkout.
var defaultConfigFiles = []string{starterName, defaultConfigFile}

// findConfig returns the first of defaultConfigFiles in the working
// directory, or "" when there is none.
func findConfig() string {
	for _, f := range defaultConfigFiles {
		if st, err := os.Stat(f); err == nil && !st.IsDir() {
			return f
		}
	}
	return ""
}

// errNoConfig tells a first-time user how to get a config.
var errNoConfig = &usageError{errors.New(`no config file: none given with --config, and no ` + starterName + ` (or ` + defaultConfigFile + `) here
  start a project from your export:  surveymine init myproject --from export.xlsx
  then check and run it:             surveymine validate --config myproject/` + starterName + `
                                     surveymine run --config myproject/` + starterName)}

// envPrefix prefixes environment variables that set config keys:
// SURVEYMINE_CLUSTER_K=6 sets cluster.k.
const envPrefix = "SURVEYMINE"

// loadOptions are the command-line inputs to loadConfig.
type loadOptions struct {
	File    string   // config file; "" = none
	Sets    []string // key.path=value overrides from --set
	Environ []string // os.Environ(), passed in so tests can control it
	Out     string   // --out; "" = keep output.dir
	Force   bool     // --force
	Memory  string   // --memory; "" = keep the memory key

	// NoInputs skips the checks of the inputs section, for commands that
	// read no inputs.
	NoInputs bool

	// Data, when set, is the config itself (a shard plan's merged
	// config); File then only names it in messages, and its paths are
	// taken as they are (they were resolved when the plan was made).
	Data []byte
}

// loadConfig merges defaults < config file < environment < flags into a
// pipeline.Config. Unknown keys anywhere are a *pipeline.ConfigError naming
// the key and where it came from.
func loadConfig(opt loadOptions) (*pipeline.Config, error) {
	keys := map[string]reflect.Type{}
	collectKeys(reflect.TypeOf(pipeline.Config{}), "", keys)

	v := viper.New()
	v.SetConfigType("yaml")
	for k := range keys {
		v.SetDefault(k, nil)
	}
	if opt.File != "" {
		data, err := opt.Data, error(nil)
		if data == nil {
			data, err = os.ReadFile(opt.File)
		}
		if err != nil {
			return nil, &pipeline.ConfigError{File: opt.File, Msg: fmt.Sprintf("cannot read config: %v", errUnwrapPath(err))}
		}
		var raw any
		if err := yaml.Unmarshal(data, &raw); err != nil {
			return nil, &pipeline.ConfigError{File: opt.File, Msg: "invalid YAML: " + err.Error() + yamlHint(err)}
		}
		if raw != nil {
			if err := checkKeys(raw, reflect.TypeOf(pipeline.Config{}), ""); err != nil {
				return nil, &pipeline.ConfigError{File: opt.File, Key: err.key, Msg: err.msg}
			}
		}
		if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
			return nil, &pipeline.ConfigError{File: opt.File, Msg: err.Error()}
		}
	}
	// Environment: every SURVEYMINE_* variable must name a key.
	envKeys := map[string]string{}
	for k := range keys {
		envKeys[envPrefix+"_"+strings.ToUpper(strings.ReplaceAll(k, ".", "_"))] = k
	}
	for _, kv := range opt.Environ {
		name, val, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, envPrefix+"_") {
			continue
		}
		key, ok := envKeys[name]
		if !ok {
			return nil, &pipeline.ConfigError{File: "environment", Key: name, Msg: "unknown config key (see README: configuration)"}
		}
		v.Set(key, val) // overridden below by --set
	}
	for _, s := range opt.Sets {
		key, val, ok := strings.Cut(s, "=")
		if !ok || key == "" {
			return nil, &usageError{fmt.Errorf("--set %q: want key.path=value", s)}
		}
		key = strings.ToLower(strings.TrimSpace(key))
		if _, known := keys[key]; !known {
			return nil, &pipeline.ConfigError{File: "--set", Key: key, Msg: "unknown config key"}
		}
		v.Set(key, val)
	}

	var cfg pipeline.Config
	if err := v.UnmarshalExact(&cfg); err != nil {
		file := opt.File
		if file == "" {
			file = "config"
		}
		return nil, &pipeline.ConfigError{File: file, Msg: err.Error()}
	}
	cfg.File = opt.File
	if err := checkPaths(&cfg); err != nil {
		return nil, err
	}
	if cfg.Privacy.Redact == nil { // on unless switched off; printed as true
		on := true
		cfg.Privacy.Redact = &on
	}
	if opt.Data == nil {
		cfg.Resolve()
	}
	if opt.Out != "" {
		cfg.Output.Dir = opt.Out
	}
	if opt.Force {
		cfg.Output.Force = true
	}
	if opt.Memory != "" {
		cfg.Memory = opt.Memory
	}
	validate := cfg.Validate
	if opt.NoInputs {
		validate = cfg.ValidateSettings
	}
	if err := validate(); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// backslashHint explains the usual cause of YAML escape errors and of
// paths with tabs or line breaks: a Windows path in double quotes.
const backslashHint = `; in double quotes a backslash starts an escape (\t, \n, \U …): write Windows paths without quotes, in single quotes or with forward slashes (C:/数据/问卷.csv)`

// yamlHint adds advice to YAML errors a Windows user is likely to meet.
func yamlHint(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "escape character"), strings.Contains(msg, "hexdecimal number"):
		return backslashHint
	case strings.Contains(msg, "UTF-8"):
		return "; the file is not UTF-8 text (saved as ANSI or GBK?): save it as UTF-8"
	}
	return ""
}

// checkPaths rejects paths with control characters, which come from
// escapes in double-quoted Windows paths ("C:\temp\new.csv" holds a tab
// and a line break).
func checkPaths(cfg *pipeline.Config) error {
	var bad []string
	c := *cfg
	c.MapPaths(func(p string) string {
		if strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 }) {
			bad = append(bad, p)
		}
		return p
	})
	if len(bad) > 0 {
		return &pipeline.ConfigError{File: cfg.File, Msg: fmt.Sprintf("path %q holds a tab or line break%s", bad[0], backslashHint)}
	}
	return nil
}

// errUnwrapPath drops the *PathError wrapper whose path the message repeats.
func errUnwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// collectKeys records every config key (dotted path) of t. Lists of
// structs are one key: their items are checked by checkKeys.
func collectKeys(t reflect.Type, prefix string, out map[string]reflect.Type) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("mapstructure")
		if tag == "-" || !f.IsExported() {
			continue
		}
		name := tagName(f)
		key := name
		if prefix != "" {
			key = prefix + "." + name
		}
		if f.Type.Kind() == reflect.Struct {
			collectKeys(f.Type, key, out)
			continue
		}
		out[key] = f.Type
	}
}

func tagName(f reflect.StructField) string {
	tag, _, _ := strings.Cut(f.Tag.Get("mapstructure"), ",")
	if tag == "" {
		return strings.ToLower(f.Name)
	}
	return tag
}

type keyError struct{ key, msg string }

func (e *keyError) Error() string { return e.key + ": " + e.msg }

// checkKeys walks a decoded YAML document and reports the first key that
// the config struct t does not have, with its full path such as
// inputs.surveys[0].text_colums.
func checkKeys(raw any, t reflect.Type, path string) *keyError {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := raw.(map[string]any)
		if !ok {
			if raw == nil {
				return nil
			}
			return &keyError{orRoot(path), fmt.Sprintf("want a mapping, got %T", raw)}
		}
		fields := map[string]reflect.StructField{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Tag.Get("mapstructure") == "-" || !f.IsExported() {
				continue
			}
			fields[tagName(f)] = f
		}
		names := make([]string, 0, len(m))
		for k := range m {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			key := k
			if path != "" {
				key = path + "." + k
			}
			f, ok := fields[strings.ToLower(k)]
			if !ok {
				return &keyError{key, "unknown key" + suggest(k, fields)}
			}
			if err := checkKeys(m[k], f.Type, key); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if t.Elem().Kind() != reflect.Struct {
			return nil
		}
		list, ok := raw.([]any)
		if !ok {
			if raw == nil {
				return nil
			}
			return &keyError{path, fmt.Sprintf("want a list, got %T", raw)}
		}
		for i, item := range list {
			if err := checkKeys(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

func orRoot(p string) string {
	if p == "" {
		return "(top level)"
	}
	return p
}

// suggest names the closest known key when one is near enough to be a typo.
func suggest(k string, fields map[string]reflect.StructField) string {
	best, bestD := "", 3
	for name := range fields {
		if d := editDistance(strings.ToLower(k), name); d < bestD || (d == bestD && name < best) {
			best, bestD = name, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// printConfig writes cfg as YAML with the config's own key names.
func configYAML(cfg *pipeline.Config) ([]byte, error) {
	return yaml.Marshal(toMap(reflect.ValueOf(*cfg)))
}

// toMap converts a config struct into nested maps keyed by mapstructure
// tags, so the printed YAML uses the same keys the user writes.
func toMap(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Struct:
		m := map[string]any{}
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Tag.Get("mapstructure") == "-" || !f.IsExported() {
				continue
			}
			m[tagName(f)] = toMap(v.Field(i))
		}
		return m
	case reflect.Slice:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = toMap(v.Index(i))
		}
		return out
	}
	return v.Interface()
}
