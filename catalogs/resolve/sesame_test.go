package resolve

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// sesameServer serves testdata/file for every query, recording the last
// request URI.
func sesameServer(t *testing.T, status int, file string) (*httptest.Server, *atomic.Value) {
	t.Helper()
	body, err := os.ReadFile("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	var last atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		last.Store(r.URL.RequestURI())
		w.WriteHeader(status)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv, &last
}

func newSesame(t *testing.T, o SesameOptions) *Sesame {
	t.Helper()
	s, err := NewSesame(o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSesameFound(t *testing.T) {
	srv, last := sesameServer(t, 200, "found.xml")
	s := newSesame(t, SesameOptions{BaseURLs: []string{srv.URL + "/cgi-bin/nph-sesame/"}, Databases: "S"})
	got, err := s.Resolve(context.Background(), "M 31")
	if err != nil {
		t.Fatal(err)
	}
	want := Target{Name: "M 31", Object: "M  31", RA: 10.684708, Dec: 41.268750, Service: "Sesame", Database: "Simbad", Type: "G"}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if u := last.Load(); u != "/cgi-bin/nph-sesame/-ox/S?M%2031" {
		t.Errorf("request %v, want /cgi-bin/nph-sesame/-ox/S?M%%2031", u)
	}
}

func TestSesameSeveralResolvers(t *testing.T) {
	srv, last := sesameServer(t, 200, "several.xml")
	s := newSesame(t, SesameOptions{BaseURLs: []string{srv.URL}, Databases: "NSV"})
	got, err := s.Resolve(context.Background(), "NGC 1068")
	if err != nil {
		t.Fatal(err)
	}
	// NED found nothing; Simbad is the first with a position.
	if got.Database != "Simbad" || got.RA != 40.669629 || got.Dec != -0.013281 || got.Type != "Sy2" {
		t.Errorf("got %+v, want Simbad's answer", got)
	}
	if u := last.Load(); u != "/-ox/NSV?NGC%201068" {
		t.Errorf("request %v", u)
	}
	all, err := ParseSesame("NGC 1068", mustRead(t, "several.xml"))
	if err != nil || len(all) != 2 || all[1].Database != "VizieR" || all[1].Object != "{NGC} 1068" {
		t.Errorf("ParseSesame: %+v %v, want Simbad then VizieR", all, err)
	}
}

func mustRead(t *testing.T, file string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSesameFailures(t *testing.T) {
	for _, c := range []struct {
		file   string
		status int
		kind   error
		says   string
	}{
		{"notfound.xml", 200, ErrNotFound, "no resolver gave a position"},
		{"error.xml", 200, ErrBadReply, "Simbad server unavailable"},
		{"errorpage.html", 200, ErrBadReply, "not a Sesame XML document"},
		{"errorpage.html", 503, ErrUnreachable, "HTTP 503"},
		{"errorpage.html", 404, ErrBadReply, "HTTP 404"},
		{"truncated.xml", 200, ErrBadReply, "not a Sesame XML document"},
	} {
		srv, _ := sesameServer(t, c.status, c.file)
		s := newSesame(t, SesameOptions{BaseURLs: []string{srv.URL}})
		_, err := s.Resolve(context.Background(), "M 31")
		if !errors.Is(err, c.kind) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s (HTTP %d): %v, want %v saying %q", c.file, c.status, err, c.kind, c.says)
		}
		for _, other := range []error{ErrNotFound, ErrBadReply, ErrUnreachable} {
			if other != c.kind && errors.Is(err, other) {
				t.Errorf("%s: %v is also %v", c.file, err, other)
			}
		}
	}
}

func TestSesameSlowServerTimesOut(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(release)
	s := newSesame(t, SesameOptions{BaseURLs: []string{slow.URL}, Timeout: 50 * time.Millisecond})
	_, err := s.Resolve(context.Background(), "M 31")
	if !errors.Is(err, ErrUnreachable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("slow server: %v, want ErrUnreachable wrapping a deadline", err)
	}
}

func TestSesameMirrorAfterUnreachable(t *testing.T) {
	down, _ := sesameServer(t, 502, "errorpage.html")
	up, _ := sesameServer(t, 200, "found.xml")
	s := newSesame(t, SesameOptions{BaseURLs: []string{down.URL, up.URL}})
	got, err := s.Resolve(context.Background(), "M 31")
	if err != nil || got.Database != "Simbad" {
		t.Errorf("with the first URL down: %+v %v, want the mirror's answer", got, err)
	}
	// A "not found" answer is an answer: the mirror is not asked.
	nf, _ := sesameServer(t, 200, "notfound.xml")
	var asked atomic.Int32
	mirror := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { asked.Add(1) }))
	defer mirror.Close()
	s = newSesame(t, SesameOptions{BaseURLs: []string{nf.URL, mirror.URL}})
	if _, err := s.Resolve(context.Background(), "x"); !errors.Is(err, ErrNotFound) || asked.Load() != 0 {
		t.Errorf("not found: %v, mirror asked %d times", err, asked.Load())
	}
	// Both down: both errors are reported.
	down2, _ := sesameServer(t, 500, "errorpage.html")
	s = newSesame(t, SesameOptions{BaseURLs: []string{down.URL, down2.URL}})
	_, err = s.Resolve(context.Background(), "M 31")
	if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "HTTP 502") || !strings.Contains(err.Error(), "HTTP 500") {
		t.Errorf("both down: %v", err)
	}
}

func TestNewSesameRejectsBadOptions(t *testing.T) {
	for _, o := range []SesameOptions{
		{Databases: "X"},
		{Databases: "SNVAS"},
		{BaseURLs: []string{"ftp://cds.unistra.fr/cgi-bin/nph-sesame"}},
		{BaseURLs: []string{"https://cds.unistra.fr/cgi-bin/nph-sesame?x=1"}},
		{BaseURLs: []string{"not a url"}},
		{Timeout: -time.Second},
	} {
		if _, err := NewSesame(o); err == nil {
			t.Errorf("NewSesame(%+v): no error", o)
		}
	}
	s := newSesame(t, SesameOptions{})
	if len(s.bases) != 2 || s.bases[0].String() != SesameCDS || s.bases[1].String() != SesameCfA || s.dbs != "A" || s.timeout != DefaultTimeout {
		t.Errorf("defaults: %v %q %v", s.bases, s.dbs, s.timeout)
	}
	if _, err := s.Resolve(context.Background(), "  "); err == nil {
		t.Error("empty name: no error")
	}
}

func TestSesameRequestAndLimits(t *testing.T) {
	var ua atomic.Value
	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua.Store(r.UserAgent())
		w.Write([]byte("<Sesame><Target><name>"))
		w.Write([]byte(strings.Repeat("x", maxReply+10)))
	}))
	defer big.Close()
	s := newSesame(t, SesameOptions{BaseURLs: []string{big.URL}})
	_, err := s.Resolve(context.Background(), "M 31")
	if !errors.Is(err, ErrBadReply) || !strings.Contains(err.Error(), "more than") {
		t.Errorf("oversized reply: %v, want ErrBadReply", err)
	}
	if u, _ := ua.Load().(string); !strings.HasPrefix(u, "arcsecond-go/") {
		t.Errorf("User-Agent %q, want the SDK's", u)
	}
}
