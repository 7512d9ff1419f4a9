package segment

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
	_ "unsafe" // go:linkname to gse's embedded dictionary text

	"github.com/go-ego/gse"
)

// The simplified and traditional Chinese dictionaries compiled into gse
// (data/dict/zh/s_1.txt and t_1.txt, "word freq pos" per line). gse keeps
// them in unexported package variables and only offers a loader that builds
// its own trie and recomputes every token's weight and sub-segments (about
// 1.7 s and 550 MiB peak). Reading the text directly lets us build a rune
// trie in about 0.35 s (two goroutines) and 41 MB without copying any
// word: the words stay in the read-only embedded data (see
// docs/BENCHMARKS.md). TestBaseDictionary fails if a gse upgrade renames
// or empties these variables; a removed variable fails the link.
//
//go:linkname gseZhS github.com/go-ego/gse.zhS
var gseZhS string

//go:linkname gseZhT github.com/go-ego/gse.zhT
var gseZhT string

// minFreq mirrors gse's default MinTokenFreq: dictionary lines with a lower
// frequency are skipped by gse's loader, so they are skipped here too.
const minFreq = 2.0

// pseudoDistance is the path length gse gives a character that starts no
// dictionary word (segmenter.go, segmentWords).
const pseudoDistance float32 = 32

// entry is one word of a dictionary.
type entry struct {
	log2Freq float32 // float32(log2(freq)), as gse computes token distances
	pos      uint8   // index into posNames
}

// dict is a word trie over runes, words as gse matches them (ASCII letters
// lower-cased). Node 0 is the root. Words are split by the parity of their
// first rune into two parts so the base dictionary can be built by two
// goroutines; a node id carries its part in bit 31. Each part keeps its
// edges in an edgeTable (an open-addressing hash table keyed by
// node<<32 | rune), so one step costs one probe of an integer key and
// matching continues from the previous node (like gse's cedar Jump). The
// edge into a node also carries the word ending there (its weight and
// tag), so a step that finds a word reads no other memory. A large
// dictionary (the base) also has a direct table for the edges out of the
// root, indexed by rune. nodeEntry, indexed by the id without bit 31,
// holds entry index + 1 for nodes that end a word; with freqs it serves
// loading and lookup, not cutting. Built once, then only read.
type dict struct {
	parts     [2]part
	root      []edgeSlot // root[r]: the edge from the root by rune r < len(root); nil for small dicts
	first     *runeSet   // small dicts: the first runes of words, so most steps from the root need no probe
	totalFreq float64
	maxUnits  int
}

type part struct {
	edges     edgeTable
	nodeEntry []uint32  // [0] is unused: local ids start at 1
	freqs     []float64 // the frequency of each entry, for totals and lookup
	maxUnits  int
}

const partBit = 1 << 31

// rootRunes is the size of the base dictionary's direct root table: the
// Basic Multilingual Plane up to the end of the CJK Unified Ideographs,
// 40,960 runes (640 KiB), where all but a few dozen first runes lie.
const rootRunes = 0xA000

// partOf returns the part holding words that start with r.
func partOf(r rune) int { return int(r & 1) }

// edgeSlot is one edge of the trie: from node key>>32 by rune key&runeMask
// to child, plus the word ending at child, if any. child is 0 in an empty
// slot (no edge leads to the root); log2Freq is 0 when no word ends at
// child (every word's frequency is at least minFreq, so a word's log2Freq
// is at least 1). The tag sits in bits 24..31 of key, above the rune,
// which has at most 21 bits: 16 bytes a slot, four to a cache line.
type edgeSlot struct {
	key      uint64
	child    uint32
	log2Freq float32
}

const (
	runeMask = 1<<24 - 1
	posShift = 24
	edgeMask = ^uint64(0xFF << posShift) // key bits that identify the edge
)

func edgeKey(node uint32, r rune) uint64 { return uint64(node)<<32 | uint64(uint32(r)&runeMask) }

func (s edgeSlot) word() bool   { return s.log2Freq != 0 }
func (s edgeSlot) pos() uint8   { return uint8(s.key >> posShift) }
func (s edgeSlot) entry() entry { return entry{log2Freq: s.log2Freq, pos: s.pos()} }

// setWord records the word ending at the slot's child.
func (s *edgeSlot) setWord(e entry) {
	s.key = s.key&edgeMask | uint64(e.pos)<<posShift
	s.log2Freq = e.log2Freq
}

// edgeTable maps edge keys to slots with linear probing. Its hash is one
// multiplication (Fibonacci hashing: the high bits of key×2^64/φ), mapped
// onto the table by a multiply-shift instead of a modulo, so a table need
// not have a power-of-two size. It keeps at most 3/4 of its slots in use,
// growing (doubling) when an insert would pass that.
//
// A large table also has a one-hash Bloom filter of its keys, 16 bits per
// expected edge (1 MiB for half the base dictionary): most steps of a walk
// are the last, which find no edge, and the filter answers nearly all of
// them (about 19 in 20) from memory that stays in the cache, instead of a
// probe into the table, which is a cache miss.
type edgeTable struct {
	slots  []edgeSlot
	used   int
	filter []uint64 // nil: no filter
	fshift uint     // 64 - log2(bits in filter)
}

// filterMin is the smallest expected edge count that gets a filter.
const filterMin = 1 << 16

func newEdgeTable(n int) edgeTable {
	t := edgeTable{slots: make([]edgeSlot, max(n*8/5, 8))}
	if n >= filterMin {
		bits := 1 << bitsLen(uint64(16*n-1))
		t.filter = make([]uint64, bits/64)
		t.fshift = 64 - uint(bitsLen(uint64(bits-1)))
	}
	return t
}

// bitsLen is the number of bits needed to represent x.
func bitsLen(x uint64) int {
	n := 0
	for ; x != 0; x >>= 1 {
		n++
	}
	return n
}

// bit returns the filter bit of key: an independent multiplicative hash.
func (t *edgeTable) bit(key uint64) uint64 {
	return (key * 0xD6E8FEB86659FD93) >> t.fshift
}

// mayHave reports whether key can be in t; false is certain.
func (t *edgeTable) mayHave(key uint64) bool {
	if t.filter == nil {
		return true
	}
	b := t.bit(key)
	return t.filter[b/64]&(1<<(b%64)) != 0
}

func (t *edgeTable) home(key uint64) int {
	h := (key * 0x9E3779B97F4A7C15) >> 32
	return int(h * uint64(len(t.slots)) >> 32)
}

// find returns the slot of key, or nil.
func (t *edgeTable) find(key uint64) *edgeSlot {
	if !t.mayHave(key) {
		return nil
	}
	slots := t.slots
	for i := t.home(key); ; {
		s := &slots[i]
		if s.child == 0 {
			return nil
		}
		if s.key&edgeMask == key {
			return s
		}
		if i++; i == len(slots) {
			i = 0
		}
	}
}

// insert adds an edge that is not in t and returns its slot, valid until
// the next insert.
func (t *edgeTable) insert(key uint64, child uint32) *edgeSlot {
	if (t.used+1)*4 > len(t.slots)*3 {
		old := t.slots
		t.slots = make([]edgeSlot, 2*len(old))
		for _, s := range old {
			if s.child != 0 {
				*t.free(s.key & edgeMask) = s
			}
		}
	}
	t.used++
	if t.filter != nil {
		b := t.bit(key)
		t.filter[b/64] |= 1 << (b % 64)
	}
	s := t.free(key)
	*s = edgeSlot{key: key, child: child}
	return s
}

// free returns the first empty slot on key's probe sequence.
func (t *edgeTable) free(key uint64) *edgeSlot {
	for i := t.home(key); ; {
		if t.slots[i].child == 0 {
			return &t.slots[i]
		}
		if i++; i == len(t.slots) {
			i = 0
		}
	}
}

// posNames and posIndex intern part-of-speech tags into small integers.
// They are filled while the base dictionary loads and by New; writers take
// posMu and publish a new copy, so the hot path reads without locking.
var (
	posMu    sync.Mutex
	posNames atomic.Pointer[[]string] // copy on write; readers never lock
	posIndex atomic.Pointer[map[string]uint8]
)

func init() {
	names := []string{"x"}
	index := map[string]uint8{"x": 0}
	posNames.Store(&names)
	posIndex.Store(&index)
}

// posID returns the interned id of tag; "" maps to "x". When more than 255
// distinct tags exist the rest are recorded as "x".
func posID(tag string) uint8 {
	if tag == "" {
		return 0
	}
	if id, ok := (*posIndex.Load())[tag]; ok {
		return id
	}
	posMu.Lock()
	defer posMu.Unlock()
	index := *posIndex.Load()
	if id, ok := index[tag]; ok {
		return id
	}
	names := *posNames.Load()
	if len(names) >= 255 {
		return 0
	}
	id := uint8(len(names))
	tag = strings.Clone(tag)
	newNames := append(names[:len(names):len(names)], tag)
	newIndex := make(map[string]uint8, len(index)+1)
	for k, v := range index {
		newIndex[k] = v
	}
	newIndex[tag] = id
	posNames.Store(&newNames)
	posIndex.Store(&newIndex)
	return id
}

func posName(id uint8) string {
	return (*posNames.Load())[id]
}

var (
	baseOnce sync.Once
	baseDict *dict
)

// base returns the shared gse dictionary, loading it on first use. Loading
// cannot fail: the data is compiled in.
func base() *dict {
	baseOnce.Do(func() {
		// gse's NewEmbed loads zhS+zhT as one string; the first occurrence
		// of a word wins, so simplified entries take precedence, as in gse.
		baseDict = loadParallel(900_000, gseZhS, gseZhT)
	})
	return baseDict
}

// loadParallel builds a dict from "word freq pos" texts, in order, with
// one goroutine per part. Each goroutine reads every line and keeps the
// words of its part, so "first occurrence wins" holds as in a sequential
// load; the total frequency is summed afterwards in line order, giving
// exactly gse's float64 total. n is the expected number of trie nodes.
func loadParallel(n int, texts ...string) *dict {
	d := newDict(n)
	accepted := make([][]float64, len(texts))
	for i, t := range texts {
		accepted[i] = make([]float64, strings.Count(t, "\n")+1)
	}
	var wg sync.WaitGroup
	for p := range d.parts {
		wg.Go(func() {
			for i, text := range texts {
				for line := 0; len(text) > 0; line++ {
					var l string
					if k := strings.IndexByte(text, '\n'); k >= 0 {
						l, text = text[:k], text[k+1:]
					} else {
						l, text = text, ""
					}
					word, freq, pos, ok := parseLine(l)
					if !ok {
						continue
					}
					if r, _ := utf8.DecodeRuneInString(word); partOf(r) != p {
						continue
					}
					if f, added := d.addTo(p, word, freq, pos, false); added {
						accepted[i][line] = f
					}
				}
			}
		})
	}
	wg.Wait()
	for _, fs := range accepted {
		for _, f := range fs {
			if f != 0 {
				d.totalFreq += f
			}
		}
	}
	d.maxUnits = max(d.parts[0].maxUnits, d.parts[1].maxUnits)
	return d
}

// parseLine splits a gse dictionary line; ok is false for lines gse skips
// (no frequency field, unparsable frequency).
func parseLine(line string) (word string, freq float64, pos string, ok bool) {
	word, rest, found := strings.Cut(line, " ")
	if !found || word == "" {
		return "", 0, "", false
	}
	freqText, pos, _ := strings.Cut(rest, " ")
	freq, err := strconv.ParseFloat(freqText, 64)
	if err != nil {
		return "", 0, "", false
	}
	return word, freq, strings.TrimSpace(pos), true
}

// add inserts word unless it is already a word of d (or replaces it when
// replace is set) and reports whether d changed. It applies gse's frequency
// rules and key normalisation. It must not run concurrently with anything.
func (d *dict) add(word string, freq float64, pos string, replace bool) bool {
	key := foldKey(word)
	if key == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(key)
	p := partOf(r)
	pt := &d.parts[p]
	old := 0.0
	if s, ok := d.walk(0, key); ok && s.child != 0 {
		if v := pt.nodeEntry[s.child&^partBit]; v > 0 {
			old = pt.freqs[v-1]
		}
	}
	f, changed := d.addTo(p, word, freq, pos, replace)
	if changed {
		d.totalFreq += f - old
		d.maxUnits = max(d.maxUnits, pt.maxUnits)
	}
	return changed
}

// addTo inserts word into part p (whose words start with a rune of that
// parity) and returns the frequency stored, after gse's rules, and whether
// the part changed. Two goroutines may add to the two parts at once: they
// write disjoint elements of d.root.
func (d *dict) addTo(p int, word string, freq float64, pos string, replace bool) (float64, bool) {
	if freq < minFreq {
		return 0, false
	}
	if utf8.RuneCountInString(word) < 2 {
		freq = 2
	}
	key := foldKey(word)
	if key == "" {
		return 0, false
	}
	pt := &d.parts[p]
	e := entry{log2Freq: float32(math.Log2(freq)), pos: posID(pos)}
	node := uint32(0)
	var slot *edgeSlot
	for _, r := range key {
		if node == 0 && int(r) < len(d.root) {
			slot = &d.root[r]
			if slot.child == 0 {
				*slot = edgeSlot{key: edgeKey(0, r), child: d.newNode(p)}
			}
		} else {
			if node == 0 && d.first != nil {
				d.first.add(r)
			}
			k := edgeKey(node, r)
			if slot = pt.edges.find(k); slot == nil {
				slot = pt.edges.insert(k, d.newNode(p))
			}
		}
		node = slot.child
	}
	local := node &^ partBit
	if v := pt.nodeEntry[local]; v > 0 {
		if !replace {
			return 0, false
		}
		slot.setWord(e)
		pt.freqs[v-1] = freq
		return freq, true
	}
	slot.setWord(e)
	pt.freqs = append(pt.freqs, freq)
	pt.nodeEntry[local] = uint32(len(pt.freqs))
	n := 0
	for end := unitEnd(key, 0); ; end = unitEnd(key, end) {
		n++
		if end == len(key) {
			break
		}
	}
	pt.maxUnits = max(pt.maxUnits, n)
	return freq, true
}

// newNode allocates a node in part p and returns its id.
func (d *dict) newNode(p int) uint32 {
	pt := &d.parts[p]
	pt.nodeEntry = append(pt.nodeEntry, 0)
	return uint32(len(pt.nodeEntry)-1) | uint32(p)*partBit
}

// step returns the edge from node by r; its child is 0 when there is
// none. This is the inner loop of cutting.
func (d *dict) step(node uint32, r rune) edgeSlot {
	if node == 0 {
		if uint(r) < uint(len(d.root)) {
			return d.root[r]
		}
		if d.first != nil && !d.first.has(r) {
			return edgeSlot{}
		}
		if s := d.parts[partOf(r)].edges.find(edgeKey(0, r)); s != nil {
			return *s
		}
		return edgeSlot{}
	}
	if s := d.parts[node>>31].edges.find(edgeKey(node, r)); s != nil {
		return *s
	}
	return edgeSlot{}
}

// stepUnit is step for a unit of key: a single rune, or a run walked
// rune by rune.
func (d *dict) stepUnit(node uint32, key string, u unit) edgeSlot {
	if u.r >= 0 {
		return d.step(node, u.r)
	}
	s, _ := d.walk(node, key[u.start:u.end])
	return s
}

// touch reads the key of the first slot that step(node, r) probes, for
// node != 0, so that the memory is on its way to the cache when step
// needs it; the result means nothing.
func (d *dict) touch(node uint32, r rune) uint64 {
	t := &d.parts[node>>31].edges
	k := edgeKey(node, r)
	if !t.mayHave(k) {
		return 0
	}
	return t.slots[t.home(k)].key
}

// walk follows the runes of s from node and returns the last edge taken
// (the zero slot when s is "") and whether some word of d starts with the
// runes walked so far.
func (d *dict) walk(node uint32, s string) (edgeSlot, bool) {
	var e edgeSlot
	for _, r := range s {
		if e = d.step(node, r); e.child == 0 {
			return edgeSlot{}, false
		}
		node = e.child
	}
	return e, true
}

// lookup returns the entry and frequency of key (folded by the caller)
// and whether key is a word, and whether key is a word or a prefix of one.
func (d *dict) lookup(key string) (e entry, freq float64, word, more bool) {
	s, ok := d.walk(0, key)
	if !ok || !s.word() {
		return entry{}, 0, false, ok
	}
	pt := &d.parts[s.child>>31]
	return s.entry(), pt.freqs[pt.nodeEntry[s.child&^partBit]-1], true, true
}

// numEntries returns the number of words in d.
func (d *dict) numEntries() int {
	return len(d.parts[0].freqs) + len(d.parts[1].freqs)
}

// newDict returns an empty dictionary sized for about n trie nodes; a
// dictionary that large (n >= rootRunes) gets a direct root table.
func newDict(n int) *dict {
	d := &dict{}
	if n >= rootRunes {
		d.root = make([]edgeSlot, rootRunes)
	} else {
		d.first = new(runeSet)
	}
	for p := range d.parts {
		d.parts[p] = part{
			edges:     newEdgeTable(n / 2),
			nodeEntry: make([]uint32, 1, n/2),
			freqs:     make([]float64, 0, n*3/8),
		}
	}
	return d
}

// foldKey lower-cases ASCII letters, as gse does with ToLower (its default,
// which this package never changes).
func foldKey(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// Referencing gse keeps its package, and so the linknamed data, linked.
var _ = gse.Version

// Entry is one dictionary line: a word, its frequency (the same scale as
// gse's dictionary, where common words have frequencies in the thousands
// and the total is about 5×10^7) and its part-of-speech tag (gse/ICTCLAS
// tags such as "n", "v", "l"; "" means unknown).
type Entry struct {
	Word string
	Freq float64
	POS  string
}

// DefaultFreq is the frequency ParseDict gives an entry without one. It is
// high enough for a multi-character word to be kept whole against the
// common words it consists of.
const DefaultFreq = 10000

// ParseDict reads a dictionary in gse's format, one `word [freq] [pos]` per
// line separated by spaces or tabs; blank lines and lines starting with '#'
// are skipped. A missing frequency is DefaultFreq. name is used in errors,
// which read `name:line: message` and are returned for a non-numeric or
// non-positive frequency, extra fields, or a read error.
func ParseDict(r io.Reader, name string) ([]Entry, error) {
	var out []Entry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Fields(text)
		e := Entry{Word: f[0], Freq: DefaultFreq}
		if len(f) > 3 {
			return nil, fmt.Errorf("%s:%d: want `word [freq] [pos]`, got %d fields", name, line, len(f))
		}
		if len(f) > 1 {
			v, err := strconv.ParseFloat(f[1], 64)
			if err != nil || v <= 0 || math.IsInf(v, 0) || math.IsNaN(v) {
				return nil, fmt.Errorf("%s:%d: frequency %q is not a positive number", name, line, f[1])
			}
			e.Freq = v
		}
		if len(f) > 2 {
			e.POS = f[2]
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", name, line+1, err)
	}
	return out, nil
}
