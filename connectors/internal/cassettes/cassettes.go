// Package cassettes builds and replays the go-vcr cassettes of the archive
// connectors' offline tests.
//
// A cassette wraps real recorded bodies (from ../shared/fixtures/archives)
// with the request that would have produced them; its first line is a
// comment giving the body's provenance. Bodies are stored byte for byte.
package cassettes

import (
	"fmt"
	"net/http"
	"os"
	"strings"

	"go.yaml.in/yaml/v4"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"
)

// Interaction is one request and its recorded reply.
type Interaction struct {
	Method      string // GET when empty
	URL         string
	RequestBody string
	Status      int // 200 when zero
	ContentType string
	Body        []byte
}

// Write saves a cassette at path (without the .yaml extension, as go-vcr
// names them), its first line a comment with the provenance.
func Write(path, provenance string, ints ...Interaction) error {
	c := cassette.New(path)
	c.MarshalFunc = yaml.Marshal
	for _, in := range ints {
		m := in.Method
		if m == "" {
			m = http.MethodGet
		}
		st := in.Status
		if st == 0 {
			st = 200
		}
		ct := in.ContentType
		if ct == "" {
			ct = "application/json"
		}
		c.AddInteraction(&cassette.Interaction{
			Request: cassette.Request{Method: m, URL: in.URL, Body: in.RequestBody,
				Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, ContentLength: int64(len(in.RequestBody))},
			Response: cassette.Response{Code: st, Status: fmt.Sprintf("%d %s", st, http.StatusText(st)),
				Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Body: string(in.Body), ContentLength: int64(len(in.Body)),
				Headers: http.Header{"Content-Type": {ct}}},
		})
	}
	if err := c.Save(); err != nil {
		return err
	}
	file := path + ".yaml"
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var head strings.Builder
	for _, l := range strings.Split(provenance, "\n") {
		head.WriteString("# " + l + "\n")
	}
	return os.WriteFile(file, append([]byte(head.String()), b...), 0o644)
}

// Replay returns a transport answering from the cassette at path (without
// .yaml). Requests match on method and URL; interactions are used in order,
// once each. A request with no interaction left fails.
func Replay(path string) (http.RoundTripper, error) {
	r, err := recorder.New(path,
		recorder.WithMode(recorder.ModeReplayOnly),
		recorder.WithSkipRequestLatency(true),
		recorder.WithMatcher(func(r *http.Request, i cassette.Request) bool {
			return r.Method == i.Method && r.URL.String() == i.URL
		}))
	if err != nil {
		return nil, fmt.Errorf("cassettes: %s: %w", path, err)
	}
	return r, nil
}
