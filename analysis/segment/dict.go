package segment

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	_ "unsafe" // go:linkname to gse's embedded dictionary text

	"github.com/go-ego/gse"
)

// The simplified and traditional Chinese dictionaries compiled into gse
// (data/dict/zh/s_1.txt and t_1.txt, "word freq pos" per line). gse keeps
// them in unexported package variables and only offers a loader that builds
// its own trie and recomputes every token's weight and sub-segments (about
// 1.7 s and 550 MiB peak). Reading the text directly lets us build a compact
// index in about 0.1 s without copying any word: keys are substrings of the
// read-only embedded data. TestBaseDictionary fails if a gse upgrade renames
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

// dict is an immutable word index: keys are words as gse matches them
// (ASCII letters lower-cased); values are entry indexes + 1, or 0 for a
// proper prefix of some word that is not itself a word. Prefixes are stored
// only at unit boundaries (see units), which is where matching stops.
type dict struct {
	index     map[string]uint32
	entries   []entry
	freqs     []float64 // the frequency of each entry, for totals and audits
	totalFreq float64
	maxUnits  int
}

// posTable interns part-of-speech tags into small integers. It is filled
// while the base dictionary loads and by New for lexicon and user entries;
// posMu guards it because tests build segmenters concurrently.
var (
	posMu    sync.RWMutex
	posNames = []string{"x"}
	posIndex = map[string]uint8{"x": 0}
)

// posID returns the interned id of tag; "" maps to "x". When more than 255
// distinct tags exist the rest are recorded as "x".
func posID(tag string) uint8 {
	if tag == "" {
		return 0
	}
	posMu.RLock()
	id, ok := posIndex[tag]
	posMu.RUnlock()
	if ok {
		return id
	}
	posMu.Lock()
	defer posMu.Unlock()
	if id, ok := posIndex[tag]; ok {
		return id
	}
	if len(posNames) >= 255 {
		return 0
	}
	id = uint8(len(posNames))
	posNames = append(posNames, strings.Clone(tag))
	posIndex[posNames[id]] = id
	return id
}

func posName(id uint8) string {
	posMu.RLock()
	defer posMu.RUnlock()
	return posNames[id]
}

var (
	baseOnce sync.Once
	baseDict *dict
)

// base returns the shared gse dictionary, loading it on first use. Loading
// cannot fail: the data is compiled in.
func base() *dict {
	baseOnce.Do(func() {
		d := &dict{index: make(map[string]uint32, 800_000)}
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
	us := units(key)
	if len(us) == 0 {
		return false
	}
	e := entry{log2Freq: float32(math.Log2(freq)), pos: posID(pos)}
	if v := d.index[key]; v > 0 {
		if !replace {
			return false
		}
		d.totalFreq += freq - d.freqs[v-1]
		d.entries[v-1], d.freqs[v-1] = e, freq
		return true
	}
	d.entries = append(d.entries, e)
	d.freqs = append(d.freqs, freq)
	d.index[key] = uint32(len(d.entries))
	d.totalFreq += freq
	for _, u := range us[:len(us)-1] {
		p := key[:u.end]
		if _, ok := d.index[p]; !ok {
			d.index[p] = 0
		}
	}
	if len(us) > d.maxUnits {
		d.maxUnits = len(us)
	}
	return true
}

// lookup returns the entry of key and whether key is a word, and whether
// key is a word or a prefix of one (so matching should continue).
func (d *dict) lookup(key string) (e entry, freq float64, word, more bool) {
	v, ok := d.index[key]
	if !ok {
		return entry{}, 0, false, false
	}
	if v == 0 {
		return entry{}, 0, false, true
	}
	return d.entries[v-1], d.freqs[v-1], true, true
}

// lookupEntry is lookup without the frequency.
func (d *dict) lookupEntry(key string) (e entry, word, more bool) {
	v, ok := d.index[key]
	if !ok {
		return entry{}, false, false
	}
	if v == 0 {
		return entry{}, false, true
	}
	return d.entries[v-1], true, true
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

// gseReady reports that the gse package (whose data we read) is linked;
// it also keeps the import used.
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
