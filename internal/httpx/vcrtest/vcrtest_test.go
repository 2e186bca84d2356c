package vcrtest

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arcsecond-go/arcsecond/internal/httpx"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var update = flag.Bool("update", false, "rewrite testdata/tiny_tap.yaml")

// tinyVOTable is a minimal VOTable written for these tests.
const tinyVOTable = `<?xml version="1.0" encoding="UTF-8"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
 <RESOURCE type="results"><TABLE>
  <FIELD name="target_name" datatype="char" arraysize="*"/>
  <DATA><TABLEDATA><TR><TD>M 31</TD></TR></TABLEDATA></DATA>
 </TABLE></RESOURCE>
</VOTABLE>
`

func tinyCassette(path string) *Builder {
	return NewCassette(path, "synthetic responses written by hand for the vcrtest tests").
		Add(Interaction{
			Method: "POST", URL: "https://tap.example.org/tap/sync",
			Form:        url.Values{"REQUEST": {"doQuery"}, "LANG": {"ADQL"}, "QUERY": {"SELECT TOP 1 target_name FROM ivoa.obscore"}},
			ContentType: "application/x-votable+xml", Body: []byte(tinyVOTable),
			Provenance: "hand-written minimal VOTable 1.4",
		}).
		Add(Interaction{URL: "https://api.example.org/obs?limit=2&instrument=MUSE", Status: 503, Body: []byte("maintenance")}).
		Add(Interaction{URL: "https://api.example.org/obs?limit=2&instrument=MUSE", ContentType: "application/json", Body: []byte(`[{"id":1},{"id":2}]`)})
}

func newClient(rt http.RoundTripper) *httpx.Client {
	return httpx.New(httpx.Options{Transport: rt, RatePerHost: -1, BackoffMin: 1e6, BackoffMax: 2e6})
}

func TestBuildAndReplay(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "tiny")
	if err := tinyCassette(path).Save(); err != nil {
		t.Fatal(err)
	}
	checkReplay(t, path+".yaml")
}

func TestCommittedCassette(t *testing.T) {
	const path = "testdata/tiny_tap.yaml"
	if *update {
		if err := tinyCassette(path).Save(); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "# go-vcr cassette") || !strings.Contains(string(b), "# Interaction 0 provenance: hand-written") {
		t.Errorf("cassette lacks its provenance comments:\n%.300s", b)
	}
	checkReplay(t, path)
}

func checkReplay(t *testing.T, path string) {
	t.Helper()
	c := newClient(Replay(t, path))
	ctx := context.Background()
	// Form fields in another order still match.
	resp, err := c.PostForm(ctx, "https://tap.example.org/tap/sync", url.Values{
		"QUERY": {"SELECT TOP 1 target_name FROM ivoa.obscore"}, "LANG": {"ADQL"}, "REQUEST": {"doQuery"}})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != tinyVOTable || resp.Header.Get("Content-Type") != "application/x-votable+xml" {
		t.Errorf("TAP response %q %q", resp.Header.Get("Content-Type"), resp.Body)
	}
	// The 503 then 200 sequence is replayed in order: the client retries.
	resp, err = c.Get(ctx, "https://api.example.org/obs", url.Values{"instrument": {"MUSE"}, "limit": {"2"}})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != `[{"id":1},{"id":2}]` || resp.Attempts != 2 {
		t.Errorf("body %q after %d attempts", resp.Body, resp.Attempts)
	}
}

// fakeTB records the errors Replay reports.
type fakeTB struct {
	testing.TB
	errs []string
}

func (f *fakeTB) Errorf(format string, args ...any) {
	f.errs = append(f.errs, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Helper() {}

func TestUnrecordedRequestFailsTheTest(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tiny.yaml")
	if err := tinyCassette(path).Save(); err != nil {
		t.Fatal(err)
	}
	ftb := &fakeTB{TB: t}
	c := newClient(Replay(ftb, path))
	_, err := c.Get(context.Background(), "https://api.example.org/obs?limit=3&token=sekrit99", nil)
	var re *httpx.RequestError
	if !errors.As(err, &re) || re.Attempts != 1 {
		t.Fatalf("err = %v (want a RequestError after 1 attempt)", err)
	}
	if len(ftb.errs) != 1 || !strings.Contains(ftb.errs[0], "is not recorded") || strings.Contains(ftb.errs[0], "sekrit99") {
		t.Errorf("reported errors = %q", ftb.errs)
	}
	// A different body does not match either.
	ftb.errs = nil
	_, err = c.PostForm(context.Background(), "https://tap.example.org/tap/sync", url.Values{"QUERY": {"SELECT 2"}})
	if err == nil || len(ftb.errs) != 1 {
		t.Errorf("mismatched body: err %v, reported %q", err, ftb.errs)
	}
}

func TestRepeatable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tiny.yaml")
	if err := tinyCassette(path).Save(); err != nil {
		t.Fatal(err)
	}
	c := newClient(Replay(t, path, Repeatable()))
	for range 3 {
		resp, err := c.PostForm(context.Background(), "https://tap.example.org/tap/sync", url.Values{
			"QUERY": {"SELECT TOP 1 target_name FROM ivoa.obscore"}, "LANG": {"ADQL"}, "REQUEST": {"doQuery"}})
		if err != nil || string(resp.Body) != tinyVOTable {
			t.Fatalf("replay: %v", err)
		}
	}
}

func TestBuilderRejectsBadInteractions(t *testing.T) {
	dir := t.TempDir()
	for name, it := range map[string]Interaction{
		"relative URL":  {URL: "/obs"},
		"credentials":   {URL: "https://h.example/obs?api_key=abc123"},
		"user info":     {URL: "https://bob:pw@h.example/obs"},
		"bad status":    {URL: "https://h.example/obs", Status: 42},
		"form and body": {URL: "https://h.example/obs", Form: url.Values{}, RequestBody: []byte("x")},
	} {
		err := NewCassette(filepath.Join(dir, "x"), "test").Add(it).Save()
		if err == nil {
			t.Errorf("%s: Save succeeded", name)
		} else if strings.Contains(err.Error(), "abc123") || strings.Contains(err.Error(), ":pw@") {
			t.Errorf("%s: error leaks a credential: %v", name, err)
		}
	}
	if err := NewCassette(filepath.Join(dir, "empty"), "test").Save(); err == nil {
		t.Error("empty cassette saved")
	}
}

func TestMissingCassetteFailsTheTest(t *testing.T) {
	ftb := &fatalTB{TB: t}
	func() {
		defer func() { recover() }()
		Replay(ftb, filepath.Join(t.TempDir(), "nope.yaml"))
	}()
	if !ftb.fatal || !strings.Contains(ftb.msg, "nope") {
		t.Errorf("missing cassette: fatal=%v msg=%q", ftb.fatal, ftb.msg)
	}
}

type fatalTB struct {
	testing.TB
	fatal bool
	msg   string
}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.fatal, f.msg = true, fmt.Sprintf(format, args...)
	panic("fatal")
}
func (f *fatalTB) Helper() {}

func TestBinaryGzipBodyRoundTrips(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(tinyVOTable))
	zw.Close()
	path := filepath.Join(t.TempDir(), "gz.yaml")
	err := NewCassette(path, "test").Add(Interaction{
		URL: "https://h.example/v", ContentType: "application/x-votable+xml",
		Header: http.Header{"Content-Encoding": {"gzip"}}, Body: buf.Bytes(),
	}).Save()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := newClient(Replay(t, path)).Get(context.Background(), "https://h.example/v", nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != tinyVOTable {
		t.Errorf("body %q", resp.Body)
	}
}
