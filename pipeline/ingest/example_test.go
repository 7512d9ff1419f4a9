package ingest_test

import (
	"fmt"

	"surveymine/pipeline/ingest"
)

func ExampleNormalize() {
	fmt.Printf("%q\n", ingest.Normalize("  有２４％的人认为，\u200b党建\u3000和业务“两张皮”。\r\n\r\n第二句  "))
	// Output: "有24%的人认为，党建 和业务“两张皮”。\n第二句"
}
