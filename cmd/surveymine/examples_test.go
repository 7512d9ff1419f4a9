package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// surveymineCalls returns every surveymine command line in a shell script
// or a YAML command list: the words after "surveymine", unquoted.
func surveymineCalls(t *testing.T, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var calls [][]string
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.NewReplacer("[", " ", "]", " ", `"`, " ", ",", " ").Replace(line)
		words := strings.Fields(line)
		for i, w := range words {
			// A call starts the line, or follows exec or a YAML command key.
			if w == "surveymine" && i+1 < len(words) && (i == 0 || words[i-1] == "exec" || words[i-1] == "command:") {
				calls = append(calls, words[i+1:])
				break
			}
		}
	}
	return calls
}

// TestExamplesMatchCLI checks examples/slurm and examples/k8s against the
// command line: every surveymine subcommand and flag they use exists, the
// workers get their index from a variable surveymine shard reads, and the
// Indexed Job has as many completions as the plan has shards. (Slurm and
// Kubernetes themselves cannot run here.)
func TestExamplesMatchCLI(t *testing.T) {
	files, _ := filepath.Glob("../../examples/*/*")
	var scripts []string
	for _, f := range files {
		if !strings.HasSuffix(f, ".md") {
			scripts = append(scripts, f)
		}
	}
	if len(scripts) < 6 {
		t.Fatalf("found %d example files: %v", len(scripts), scripts)
	}
	help := map[string]string{}
	seen := map[string]bool{}
	for _, f := range scripts {
		for _, call := range surveymineCalls(t, f) {
			sub := call[0]
			if _, ok := help[sub]; !ok {
				code, out, errOut := runCLI(t, sub, "--help")
				if code != 0 || !strings.Contains(out, "surveymine "+sub) {
					t.Errorf("%s: surveymine %s is not a command (exit %d): %s", f, sub, code, errOut)
					continue
				}
				help[sub] = out
			}
			seen[sub] = true
			for _, w := range call[1:] {
				if !strings.HasPrefix(w, "--") {
					continue
				}
				flag, _, _ := strings.Cut(w, "=")
				if !strings.Contains(help[sub], "  "+flag+" ") && !strings.Contains(help[sub], ", "+flag+" ") {
					t.Errorf("%s: surveymine %s has no flag %s", f, sub, flag)
				}
			}
			if sub == "shard" && slices.Contains(call, "--index") {
				t.Errorf("%s: the worker passes --index; it should take its index from the scheduler", f)
			}
		}
	}
	for _, sub := range []string{"plan", "shard", "merge"} {
		if !seen[sub] {
			t.Errorf("no example runs surveymine %s", sub)
		}
	}

	// The index variables the examples rely on are those shard reads.
	for dir, v := range map[string]string{"slurm": "SLURM_ARRAY_TASK_ID", "k8s": "JOB_COMPLETION_INDEX"} {
		if !slices.Contains(indexEnv, v) {
			t.Errorf("surveymine shard does not read %s", v)
		}
		readme, err := os.ReadFile(filepath.Join("../../examples", dir, "README.md"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(readme), v) {
			t.Errorf("examples/%s/README.md does not name %s", dir, v)
		}
	}
	if _, _, errOut := runCLI(t, "shard", "--help"); errOut != "" {
		t.Errorf("shard --help wrote to stderr: %s", errOut)
	}
	_, shardHelp, _ := runCLI(t, "shard", "--help")
	for _, v := range indexEnv {
		if !strings.Contains(shardHelp, v) {
			t.Errorf("surveymine shard --help does not name %s", v)
		}
	}

	// Kubernetes: an Indexed Job with completions = the plan's --shards.
	plan, _ := os.ReadFile("../../examples/k8s/plan-job.yaml")
	job, _ := os.ReadFile("../../examples/k8s/shard-job.yaml")
	shards := regexp.MustCompile(`"--shards",\s*"(\d+)"`).FindSubmatch(plan)
	completions := regexp.MustCompile(`(?m)^\s*completions:\s*(\d+)`).FindSubmatch(job)
	if shards == nil || completions == nil {
		t.Fatalf("cannot find --shards in plan-job.yaml (%q) or completions in shard-job.yaml (%q)", shards, completions)
	}
	if string(shards[1]) != string(completions[1]) {
		t.Errorf("plan-job.yaml plans %s shards, shard-job.yaml runs %s completions", shards[1], completions[1])
	}
	if !strings.Contains(string(job), "completionMode: Indexed") {
		t.Error("shard-job.yaml is not an Indexed Job")
	}
	// Slurm: the array runs indexes 0..N-1.
	submit, _ := os.ReadFile("../../examples/slurm/submit.sh")
	if !strings.Contains(string(submit), "--array=0-$((n - 1))") {
		t.Error("submit.sh does not submit the array 0..N-1")
	}
	if n, err := strconv.Atoi(string(shards[1])); err != nil || n < 1 {
		t.Errorf("plan-job.yaml: --shards %s", shards[1])
	}
}
