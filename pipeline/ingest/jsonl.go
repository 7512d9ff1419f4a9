package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"surveymine/pipeline/corpus"
)

// readJSONL reads JSON Lines: one object per line, its keys being the
// headers (in first-seen order over the file). String values are read as
// is, numbers in their JSON spelling, booleans as "true"/"false", null as
// a blank cell, arrays of strings as a multiple-choice cell joined with the
// separator, other arrays and objects as their JSON text. A line that is
// not a JSON object, or holds bytes invalid in the encoding, is rejected.
func readJSONL(ctx context.Context, data []byte, name string, in SurveyInput, maxField int) (*table, textEncoding, error) {
	enc, err := chooseEncoding(in.Encoding, data)
	if err != nil {
		return nil, 0, err
	}
	sep := in.Separator
	if sep == "" {
		sep = DefaultSeparator
	}
	lines := splitLines(stripBOM(data, enc), enc)
	t := &table{file: name, headerRow: 0}
	col := map[string]int{}
	type parsed struct {
		rec    record
		values map[string]string
	}
	var rows []parsed
	for i, line := range lines {
		if err := stopped(ctx, i); err != nil {
			return nil, enc, err
		}
		text, ok := decodeLine(line, enc)
		if strings.TrimSpace(text) == "" && ok {
			continue
		}
		rec := record{Src: corpus.RowSource{File: name, Row: i + 1}, Raw: strconv.Quote(string(line))}
		if !ok {
			rec.Reason, rec.Detail = reasonBadEncoding, fmt.Sprintf("bytes invalid in %s", enc)
			rows = append(rows, parsed{rec: rec})
			continue
		}
		vals, keys, err := jsonObject(text, sep)
		if err != nil {
			rec.Reason, rec.Detail = reasonBadJSON, err.Error()
			rows = append(rows, parsed{rec: rec})
			continue
		}
		for _, k := range keys {
			if len(vals[k]) > maxField {
				rec.Reason = reasonTooLong
				rec.Detail = fmt.Sprintf("key %q has %d bytes, more than max_field_bytes %d", k, len(vals[k]), maxField)
				break
			}
		}
		if rec.Reason == "" {
			for _, k := range keys {
				if _, ok := col[k]; !ok {
					col[k] = len(t.header)
					t.header = append(t.header, k)
				}
			}
		}
		rows = append(rows, parsed{rec: rec, values: vals})
	}
	if len(t.header) == 0 {
		return nil, enc, fmt.Errorf("no JSON object with keys")
	}
	for _, p := range rows {
		if p.rec.Reason == "" {
			p.rec.Fields = make([]string, len(t.header))
			for k, v := range p.values {
				p.rec.Fields[col[k]] = v
			}
		}
		t.records = append(t.records, p.rec)
	}
	return t, enc, nil
}

// jsonObject decodes one JSON object into cell strings, returning its keys
// in document order.
func jsonObject(text, sep string) (map[string]string, []string, error) {
	d := json.NewDecoder(strings.NewReader(text))
	d.UseNumber()
	tok, err := d.Token()
	if err != nil {
		return nil, nil, fmt.Errorf("not JSON: %v", err)
	}
	if delim, ok := tok.(json.Delim); !ok || delim != '{' {
		return nil, nil, fmt.Errorf("not a JSON object")
	}
	vals := map[string]string{}
	var keys []string
	for d.More() {
		kt, err := d.Token()
		if err != nil {
			return nil, nil, fmt.Errorf("not JSON: %v", err)
		}
		k, _ := kt.(string)
		var raw json.RawMessage
		if err := d.Decode(&raw); err != nil {
			return nil, nil, fmt.Errorf("key %q: %v", k, err)
		}
		if _, dup := vals[k]; dup {
			return nil, nil, fmt.Errorf("key %q appears twice", k)
		}
		vals[k] = jsonCell(raw, sep)
		keys = append(keys, k)
	}
	if _, err := d.Token(); err != nil {
		return nil, nil, fmt.Errorf("not JSON: %v", err)
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, nil, fmt.Errorf("text after the JSON object")
	}
	return vals, keys, nil
}

func jsonCell(raw json.RawMessage, sep string) string {
	raw = bytes.TrimSpace(raw)
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	if string(raw) == "null" {
		return ""
	}
	var list []string
	if len(raw) > 0 && raw[0] == '[' && json.Unmarshal(raw, &list) == nil {
		return strings.Join(list, sep)
	}
	return string(raw)
}
