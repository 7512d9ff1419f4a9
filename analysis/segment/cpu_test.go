//go:build unix

package segment

import (
	"syscall"
	"testing"
	"time"
)

// cpuClock reports process CPU time (user+system, all threads) per
// benchmark iteration, because wall-clock throughput is meaningless on a
// machine shared with other jobs.
type cpuClock struct{ start time.Duration }

func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU() cpuClock { return cpuClock{cpuNow()} }

// report adds cpu-ms/op and, when bytes > 0, MB/cpu-s (10^6 bytes of
// input per CPU-second).
func (c cpuClock) report(b *testing.B, bytes int) {
	el := cpuNow() - c.start
	if el <= 0 || b.N == 0 {
		return
	}
	per := el.Seconds() / float64(b.N)
	b.ReportMetric(per*1000, "cpu-ms/op")
	if bytes > 0 {
		b.ReportMetric(float64(bytes)/1e6/per, "MB/cpu-s")
	}
}
