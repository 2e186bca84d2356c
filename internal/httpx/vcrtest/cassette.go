package vcrtest

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/arcsecond-go/arcsecond/internal/httpx"
	"go.yaml.in/yaml/v4"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
)

// Interaction is one request and the response to replay for it.
type Interaction struct {
	// Method defaults to GET, or POST when Form or RequestBody is set.
	Method string
	// URL is the full request URL, query included. It must not carry
	// credentials (Save refuses URLs that do).
	URL string
	// Form is the url-encoded request body (TAP, MAST); RequestBody is any
	// other request body. At most one may be set.
	Form        url.Values
	RequestBody []byte
	// Status defaults to 200.
	Status int
	// ContentType of the response; Header may add more headers.
	ContentType string
	Header      http.Header
	Body        []byte
	// Provenance says where Body came from (service, date, how it was
	// captured, or the repository, commit and path of a fixture); it is
	// written as a comment in the cassette.
	Provenance string
}

// Builder accumulates interactions for a cassette file.
type Builder struct {
	path, provenance string
	items            []Interaction
	err              error
}

// NewCassette starts a cassette to be written at path (".yaml" is added if
// missing). provenance describes the cassette as a whole and is written as
// its first comment line.
func NewCassette(path, provenance string) *Builder {
	if !strings.HasSuffix(path, ".yaml") {
		path += ".yaml"
	}
	return &Builder{path: path, provenance: provenance}
}

// Add appends an interaction; errors are reported by Save.
func (b *Builder) Add(i Interaction) *Builder {
	if b.err != nil {
		return b
	}
	n := len(b.items)
	u, err := url.Parse(i.URL)
	switch {
	case err != nil:
		b.err = fmt.Errorf("vcrtest: interaction %d: invalid URL: %w", n, err)
	case u.Scheme != "http" && u.Scheme != "https" || u.Host == "":
		b.err = fmt.Errorf("vcrtest: interaction %d: URL %q is not an absolute http(s) URL", n, httpx.RedactURL(i.URL))
	case httpx.RedactURL(i.URL) != i.URL && strings.Contains(httpx.RedactURL(i.URL), "REDACTED"):
		b.err = fmt.Errorf("vcrtest: interaction %d: URL %s carries credentials; record the request without them", n, httpx.RedactURL(i.URL))
	case i.Form != nil && i.RequestBody != nil:
		b.err = fmt.Errorf("vcrtest: interaction %d: both Form and RequestBody are set", n)
	case i.Status != 0 && (i.Status < 100 || i.Status > 599):
		b.err = fmt.Errorf("vcrtest: interaction %d: invalid status %d", n, i.Status)
	}
	b.items = append(b.items, i)
	return b
}

// Save writes the cassette, creating its directory if needed.
func (b *Builder) Save() error {
	if b.err != nil {
		return b.err
	}
	if len(b.items) == 0 {
		return errors.New("vcrtest: cassette " + b.path + " has no interactions")
	}
	c := cassette.New(strings.TrimSuffix(b.path, ".yaml"))
	var head strings.Builder
	head.WriteString("# go-vcr cassette written by internal/httpx/vcrtest.\n")
	writeComment(&head, "Provenance: "+b.provenance)
	for n, it := range b.items {
		method := it.Method
		if method == "" {
			method = http.MethodGet
			if it.Form != nil || it.RequestBody != nil {
				method = http.MethodPost
			}
		}
		status := it.Status
		if status == 0 {
			status = http.StatusOK
		}
		u, _ := url.Parse(it.URL)
		reqHeader := http.Header{}
		reqBody := string(it.RequestBody)
		if it.Form != nil {
			reqBody = it.Form.Encode()
			reqHeader.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		respHeader := http.Header{}
		for k, vs := range it.Header {
			respHeader[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
		}
		if it.ContentType != "" {
			respHeader.Set("Content-Type", it.ContentType)
		}
		c.AddInteraction(&cassette.Interaction{
			Request: cassette.Request{
				Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
				ContentLength: int64(len(reqBody)),
				Host:          u.Host,
				Body:          reqBody,
				Form:          it.Form,
				Headers:       reqHeader,
				URL:           it.URL,
				Method:        method,
			},
			Response: cassette.Response{
				Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
				ContentLength: int64(len(it.Body)),
				Body:          string(it.Body),
				Headers:       respHeader,
				Status:        fmt.Sprintf("%d %s", status, http.StatusText(status)),
				Code:          status,
			},
		})
		writeComment(&head, fmt.Sprintf("Interaction %d: %s %s", n, method, it.URL))
		if it.Provenance != "" {
			writeComment(&head, fmt.Sprintf("Interaction %d provenance: %s", n, it.Provenance))
		}
	}
	data, err := yaml.Marshal(c)
	if err != nil {
		return fmt.Errorf("vcrtest: encoding cassette %s: %w", b.path, err)
	}
	if err := os.MkdirAll(filepath.Dir(b.path), 0o755); err != nil {
		return fmt.Errorf("vcrtest: %w", err)
	}
	out := head.String() + "---\n" + string(data)
	if err := os.WriteFile(b.path, []byte(out), 0o644); err != nil {
		return fmt.Errorf("vcrtest: writing cassette: %w", err)
	}
	return nil
}

func writeComment(b *strings.Builder, s string) {
	for _, line := range strings.Split(s, "\n") {
		b.WriteString("# ")
		b.WriteString(strings.TrimRight(line, "\r"))
		b.WriteByte('\n')
	}
}
