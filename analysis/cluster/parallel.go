package cluster

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// chunkSize is the number of documents one worker handles at a time. Chunk
// boundaries depend only on the number of documents, never on the number of
// workers, and every chunk writes only its own documents' slots.
const chunkSize = 1024

// resolveWorkers maps a Workers option to a goroutine count: <= 0 means
// runtime.GOMAXPROCS(0).
func resolveWorkers(w int) int {
	if w <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return w
}

// forChunks calls fn(lo, hi) for consecutive chunks of [0, n) on up to
// workers goroutines and returns when all are done. fn must only write
// state owned by documents lo..hi-1.
func forChunks(n, workers int, fn func(lo, hi int)) {
	nc := (n + chunkSize - 1) / chunkSize
	if workers > nc {
		workers = nc
	}
	if workers <= 1 {
		for c := 0; c < nc; c++ {
			fn(c*chunkSize, min(n, (c+1)*chunkSize))
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				c := int(next.Add(1) - 1)
				if c >= nc {
					return
				}
				fn(c*chunkSize, min(n, (c+1)*chunkSize))
			}
		})
	}
	wg.Wait()
}
