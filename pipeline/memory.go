package pipeline

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"surveymine/analysis/segment"
)

// ParseSize reads a memory size: a number with an optional unit, B, KiB,
// MiB, GiB, TiB (powers of 1024; K, M, G, T mean the same) or kB, MB, GB,
// TB (powers of 1000), case-insensitive for the letters before B/iB:
// "1GiB", "1.5G", "800MB", "2000000000".
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	num, unit := t, ""
	if i >= 0 {
		num, unit = t[:i], strings.TrimSpace(t[i:])
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || num == "" {
		return 0, fmt.Errorf("size %q: want a number with an optional unit such as 512MiB or 2GiB", s)
	}
	var mult float64
	switch strings.ToLower(unit) {
	case "", "b":
		mult = 1
	case "k", "kib":
		mult = 1 << 10
	case "m", "mib":
		mult = 1 << 20
	case "g", "gib":
		mult = 1 << 30
	case "t", "tib":
		mult = 1 << 40
	case "kb":
		mult = 1e3
	case "mb":
		mult = 1e6
	case "gb":
		mult = 1e9
	case "tb":
		mult = 1e12
	default:
		return 0, fmt.Errorf("size %q: unknown unit %q (want B, KiB, MiB, GiB, TiB, kB, MB, GB or TB)", s, unit)
	}
	b := v * mult
	if b < 1 || b > math.MaxInt64/2 {
		return 0, fmt.Errorf("size %q: out of range", s)
	}
	return int64(b), nil
}

// MemoryBudget returns the memory key in bytes, or 0 when it is not set
// (then the command chooses: a share of physical memory). Validate has
// checked that it parses.
func (c *Config) MemoryBudget() int64 {
	if strings.TrimSpace(c.Memory) == "" {
		return 0
	}
	b, _ := ParseSize(c.Memory)
	return b
}

// minMemoryBudget is the smallest budget accepted: the segmenter's
// dictionary alone takes about 60 MiB of heap.
const minMemoryBudget = 128 << 20

// validateMemory checks the memory key.
func (c *Config) validateMemory() error {
	if strings.TrimSpace(c.Memory) == "" {
		return nil
	}
	b, err := ParseSize(c.Memory)
	if err != nil {
		return err
	}
	if b < minMemoryBudget {
		return fmt.Errorf("%s is below the minimum of 128MiB (the dictionaries alone need about 60 MiB)", c.Memory)
	}
	return nil
}

// Sizes the budget decides. The clause cache holds clauses of at most 96
// bytes with their tokens (48 bytes each, about 3 per clause) in a map:
// about clauseEntryBytes per entry, measured with the heap profile.
const (
	clauseEntryBytes = 320
	cacheShare       = 50 // the clause cache gets 1/cacheShare of the budget
)

// SpillResident is how much of the spilled corpus (package spill) may stay
// resident before the run drops its pages: an eighth of the budget,
// between 32 MiB and 256 MiB (256 MiB with no budget). Pages a stage reads
// again fault back in from the page cache, so a smaller share costs
// system time, not correctness.
func SpillResident(budget int64) int64 {
	if budget <= 0 {
		return 256 << 20
	}
	return min(max(budget/8, 32<<20), 256<<20)
}

// ProgramResident is an allowance for the program's own code and read-only
// data mapped from its binary (about 25 MiB resident measured at 1M rows),
// outside both the Go heap and the spill.
const ProgramResident = 48 << 20

// HeapLimit is the soft limit for the Go heap under a memory budget: the
// budget less what the spill and the program's code may hold resident,
// so that the whole process stays within the budget.
func HeapLimit(budget int64) int64 {
	return max(budget-SpillResident(budget)-ProgramResident, budget/2)
}

// clauseCacheSize is the clause cache size, in entries, for a memory
// budget in bytes (0: no budget, the default size). The cache never grows
// past the default: longer caches gain little on survey text.
func clauseCacheSize(budget int64) int {
	if budget <= 0 {
		return 0
	}
	return int(min(int64(segment.DefaultCacheSize), budget/cacheShare/clauseEntryBytes))
}

// heapPerInputByte is a lower bound of the heap a run holds per byte of
// input file, whatever the tables and formats: the corpus after ingest
// alone, with its text and answers spilled (see package spill), measured
// 1.28 bytes per byte of CSV on `surveymine sample` (100,000 rows, one
// open and two attribute questions; BenchmarkIngestHeap; 2.74 before the
// spill, which is what a run holds where files cannot be mapped). The
// whole run peaks higher (docs/BENCHMARKS.md, "Memory, fourth step").
// Files with many unused columns hold less per byte.
const heapPerInputByte = 1.2

// checkBudget returns a *ConfigError on the memory key when the input
// files cannot fit the budget even by the lower bound heapPerInputByte:
// better a clear error now than the kernel's OOM killer later. budget 0
// means no check. Files that cannot be read are left to ingest's errors.
func checkBudget(cfg *Config, budget int64) error {
	if budget <= 0 {
		return nil
	}
	var size int64
	var files []string
	for _, s := range cfg.Inputs.Surveys {
		files = append(files, s.Path)
	}
	for _, r := range cfg.Inputs.Reports {
		files = append(files, r.Path)
	}
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && !fi.IsDir() {
			size += fi.Size()
		}
	}
	need := int64(float64(size) * heapPerInputByte)
	if need <= budget {
		return nil
	}
	return &ConfigError{File: cfg.File, Key: "memory", Msg: fmt.Sprintf(
		"the inputs (%s) need more than %s of memory (%.1f× their size, a lower bound from measurements) but the budget is %s: raise --memory, or split the input (README, section Large files)",
		formatSize(size), formatSize(need), heapPerInputByte, formatSize(budget))}
}

// formatSize writes a byte count with a binary unit, one decimal.
func formatSize(b int64) string {
	const unit = 1024
	if b < unit {
		return strconv.FormatInt(b, 10) + " B"
	}
	div, exp := int64(unit), 0
	for n := b / unit; n >= unit; n /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(b)/float64(div), "KMGT"[exp])
}
