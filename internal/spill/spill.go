// Package spill keeps a run's bulk, pointer-free data out of the Go heap.
//
// An Arena hands out byte slices backed by temporary files that are
// mapped into memory and unlinked at once (nothing is left on disk when
// the process ends, however it ends). Release drops the pages the process
// holds; the data stays in the file, so the kernel keeps it in its page
// cache while memory is free and writes it to disk when memory is short,
// and the next read faults it back in. A stage that has finished with the
// corpus therefore stops paying for it in resident memory, and the
// garbage collector never sizes its heap goal on it.
//
// Only data without Go pointers may live in an arena (the collector does
// not see it): bytes, numbers and structs of them. Slice checks this.
// Strings may point into an arena (unsafe.String over Alloc's bytes): the
// arena never unmaps, so they stay valid for the life of the process.
//
// On systems other than Linux New returns nil, which allocates from the
// Go heap. Where files cannot be mapped (a full disk, a directory that does
// not allow it), Alloc falls back to the heap too: the run keeps working
// and only loses the saving; Err says why.
package spill

import (
	"fmt"
	"reflect"
	"sync"
	"time"
	"unsafe"
)

// Segment sizes: the first file is small, so that a tiny run (or a test
// suite running hundreds) maps little, and each next one doubles up to
// maxSegment.
const (
	firstSegment = 1 << 20
	maxSegment   = 64 << 20
)

// Arena allocates from mapped, unlinked temporary files in one directory.
// A nil *Arena allocates from the Go heap. Its methods are safe for
// concurrent use.
type Arena struct {
	dir string

	mu     sync.Mutex
	segs   [][]byte // every mapped segment, whole
	free   []byte   // the unused tail of the last segment
	next   int      // size of the next segment
	mapped int64    // bytes mapped so far
	err    error    // why the arena fell back to the heap, if it did
}

// New returns an arena whose files go into dir (it must exist; the files
// are unlinked as soon as they are mapped). Where mapping is not
// implemented (systems other than Linux) it returns nil: the heap.
func New(dir string) *Arena {
	if !supported {
		return nil
	}
	return &Arena{dir: dir, next: firstSegment}
}

// Alloc returns n zeroed bytes, aligned to 8 bytes. They are never freed
// or moved.
func (a *Arena) Alloc(n int) []byte {
	if a == nil || n <= 0 {
		return make([]byte, n)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.err != nil {
		return make([]byte, n)
	}
	need := (n + 7) &^ 7
	if need > len(a.free) && !a.grow(need) {
		return make([]byte, n)
	}
	b := a.free[:n:n]
	a.free = a.free[need:]
	return b
}

// grow maps a new segment of at least need bytes; false (with a.err set)
// when mapping failed. The earlier segments' pages are released: a new
// segment means the old ones are full, and their data is only read again
// later.
func (a *Arena) grow(need int) bool {
	size := max(a.next, (need+pageSize-1)/pageSize*pageSize)
	seg, err := mapTemp(a.dir, size)
	if err != nil {
		a.err = fmt.Errorf("spill files in %s: %w (the corpus stays in memory)", a.dir, err)
		return false
	}
	a.releaseLocked()
	a.segs = append(a.segs, seg)
	a.free = seg
	a.mapped += int64(size)
	a.next = min(a.next*2, maxSegment)
	return true
}

// Release drops the pages of every segment from the process's resident
// memory. The data is kept: reading it again faults it back in.
func (a *Arena) Release() {
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.releaseLocked()
}

func (a *Arena) releaseLocked() {
	for _, s := range a.segs {
		release(s)
	}
}

// Mapped returns the bytes of file mapped so far (allocated or not).
func (a *Arena) Mapped() int64 {
	if a == nil {
		return 0
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.mapped
}

// Err returns why the arena fell back to the Go heap, or nil.
func (a *Arena) Err() error {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.err
}

// Slice returns a zeroed []T of length n allocated from a (from the heap
// when a is nil). It panics when T holds pointers: the garbage collector
// does not scan an arena, so a pointer stored there would not keep its
// target alive.
func Slice[T any](a *Arena, n int) []T {
	var zero T
	t := reflect.TypeOf(zero)
	if !pointerFree(t) {
		panic("spill.Slice: " + t.String() + " holds pointers")
	}
	if a == nil || n == 0 || t.Size() == 0 {
		return make([]T, n)
	}
	if t.Align() > 8 {
		panic("spill.Slice: " + t.String() + " needs more than 8-byte alignment")
	}
	b := a.Alloc(n * int(t.Size()))
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), n)
}

// pointerFree reports whether values of t hold no Go pointers.
func pointerFree(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return true
	case reflect.Array:
		return t.Len() == 0 || pointerFree(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if !pointerFree(t.Field(i).Type) {
				return false
			}
		}
		return true
	}
	return false
}

// ReleaseAbove checks every d, until stop is called, how much of the
// process's resident memory is mapped files (the arena's pages, and the
// program's own code, measured once at the start and not counted), and
// calls Release when the arena's share exceeds limit. What a stage reads
// of the arena thus stays resident up to about limit, and the pages fault
// back in from the page cache when read again; while little is read,
// nothing is released and nothing faults. Where the resident share cannot
// be measured (systems other than Linux), it releases every d.
func (a *Arena) ReleaseAbove(limit int64, d time.Duration) (stop func()) {
	if a == nil {
		return func() {}
	}
	base, measured := residentMapped()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if r, ok := residentMapped(); !measured || !ok || r-base > limit {
					a.Release()
				}
			}
		}
	})
	var once sync.Once
	return func() {
		once.Do(func() { close(done); wg.Wait() })
	}
}
