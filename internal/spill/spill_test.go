package spill

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"
)

func TestAllocKeepsDataAcrossRelease(t *testing.T) {
	a := New(t.TempDir())
	var bufs [][]byte
	for i, n := range []int{1, 7, 8, 4096, 3 << 20, 100} { // the 3 MiB one needs its own segment
		b := a.Alloc(n)
		if len(b) != n || cap(b) != n {
			t.Fatalf("Alloc(%d): len %d cap %d", n, len(b), cap(b))
		}
		if uintptr(unsafe.Pointer(unsafe.SliceData(b)))%8 != 0 {
			t.Fatalf("Alloc(%d) is not 8-byte aligned", n)
		}
		for j := range b {
			if b[j] != 0 {
				t.Fatalf("Alloc(%d)[%d] = %d, want zero", n, j, b[j])
			}
			b[j] = byte(i*31 + j)
		}
		bufs = append(bufs, b)
	}
	if err := a.Err(); err != nil {
		t.Fatal(err)
	}
	if a.Mapped() < 3<<20 {
		t.Fatalf("Mapped() = %d, want at least 3 MiB", a.Mapped())
	}
	a.Release()
	for i, b := range bufs {
		for j := range b {
			if b[j] != byte(i*31+j) {
				t.Fatalf("buffer %d byte %d = %d after Release, want %d", i, j, b[j], byte(i*31+j))
			}
		}
	}
}

func TestReleaseDropsResidentPages(t *testing.T) {
	const n = 48 << 20
	a, b := touchedArena(t, n)
	before := residentShared(t)
	a.Release()
	after := residentShared(t)
	if before-after < n*3/4 {
		t.Fatalf("resident file/shared memory %d -> %d KiB after Release; want a drop of about %d KiB", before>>10, after>>10, n>>10)
	}
	sum := 0
	for i := 0; i < n; i += 4096 {
		sum += int(b[i])
	}
	if sum != n/4096 {
		t.Fatalf("read back %d pages marked, want %d", sum, n/4096)
	}
}

// touchedArena returns a new arena and n bytes of it with every page
// written (so resident); it skips where files are not mapped.
func touchedArena(t *testing.T, n int) (*Arena, []byte) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("mapping is Linux-only")
	}
	a := New(t.TempDir())
	b := a.Alloc(n)
	for i := 0; i < n; i += 4096 {
		b[i] = 1
	}
	return a, b
}

// residentShared returns RssFile + RssShmem of this process in bytes.
func residentShared(t *testing.T) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	var total int64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || (k != "RssFile" && k != "RssShmem") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			t.Fatalf("%s: %v", sc.Text(), err)
		}
		total += kb << 10
	}
	return total
}

func TestUnusableDirectoryFallsBackToHeap(t *testing.T) {
	a := New("/nonexistent/surveymine-spill")
	b := a.Alloc(100)
	b[99] = 7
	if len(b) != 100 || b[99] != 7 {
		t.Fatal("fallback allocation is not usable")
	}
	if runtime.GOOS == "linux" && a.Err() == nil {
		t.Fatal("Err() = nil for a directory that does not exist")
	}
	if a.Mapped() != 0 {
		t.Fatalf("Mapped() = %d, want 0", a.Mapped())
	}
}

func TestNilArenaUsesHeap(t *testing.T) {
	var a *Arena
	s := Slice[int32](a, 5)
	s[4] = 9
	a.Release()
	if len(s) != 5 || s[4] != 9 || a.Err() != nil || a.Mapped() != 0 {
		t.Fatal("nil arena misbehaves")
	}
}

func TestSliceOfStruct(t *testing.T) {
	type rec struct {
		A uint8
		B uint32
		C [2]int16
	}
	a := New(t.TempDir())
	s := Slice[rec](a, 1000)
	for i := range s {
		s[i] = rec{A: uint8(i), B: uint32(i * 3), C: [2]int16{int16(i), -1}}
	}
	a.Release()
	for i, r := range s {
		if r.B != uint32(i*3) || r.C[0] != int16(i) || r.A != uint8(i) {
			t.Fatalf("s[%d] = %+v", i, r)
		}
	}
}

func TestSliceRefusesPointers(t *testing.T) {
	for name, f := range map[string]func(){
		"string":    func() { Slice[string](nil, 1) },
		"pointer":   func() { Slice[*int](nil, 1) },
		"struct":    func() { Slice[struct{ S []byte }](nil, 1) },
		"interface": func() { Slice[any](nil, 1) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Slice of %s did not panic", name)
				}
			}()
			f()
		}()
	}
}

func TestReleaseAbove(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("mapping is Linux-only")
	}
	const limit = 16 << 20
	a := New(t.TempDir())
	stop := a.ReleaseAbove(limit, 10*time.Millisecond)
	defer stop()
	before := residentShared(t)
	touch := func(n int) []byte {
		b := a.Alloc(n)
		for i := 0; i < n; i += 4096 {
			b[i] = 1
		}
		return b
	}
	small := touch(4 << 20)
	time.Sleep(200 * time.Millisecond)
	if r := residentShared(t); r < before+3<<20 {
		t.Fatalf("4 MiB under a 16 MiB limit were released: resident %d KiB, %d KiB before", r>>10, before>>10)
	}
	big := touch(32 << 20)
	deadline := time.Now().Add(5 * time.Second)
	for residentShared(t) > before+limit {
		if time.Now().After(deadline) {
			t.Fatalf("resident file/shared memory still %d KiB (%d before) 5 s after passing the limit", residentShared(t)>>10, before>>10)
		}
		time.Sleep(5 * time.Millisecond)
	}
	stop()
	stop() // a second stop is harmless
	if small[4096] != 1 || big[len(big)-4096] != 1 {
		t.Fatal("data lost")
	}
}
