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
// trie in about 0.35 s of CPU and 34 MB without copying any word: the
// words stay in the read-only embedded data (see docs/BENCHMARKS.md). TestBaseDictionary fails if a gse upgrade renames
// or empties these variables.
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
// lower-cased). Node 0 is the root; children maps (node<<32 | rune) to the
// child node, so one step costs one lookup of an integer key and matching
// continues from the previous node (like gse's cedar Jump). nodeEntry holds
// entry index + 1 for nodes that end a word, 0 otherwise. Built once, then
// only read.
type dict struct {
	children  map[uint64]uint32
	nodeEntry []uint32
	entries   []entry
	freqs     []float64 // the frequency of each entry, for totals and audits
	totalFreq float64
	maxUnits  int
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
		d := newDict(900_000) // 828,448 trie nodes for gse v0.80.3
		// gse's NewEmbed loads zhS+zhT as one string; the first occurrence of
		// a word wins, so simplified entries take precedence, as in gse.
		d.load(gseZhS)
		d.load(gseZhT)
		baseDict = d
	})
	return baseDict
}

// load adds every "word freq pos" line of text, skipping words already
// present, with gse's rules: frequencies below minFreq are skipped and
// single-character words get frequency 2 (dict_util.go, Size).
func (d *dict) load(text string) {
	for len(text) > 0 {
		var line string
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			line, text = text, ""
		}
		word, rest, ok := strings.Cut(line, " ")
		if !ok || word == "" {
			continue
		}
		freqText, pos, _ := strings.Cut(rest, " ")
		freq, err := strconv.ParseFloat(freqText, 64)
		if err != nil {
			continue
		}
		d.add(word, freq, strings.TrimSpace(pos), false)
	}
}

// add inserts word unless it is already a word of d (or replaces it when
// replace is set) and reports whether d changed. It applies gse's frequency
// rules and key normalisation.
func (d *dict) add(word string, freq float64, pos string, replace bool) bool {
	if freq < minFreq {
		return false
	}
	if utf8.RuneCountInString(word) < 2 {
		freq = 2
	}
	key := foldKey(word)
	if key == "" {
		return false
	}
	e := entry{log2Freq: float32(math.Log2(freq)), pos: posID(pos)}
	node := uint32(0)
	for _, r := range key {
		edge := uint64(node)<<32 | uint64(uint32(r))
		child, ok := d.children[edge]
		if !ok {
			child = uint32(len(d.nodeEntry))
			d.nodeEntry = append(d.nodeEntry, 0)
			d.children[edge] = child
		}
		node = child
	}
	if v := d.nodeEntry[node]; v > 0 {
		if !replace {
			return false
		}
		d.totalFreq += freq - d.freqs[v-1]
		d.entries[v-1], d.freqs[v-1] = e, freq
		return true
	}
	d.entries = append(d.entries, e)
	d.freqs = append(d.freqs, freq)
	d.nodeEntry[node] = uint32(len(d.entries))
	d.totalFreq += freq
	n := 0
	for end := unitEnd(key, 0); ; end = unitEnd(key, end) {
		n++
		if end == len(key) {
			break
		}
	}
	d.maxUnits = max(d.maxUnits, n)
	return true
}

// walk follows the runes of s from node and returns the node reached and
// whether some word of d starts with the runes walked so far.
func (d *dict) walk(node uint32, s string) (uint32, bool) {
	for _, r := range s {
		child, ok := d.children[uint64(node)<<32|uint64(uint32(r))]
		if !ok {
			return 0, false
		}
		node = child
	}
	return node, true
}

// at returns the entry stored at node, if the path to node is a word.
func (d *dict) at(node uint32) (entry, bool) {
	if v := d.nodeEntry[node]; v > 0 {
		return d.entries[v-1], true
	}
	return entry{}, false
}

// lookup returns the entry and frequency of key (folded by the caller)
// and whether key is a word, and whether key is a word or a prefix of one.
func (d *dict) lookup(key string) (e entry, freq float64, word, more bool) {
	node, ok := d.walk(0, key)
	if !ok || key == "" {
		return entry{}, 0, false, ok
	}
	if v := d.nodeEntry[node]; v > 0 {
		return d.entries[v-1], d.freqs[v-1], true, true
	}
	return entry{}, 0, false, true
}

// newDict returns an empty dictionary sized for about n words.
func newDict(n int) *dict {
	return &dict{
		children:  make(map[uint64]uint32, n),
		nodeEntry: make([]uint32, 1, n),
		entries:   make([]entry, 0, n*3/4),
		freqs:     make([]float64, 0, n*3/4),
	}
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
