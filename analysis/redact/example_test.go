package redact_test

import (
	"fmt"

	"surveymine/analysis/redact"
)

func ExampleRedactor_Redact() {
	r := redact.New()
	out, counts := r.Redact("张书记说有事打138-1234-5678或发邮件到zhang@example.com，党委书记要带头。")
	fmt.Println(out)
	fmt.Println(counts[redact.Name], counts[redact.Phone], counts[redact.Email])
	// Output:
	// [姓名]书记说有事打[手机号]或发邮件到[邮箱]，党委书记要带头。
	// 1 1 1
}
