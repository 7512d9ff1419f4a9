package shardbeam

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/spf13/viper"
	"gopkg.in/yaml.v3"

	"surveymine/pipeline"
	"surveymine/pipeline/shard"
)

// openPlan reads the plan at path, decodes its config (with out and force
// applied), changes to the plan's working directory when the config's
// paths are relative, and checks the inputs against the plan: what
// `surveymine shard` and `surveymine merge` do before they start.
func openPlan(path, out string, force bool) (*shard.Loaded, *pipeline.Config, error) {
	lp, err := shard.ReadPlan(path)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := planConfig(lp, out, force)
	if err != nil {
		return nil, nil, err
	}
	if err := enterWorkdir(lp, cfg); err != nil {
		return nil, nil, err
	}
	if err := lp.CheckInputs(); err != nil {
		return nil, nil, err
	}
	return lp, cfg, nil
}

// planConfig decodes the plan's config. The plan holds the config merged
// and resolved by `surveymine plan` (file, environment and --set already
// applied), so it is decoded as it stands, the way surveymine decodes it:
// viper's UnmarshalExact, unknown keys an error.
func planConfig(lp *shard.Loaded, out string, force bool) (*pipeline.Config, error) {
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(strings.NewReader(lp.Config)); err != nil {
		return nil, &pipeline.ConfigError{File: lp.Path, Msg: err.Error()}
	}
	var cfg pipeline.Config
	if err := v.UnmarshalExact(&cfg); err != nil {
		return nil, &pipeline.ConfigError{File: lp.Path, Msg: err.Error()}
	}
	cfg.File = lp.Path
	if out != "" {
		cfg.Output.Dir = out
	}
	if force {
		cfg.Output.Force = true
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// enterWorkdir changes to the directory plan ran in when the config has
// relative paths: the tables name input files as the config does, so they
// must be opened by the same names `surveymine run` used.
func enterWorkdir(lp *shard.Loaded, cfg *pipeline.Config) error {
	wd, err := os.Getwd()
	if err != nil || wd == lp.Workdir {
		return err
	}
	relative := false
	c := *cfg
	c.MapPaths(func(p string) string {
		if !filepath.IsAbs(p) {
			relative = true
		}
		return p
	})
	if !relative {
		return nil
	}
	if err := os.Chdir(lp.Workdir); err != nil {
		return &shard.Error{File: lp.Path, Msg: fmt.Sprintf("the config's relative paths are relative to %s, where plan ran: %v (run plan with absolute paths, or mount the same directory on every worker)", lp.Workdir, err)}
	}
	return nil
}

// savedConfig is the config.yaml written beside the outputs, as
// `surveymine merge` writes it: every path absolute, keys as the user
// writes them.
func savedConfig(cfg *pipeline.Config) ([]byte, error) {
	saved := *cfg
	saved.MapPaths(func(p string) string {
		if a, err := filepath.Abs(p); err == nil {
			return a
		}
		return p
	})
	return yaml.Marshal(keyed(reflect.ValueOf(saved)))
}

// keyed turns a config struct into nested maps keyed by its mapstructure
// tags (lists of structs into lists of maps).
func keyed(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Struct:
		m := map[string]any{}
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag, _, _ := strings.Cut(f.Tag.Get("mapstructure"), ",")
			if tag == "-" || !f.IsExported() {
				continue
			}
			if tag == "" {
				tag = strings.ToLower(f.Name)
			}
			m[tag] = keyed(v.Field(i))
		}
		return m
	case reflect.Slice:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = keyed(v.Index(i))
		}
		return out
	}
	return v.Interface()
}
