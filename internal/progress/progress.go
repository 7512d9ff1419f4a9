// Package progress reports the progress of long stages on stderr: a bar on
// a terminal, periodic log lines otherwise, nothing when quiet.
//
// Stages call Begin, then Add as work completes (Total first when the amount
// of work is known), then End. All methods are safe for concurrent use.
package progress

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Reporter receives progress from the pipeline.
type Reporter interface {
	Begin(stage string)
	Total(n int) // amount of work in the current stage, in rows or units
	Add(n int)
	End(stage string)
}

// Nop reports nothing; it is the default.
type Nop struct{}

func (Nop) Begin(string) {}
func (Nop) Total(int)    {}
func (Nop) Add(int)      {}
func (Nop) End(string)   {}

// Bar draws a progress bar on a terminal.
type Bar struct {
	W   io.Writer
	mu  sync.Mutex
	bar *progressbar.ProgressBar
	tag string
}

func (b *Bar) Begin(stage string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tag = stage
	b.bar = progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(b.W),
		progressbar.OptionSetDescription(stage),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionShowCount(),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionClearOnFinish(),
	)
}

func (b *Bar) Total(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bar != nil {
		b.bar.ChangeMax(n)
	}
}

func (b *Bar) Add(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bar != nil {
		_ = b.bar.Add(n)
	}
}

func (b *Bar) End(stage string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bar != nil {
		_ = b.bar.Finish()
		b.bar = nil
	}
	fmt.Fprintf(b.W, "%s done\n", stage)
}

// Log writes a line when a stage starts and ends and, for long stages, one
// line every Every (default 5 s) with the work done so far. It is used when
// stderr is not a terminal.
type Log struct {
	W     io.Writer
	Every time.Duration

	mu    sync.Mutex
	stage string
	done  int
	total int
	start time.Time
	last  time.Time
}

func (l *Log) Begin(stage string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stage, l.done, l.total = stage, 0, 0
	l.start = time.Now()
	l.last = l.start
	fmt.Fprintf(l.W, "%s: started\n", stage)
}

func (l *Log) Total(n int) {
	l.mu.Lock()
	l.total = n
	l.mu.Unlock()
}

func (l *Log) Add(n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.done += n
	every := l.Every
	if every == 0 {
		every = 5 * time.Second
	}
	if now := time.Now(); now.Sub(l.last) >= every {
		l.last = now
		if l.total > 0 {
			fmt.Fprintf(l.W, "%s: %d/%d (%.0f%%)\n", l.stage, l.done, l.total, 100*float64(l.done)/float64(l.total))
		} else {
			fmt.Fprintf(l.W, "%s: %d\n", l.stage, l.done)
		}
	}
}

func (l *Log) End(stage string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.W, "%s: done in %.2f s\n", stage, time.Since(l.start).Seconds())
}
