//go:build !unix

package segment

import "testing"

// cpuClock is a no-op where getrusage is unavailable.
type cpuClock struct{}

func startCPU() cpuClock { return cpuClock{} }

func (cpuClock) report(*testing.B, int) {}
