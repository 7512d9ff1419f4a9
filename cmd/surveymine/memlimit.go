package main

import (
	"bufio"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"surveymine/pipeline"
)

// memLimitShare is the share of physical memory the Go heap is asked to stay
// under when GOMEMLIMIT is not set. Large runs then collect garbage more
// often instead of growing to twice their live data (the Go default), which
// on a laptop would mean swapping.
const memLimitShare = 0.6

// gcPercent is the garbage collector's target unless GOGC is set: the heap
// may grow to 1.5× its live data instead of Go's default 2×. Measured on
// 300,000 respondents: peak RSS 4.25 → 2.87 GB for 8% more wall time.
const gcPercent = 50

// setMemoryLimit tunes the garbage collector for a batch job that holds a
// large corpus: gcPercent unless GOGC is set, and a soft memory limit of
// memLimitShare of physical memory unless GOMEMLIMIT is set (Linux only;
// it reads /proc/meminfo).
func setMemoryLimit() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	total := physicalMemory()
	if total <= 0 {
		return
	}
	debug.SetMemoryLimit(int64(float64(total) * memLimitShare))
}

// applyMemoryBudget sets the garbage collector's soft limit from the
// memory key (--memory) when it is set — the budget less what the spilled
// corpus and the program's code may keep resident (pipeline.HeapLimit) —
// and returns the run's memory budget: the key, else the limit in force
// (GOMEMLIMIT or memLimitShare of physical memory, set by setMemoryLimit),
// else 0 (none known).
func applyMemoryBudget(cfg *pipeline.Config) int64 {
	if b := cfg.MemoryBudget(); b > 0 {
		debug.SetMemoryLimit(pipeline.HeapLimit(b))
		return b
	}
	if l := debug.SetMemoryLimit(-1); l < math.MaxInt64 {
		return l
	}
	return 0
}

// physicalMemory returns MemTotal from /proc/meminfo in bytes, or 0.
func physicalMemory() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			if err != nil {
				return 0
			}
			return kb * 1024
		}
	}
	return 0
}
