package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"surveymine/pipeline/corpus"
)

// reportExts are the report formats read from folders and globs.
var reportExts = map[string]string{".txt": "txt", ".md": "md", ".markdown": "md", ".docx": "docx"}

// reportFiles expands a report path (file, folder or glob) into sorted
// file paths. A folder yields its .txt, .md and .docx files (not
// recursive); a glob yields what it matches. No file wraps ErrNoInput.
func reportFiles(p string) ([]string, error) {
	if fi, err := os.Stat(p); err == nil {
		if !fi.IsDir() {
			return []string{p}, nil
		}
		ents, err := os.ReadDir(p)
		if err != nil {
			return nil, fmt.Errorf("read folder %s: %w", p, err)
		}
		var files []string
		for _, e := range ents {
			if !e.IsDir() && reportExts[strings.ToLower(filepath.Ext(e.Name()))] != "" && !strings.HasPrefix(e.Name(), "~$") {
				files = append(files, filepath.Join(p, e.Name()))
			}
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%w: folder %s holds no .txt, .md or .docx file", ErrNoInput, p)
		}
		return files, nil
	}
	matches, err := filepath.Glob(p)
	if err != nil {
		return nil, fmt.Errorf("bad glob %q: %v", p, err)
	}
	var files []string
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil && !fi.IsDir() {
			files = append(files, m)
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%w: %s matches no file", ErrNoInput, p)
	}
	sort.Strings(files)
	return files, nil
}

// para is one report paragraph before structuring.
type para struct {
	raw   string // as read (decoded), before normalisation
	level int    // heading level from a Word style or Markdown #; 0 for body text
	bad   string // reject detail when the paragraph's bytes are invalid
	rawB  []byte // raw bytes, kept for rejects
}

// readReport reads one report file into c and returns its stats.
func readReport(ctx context.Context, c *corpus.Corpus, path, name, encName string) (corpus.InputStats, error) {
	st := corpus.InputStats{File: name}
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return st, fmt.Errorf("open report %s: %w: %v", name, ErrNoInput, err)
		}
		return st, fmt.Errorf("open report %s: %w", name, err)
	}
	return parseReportContext(ctx, c, data, path, name, encName)
}

// parseReport reads the bytes of a report file (path gives the extension)
// into c.
func parseReport(c *corpus.Corpus, data []byte, path, name, encName string) (corpus.InputStats, error) {
	return parseReportContext(context.Background(), c, data, path, name, encName)
}

// parseReportContext is parseReport returning ctx.Err() soon after ctx is
// cancelled.
func parseReportContext(ctx context.Context, c *corpus.Corpus, data []byte, path, name, encName string) (corpus.InputStats, error) {
	st := corpus.InputStats{File: name}
	fileErr := func(err error) error { return &corpus.InputError{Src: corpus.Source{File: name}, Err: err} }
	sum := sha256.Sum256(data)
	st.SHA256, st.Bytes = hex.EncodeToString(sum[:]), int64(len(data))
	format := reportExts[strings.ToLower(filepath.Ext(path))]
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		format = "docx"
	}
	if bytes.HasPrefix(data, xlsMagic) {
		return st, fileErr(fmt.Errorf("%w: legacy Word .doc (OLE) file; save it as .docx or .txt", ErrUnsupportedFormat))
	}
	if format == "" {
		format = "txt"
	}
	st.Format = format
	var paras []para
	switch format {
	case "docx":
		st.Encoding = "utf-8"
		var err error
		paras, err = docxParagraphs(ctx, data)
		if err != nil {
			if ctx.Err() != nil {
				return st, err
			}
			return st, fileErr(err)
		}
	default:
		enc, err := chooseEncoding(encName, data)
		if err != nil {
			return st, fileErr(err)
		}
		st.Encoding = enc.String()
		paras = textParagraphs(stripBOM(data, enc), enc, format == "md")
	}
	return st, structure(ctx, c, name, paras, &st)
}

// textParagraphs splits a .txt or .md file into paragraphs. In .txt every
// non-blank line is a paragraph (Chinese reports put one paragraph per
// line). In .md, consecutive non-blank lines form one paragraph, joined
// with "\n"; "#" lines are headings and list items start new paragraphs.
// Lines whose bytes are invalid in enc become rejected paragraphs of
// their own.
func textParagraphs(data []byte, enc textEncoding, markdown bool) []para {
	var out []para
	var cur *para
	// The lines of a Markdown paragraph are collected and joined once:
	// appending to cur.raw line by line is quadratic in the paragraph.
	var lines []string
	flush := func() {
		if cur != nil {
			cur.raw = strings.Join(lines, "\n")
			out = append(out, *cur)
			cur, lines = nil, lines[:0]
		}
	}
	for _, line := range splitLines(data, enc) {
		text, ok := decodeLine(line, enc)
		text = strings.TrimRight(text, "\r\n")
		if !ok {
			flush()
			out = append(out, para{raw: text, bad: fmt.Sprintf("bytes invalid in %s", enc), rawB: line})
			continue
		}
		if strings.TrimSpace(text) == "" {
			flush()
			continue
		}
		if !markdown {
			out = append(out, para{raw: text, rawB: line})
			continue
		}
		trim := strings.TrimSpace(text)
		if lvl := mdHeading(trim); lvl > 0 {
			flush()
			out = append(out, para{raw: strings.TrimSpace(strings.TrimLeft(trim, "#")), level: lvl, rawB: line})
			continue
		}
		if isListItem(trim) {
			flush()
		}
		if cur == nil {
			cur = &para{}
		}
		lines = append(lines, text)
		cur.rawB = append(cur.rawB, line...)
	}
	flush()
	return out
}

func mdHeading(s string) int {
	n := 0
	for n < len(s) && s[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || (n < len(s) && s[n] != ' ' && s[n] != '\t') {
		return 0
	}
	return n
}

func isListItem(s string) bool {
	if strings.HasPrefix(s, "- ") || strings.HasPrefix(s, "* ") || strings.HasPrefix(s, "+ ") {
		return true
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i > 0 && i+1 < len(s) && (s[i] == '.' || s[i] == ')') && s[i+1] == ' '
}

// maxDocxXML caps the uncompressed size of a DOCX part read into memory.
const maxDocxXML = 64 << 20

// maxXMLDepth caps the nesting of elements in a DOCX part. Word nests a
// few dozen deep (tables in text boxes in tables); a file nested deeper
// is hostile, and every open paragraph costs memory.
const maxXMLDepth = 1000

// depthError reports a part nested deeper than maxXMLDepth.
func depthError(part string) error {
	return fmt.Errorf("%s: %w: elements nested more than %d deep", part, ErrTooLarge, maxXMLDepth)
}

// docxParagraphs reads the paragraphs of word/document.xml, with heading
// levels from paragraph styles (resolved through word/styles.xml: style
// names "heading N", "标题 N", "Title", or an outline level).
func docxParagraphs(ctx context.Context, data []byte) ([]para, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("not a DOCX (zip) file: %v", err)
	}
	var doc, styles *zip.File
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml":
			doc = f
		case "word/styles.xml":
			styles = f
		}
	}
	if doc == nil {
		return nil, fmt.Errorf("not a DOCX file: no word/document.xml")
	}
	levels := map[string]int{}
	if styles != nil {
		b, err := readZipPart(styles)
		if err != nil {
			return nil, err
		}
		levels, err = docxStyleLevels(b)
		if err != nil {
			return nil, err
		}
	}
	b, err := readZipPart(doc)
	if err != nil {
		return nil, err
	}
	return docxBody(ctx, b, levels)
}

func readZipPart(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > maxDocxXML {
		return nil, fmt.Errorf("%s: %d bytes uncompressed, more than the limit of %d", f.Name, f.UncompressedSize64, maxDocxXML)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", f.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxDocxXML+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", f.Name, err)
	}
	if len(b) > maxDocxXML {
		return nil, fmt.Errorf("%s: more than %d bytes uncompressed", f.Name, maxDocxXML)
	}
	return b, nil
}

const wordNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local && (a.Name.Space == wordNS || a.Name.Space == "") {
			return a.Value
		}
	}
	return ""
}

// headingLevelFromName maps a style name to a heading level, 0 if none.
func headingLevelFromName(name string) int {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "title" || n == "标题" {
		return 1
	}
	for _, p := range []string{"heading", "标题"} {
		if rest, ok := strings.CutPrefix(n, p); ok {
			if v, err := strconv.Atoi(strings.TrimSpace(rest)); err == nil && v >= 1 && v <= 9 {
				return v
			}
		}
	}
	return 0
}

// docxStyleLevels maps paragraph style ids to heading levels.
func docxStyleLevels(b []byte) (map[string]int, error) {
	levels := map[string]int{}
	d := xml.NewDecoder(bytes.NewReader(b))
	var id string
	var level, depth int
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return levels, nil
		}
		if err != nil {
			return nil, fmt.Errorf("word/styles.xml: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxXMLDepth {
				return nil, depthError("word/styles.xml")
			}
			if t.Name.Space != wordNS {
				continue
			}
			switch t.Name.Local {
			case "style":
				id, level = attr(t, "styleId"), 0
			case "name":
				if l := headingLevelFromName(attr(t, "val")); l > 0 {
					level = l
				}
			case "outlineLvl":
				if v, err := strconv.Atoi(attr(t, "val")); err == nil && v >= 0 && v < 9 && level == 0 {
					level = v + 1
				}
			}
		case xml.EndElement:
			depth--
			if t.Name.Space == wordNS && t.Name.Local == "style" && id != "" {
				if level > 0 {
					levels[id] = level
				}
				id = ""
			}
		}
	}
}

// docxBody reads the paragraphs of word/document.xml. Nested paragraphs
// (text boxes) become paragraphs of their own, before their container.
func docxBody(ctx context.Context, b []byte, levels map[string]int) ([]para, error) {
	type open struct {
		text  strings.Builder
		level int
	}
	var stack []*open
	var out []para
	inText := false
	depth := 0
	d := xml.NewDecoder(bytes.NewReader(b))
	for n := 0; ; n++ {
		if err := stopped(ctx, n); err != nil {
			return nil, err
		}
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("word/document.xml: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxXMLDepth {
				return nil, depthError("word/document.xml")
			}
			if t.Name.Space != wordNS {
				continue
			}
			var cur *open
			if len(stack) > 0 {
				cur = stack[len(stack)-1]
			}
			switch t.Name.Local {
			case "p":
				stack = append(stack, &open{})
			case "pStyle":
				if cur != nil {
					if l, ok := levels[attr(t, "val")]; ok {
						cur.level = l
					} else if l := headingLevelFromName(attr(t, "val")); l > 0 {
						cur.level = l
					}
				}
			case "outlineLvl":
				if v, err := strconv.Atoi(attr(t, "val")); err == nil && cur != nil && v >= 0 && v < 9 {
					cur.level = v + 1
				}
			case "t":
				inText = true
			case "tab":
				if cur != nil {
					cur.text.WriteByte('\t')
				}
			case "br", "cr":
				if cur != nil {
					cur.text.WriteByte('\n')
				}
			}
		case xml.CharData:
			if inText && len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		case xml.EndElement:
			depth--
			if t.Name.Space != wordNS {
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				if len(stack) == 0 {
					continue
				}
				p := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if s := p.text.String(); strings.TrimSpace(s) != "" {
					out = append(out, para{raw: s, level: p.level, rawB: []byte(s)})
				}
			}
		}
	}
	return out, nil
}
