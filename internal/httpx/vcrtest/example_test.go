package vcrtest_test

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

// Writing a cassette from a body saved from the real service. In a test,
// replay it with httpx.New(httpx.Options{Transport: vcrtest.Replay(t, path)}).
func ExampleNewCassette() {
	dir, _ := os.MkdirTemp("", "vcrtest")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "tap_query.yaml")

	body := []byte(`<VOTABLE version="1.4">...</VOTABLE>`) // e.g. os.ReadFile of a saved response
	err := vcrtest.NewCassette(path, "TAP sync response saved from the service on 2026-11-27").
		Add(vcrtest.Interaction{
			URL:         "https://tap.example.org/tap/sync",
			Form:        url.Values{"REQUEST": {"doQuery"}, "LANG": {"ADQL"}, "QUERY": {"SELECT TOP 1 * FROM ivoa.obscore"}},
			ContentType: "application/x-votable+xml",
			Body:        body,
			Provenance:  "curl -d REQUEST=doQuery ... > obscore_top1.xml",
		}).
		Save()
	fmt.Println(err)
	// Output: <nil>
}
