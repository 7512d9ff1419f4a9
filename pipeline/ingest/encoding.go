package ingest

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// textEncoding is a supported character encoding of text inputs.
type textEncoding uint8

const (
	encUTF8 textEncoding = iota
	encUTF8BOM
	encUTF16LE
	encUTF16BE
	encGB18030
	encGBK
)

var encodingNames = [...]string{"utf-8", "utf-8-bom", "utf-16le", "utf-16be", "gb18030", "gbk"}

// String returns the name recorded in corpus.InputStats.Encoding.
func (e textEncoding) String() string { return encodingNames[e] }

// parseEncoding maps a configured encoding name to an encoding; ok is false
// for "" (detect).
func parseEncoding(name string) (e textEncoding, ok bool, err error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "":
		return 0, false, nil
	case "utf-8", "utf8":
		return encUTF8, true, nil
	case "utf-8-bom", "utf-8-sig":
		return encUTF8BOM, true, nil
	case "utf-16le", "utf-16":
		return encUTF16LE, true, nil
	case "utf-16be":
		return encUTF16BE, true, nil
	case "gb18030":
		return encGB18030, true, nil
	case "gbk", "gb2312":
		return encGBK, true, nil
	}
	return 0, false, fmt.Errorf("unknown encoding %q", name)
}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// detectEncoding picks the encoding of data: a byte order mark wins; else
// UTF-8 when the bytes are valid UTF-8; else the encoding under which more
// lines holding non-ASCII bytes decode cleanly, UTF-8 or GB18030. A few bad
// lines in an otherwise UTF-8 file therefore keep UTF-8, and those lines
// are rejected rather than the whole file being misread.
func detectEncoding(data []byte) textEncoding {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		return encUTF8BOM
	case bytes.HasPrefix(data, bomUTF16LE):
		return encUTF16LE
	case bytes.HasPrefix(data, bomUTF16BE):
		return encUTF16BE
	case utf8.Valid(data):
		return encUTF8
	}
	utf, gb := 0, 0
	for _, line := range bytes.Split(data, []byte{'\n'}) {
		if isASCII(line) {
			continue
		}
		if utf8.Valid(line) {
			utf++
		}
		if _, ok := decodeGB(line, encGB18030); ok {
			gb++
		}
	}
	if gb > utf {
		return encGB18030
	}
	return encUTF8
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// stripBOM removes the byte order mark of e, if present, from data.
func stripBOM(data []byte, e textEncoding) []byte {
	switch e {
	case encUTF8, encUTF8BOM:
		return bytes.TrimPrefix(data, bomUTF8)
	case encUTF16LE:
		return bytes.TrimPrefix(data, bomUTF16LE)
	case encUTF16BE:
		return bytes.TrimPrefix(data, bomUTF16BE)
	}
	return data
}

// splitLines splits data, in encoding e and without BOM, into physical
// lines, each keeping its terminator. UTF-16 lines end after the code unit
// U+000A at an even offset; the other encodings never use byte 0x0A inside
// a multi-byte character.
func splitLines(data []byte, e textEncoding) [][]byte {
	var lines [][]byte
	switch e {
	case encUTF16LE, encUTF16BE:
		start := 0
		for i := 0; i+1 < len(data); i += 2 {
			nl := (e == encUTF16LE && data[i] == '\n' && data[i+1] == 0) ||
				(e == encUTF16BE && data[i] == 0 && data[i+1] == '\n')
			if nl {
				lines = append(lines, data[start:i+2])
				start = i + 2
			}
		}
		if start < len(data) {
			lines = append(lines, data[start:])
		}
	default:
		for len(data) > 0 {
			i := bytes.IndexByte(data, '\n')
			if i < 0 {
				lines = append(lines, data)
				break
			}
			lines = append(lines, data[:i+1])
			data = data[i+1:]
		}
	}
	return lines
}

// viewLine is decodeLine without a copy for valid UTF-8: the string
// shares line's bytes, which must not change afterwards. The CSV reader
// views the file's bytes, which nothing writes once read; every string
// the corpus keeps is copied by a keeper (keep.go) or built anew, so the
// bytes are released with the parsed table (TestCorpusDoesNotPinFile).
// At a million rows the copies cost 260 MB at the peak of ingest.
func viewLine(line []byte, e textEncoding) (text string, ok bool) {
	switch e {
	case encUTF16LE, encUTF16BE, encGB18030, encGBK:
		return decodeLine(line, e)
	}
	if utf8.Valid(line) {
		return unsafe.String(unsafe.SliceData(line), len(line)), true
	}
	return decodeLine(line, e)
}

// decodeLine converts one line in encoding e to UTF-8. ok is false when the
// line holds bytes that are invalid in e; text then has U+FFFD in their
// place and must not be used as data.
func decodeLine(line []byte, e textEncoding) (text string, ok bool) {
	switch e {
	case encUTF16LE, encUTF16BE:
		return decodeUTF16(line, e == encUTF16BE)
	case encGB18030, encGBK:
		return decodeGB(line, e)
	}
	if utf8.Valid(line) {
		return string(line), true
	}
	return strings.ToValidUTF8(string(line), "\uFFFD"), false
}

func decodeUTF16(line []byte, bigEndian bool) (string, bool) {
	ok := len(line)%2 == 0
	units := make([]uint16, 0, len(line)/2)
	for i := 0; i+1 < len(line); i += 2 {
		if bigEndian {
			units = append(units, uint16(line[i])<<8|uint16(line[i+1]))
		} else {
			units = append(units, uint16(line[i+1])<<8|uint16(line[i]))
		}
	}
	// Unpaired surrogates are invalid; utf16.Decode would turn them into
	// U+FFFD silently, so check pairs first.
	for i := 0; i < len(units); i++ {
		u := units[i]
		switch {
		case u >= 0xD800 && u < 0xDC00:
			if i+1 < len(units) && units[i+1] >= 0xDC00 && units[i+1] < 0xE000 {
				i++
				continue
			}
			ok = false
		case u >= 0xDC00 && u < 0xE000:
			ok = false
		}
	}
	s := string(utf16.Decode(units))
	if !ok {
		s += "\uFFFD"
	}
	return s, ok
}

// encodedFFFD is U+FFFD encoded in GB18030; a line holding it legitimately
// decodes to U+FFFD without being invalid.
var encodedFFFD = []byte{0x84, 0x31, 0xA4, 0x37}

func decodeGB(line []byte, e textEncoding) (string, bool) {
	if isASCII(line) {
		return string(line), true
	}
	dec := simplifiedchinese.GB18030.NewDecoder()
	if e == encGBK {
		dec = simplifiedchinese.GBK.NewDecoder()
	}
	out, err := dec.Bytes(line)
	if err != nil {
		return strings.ToValidUTF8(string(line), "\uFFFD"), false
	}
	s := string(out)
	want := 0
	if e == encGB18030 {
		want = bytes.Count(line, encodedFFFD)
	}
	return s, strings.Count(s, "\uFFFD") == want
}
