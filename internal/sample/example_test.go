package sample_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"log"

	"surveymine/internal/sample"
)

func ExampleWrite() {
	var buf bytes.Buffer
	if err := sample.Write(&buf, sample.Options{Rows: 4, Seed: 42}); err != nil {
		log.Fatal(err)
	}
	// Strip the BOM before handing the file to encoding/csv.
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range recs[1:] {
		fmt.Printf("%s %s %s %s %q → %s\n", r[0], r[1], r[6], r[7], r[11], r[12])
	}
	// Output:
	// 1 2026/3/14 8:39:07 派出机构 处级 "党务干部的本领有待提高  ！" → 2
	// 2 2026/3/14 8:40:05 派出机构 科级及以下 "和上面选的一样" → 0
	// 3 2026/3/14 8:42:05 直属单位 科级及以下 "我觉得不是制度不健全的问题，主要还是党员作用发挥不够，党员亮身份、作表率做得不够，业务上看不出党员的样子。" → 9
	// 4 2026/3/14 8:44:22 直属单位 科级及以下 "认识上对党建工作的定位把握不准，觉得业务才是硬任务" → 1
}

func ExampleCauses() {
	for _, c := range sample.Causes() {
		fmt.Println(c.ID, c.Name)
	}
	// Output:
	// 0 其他
	// 1 思想认识
	// 2 能力素质
	// 3 队伍建设
	// 4 制度机制
	// 5 考核评价
	// 6 载体形式
	// 7 内容方法差异
	// 8 管理体制
	// 9 党员意识
}
