// Command geminiparse only parses a recorded Gemini /jsonsummary reply. It
// is the "tiny program" of the light-core budget (see internal/depcheck).
package main

import (
	"fmt"
	"os"

	"github.com/arcsecond-go/arcsecond/connectors/gemini"
)

func main() {
	b, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	res, err := gemini.ParseJSONSummary(b)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(res)
}
