package ingest

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// headerInfo is what a header says about its column.
type headerInfo struct {
	text     string // normalised header
	qnum     string // question number ("3") or ""
	label    string // option or sub-item label of "3(label)", "Q3_1"; "" for plain questions
	meta     bool   // 问卷星 bookkeeping column (序号, 提交答卷时间 …)
	personal bool   // personal data (来自IP, 姓名, 手机 …)
}

var (
	// "3、…", "3.…", "3．…", "Q3…", "Q3.…", "第3题…"; the number must not
	// be followed by another digit or a decimal part.
	reQuestion = regexp.MustCompile(`^(?:(\d{1,4})\s*[、.:：]|[Qq](\d{1,4})(?:[^\d_]|$)|第(\d{1,4})题)`)
	// One-hot and matrix sub-columns: "3(党建工作制度规定不完善)", "Q3（其他）".
	reSubParen = regexp.MustCompile(`^(?:[Qq])?(\d{1,4})\s*[(（](.*)[)）]$`)
	// "Q3_1", "3_1", "Q3_1_label", "Q3_1:label".
	reSubUnderscore = regexp.MustCompile(`^(?:[Qq])?(\d{1,4})_(\d{1,3})(?:[_:：\s]+(.*))?$`)
)

// metaNames are 问卷星 bookkeeping columns, matched exactly.
var metaNames = []string{
	"序号", "编号", "答卷编号", "提交答卷时间", "提交时间", "开始时间", "结束时间", "答题时间",
	"所用时间", "答题时长", "来源", "来源详情", "总分", "得分", "用户ID", "填写设备", "浏览器", "操作系统",
}

// personalExact are personal columns matched exactly; personalParts are
// matched inside short headers (question text included).
var (
	personalExact = []string{"来自IP", "IP", "IP地址", "IP属地", "来自ip", "ip"}
	personalParts = []string{"姓名", "名字", "手机", "电话", "身份证", "邮箱", "email", "E-mail", "微信昵称", "微信号", "QQ", "住址", "家庭地址", "昵称", "openid"}
)

// parseHeader classifies one normalised header.
func parseHeader(h string) headerInfo {
	hi := headerInfo{text: h}
	for _, m := range metaNames {
		if h == m {
			hi.meta = true
			return hi
		}
	}
	for _, p := range personalExact {
		if h == p {
			hi.meta, hi.personal = true, true
			return hi
		}
	}
	if m := reSubParen.FindStringSubmatch(h); m != nil && !strings.ContainsAny(m[2], "、") {
		hi.qnum, hi.label = m[1], strings.TrimSpace(m[2])
	} else if m := reSubUnderscore.FindStringSubmatch(h); m != nil {
		hi.qnum, hi.label = m[1], strings.TrimSpace(m[3])
		if hi.label == "" {
			hi.label = m[2]
		}
	} else if m := reQuestion.FindStringSubmatch(h); m != nil {
		hi.qnum = m[1] + m[2] + m[3]
	}
	body := h
	if hi.qnum != "" {
		body = strings.TrimLeft(body, "Qq第0123456789、.．:： 题")
	}
	if utf8.RuneCountInString(body) <= 16 {
		lower := strings.ToLower(body)
		for _, p := range personalParts {
			if strings.Contains(lower, strings.ToLower(p)) {
				hi.personal = true
			}
		}
	}
	return hi
}

// normalizeHeaderKey folds a header for loose matching of configured column
// names: normalised, spaces removed, lower case.
func normalizeHeaderKey(s string) string {
	s = strings.ToLower(Normalize(s))
	return strings.Join(strings.Fields(s), "")
}

// resolveColumns returns the indices of the columns named by spec: a
// /regex/ (all matching headers), a question number "5" or "Q5" (every
// column of that question, e.g. all one-hot columns), or a header (exact,
// then after normalisation). An unmatched spec returns an error wrapping
// ErrUnknownColumn.
func resolveColumns(spec string, headers []headerInfo) ([]int, error) {
	var idx []int
	if re, ok := columnRegexp(spec); ok {
		rx, err := regexp.Compile(re)
		if err != nil {
			return nil, fmt.Errorf("bad regular expression %q: %v", spec, err)
		}
		for i, h := range headers {
			if rx.MatchString(h.text) {
				idx = append(idx, i)
			}
		}
	} else {
		for i, h := range headers {
			if h.text == spec {
				idx = append(idx, i)
			}
		}
		if len(idx) == 0 {
			key := normalizeHeaderKey(spec)
			for i, h := range headers {
				if normalizeHeaderKey(h.text) == key {
					idx = append(idx, i)
				}
			}
		}
		if len(idx) == 0 {
			num := strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(spec), "Q"), "q")
			if num != "" && strings.Trim(num, "0123456789") == "" {
				for i, h := range headers {
					if h.qnum == num {
						idx = append(idx, i)
					}
				}
			}
		}
	}
	if len(idx) == 0 {
		return nil, fmt.Errorf("%w %q", ErrUnknownColumn, spec)
	}
	return idx, nil
}
