package arcsecond

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/catalogs/resolve"
)

// sesameStandIn serves a Sesame XML reply (the format of
// catalogs/resolve/testdata) for M 31 and "nothing found" otherwise.
func sesameStandIn(t *testing.T, asked *atomic.Int32) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		if r.URL.RawQuery == "M%2031" {
			w.Write([]byte(`<Sesame><Target option="A"><name>M 31</name><Resolver name="S=Simbad (via url)">` +
				`<otype>G</otype><jradeg>10.684708</jradeg><jdedeg>+41.268750</jdedeg><oname>M  31</oname></Resolver></Target></Sesame>`))
			return
		}
		w.Write([]byte(`<Sesame><Target option="A"><name>x</name><INFO>*** Nothing found ***</INFO></Target></Sesame>`))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// resolverFunc adapts a function to resolve.Resolver.
type resolverFunc func(ctx context.Context, name string) (resolve.Target, error)

func (f resolverFunc) Resolve(ctx context.Context, name string) (resolve.Target, error) {
	return f(ctx, name)
}

func TestAstroLookupResolver(t *testing.T) {
	var asked atomic.Int32
	sesame, err := resolve.NewSesame(resolve.SesameOptions{BaseURLs: []string{sesameStandIn(t, &asked).URL}})
	if err != nil {
		t.Fatal(err)
	}
	h := lookupHandler(sesame, 5*time.Second)

	// Not in the catalogues: Sesame's answer, marked as such.
	code, m := astroGet(t, h, "/api/astro/lookup?name=M+31")
	ts, _ := m["targets"].([]any)
	if code != 200 || len(ts) != 1 {
		t.Fatalf("M 31: %d %v", code, m)
	}
	got := ts[0].(map[string]any)
	for k, want := range map[string]any{"name": "M 31", "kind": "object", "catalogue": "Sesame", "database": "Simbad",
		"ra": 10.684708, "dec": 41.26875, "type": "G", "object": "M  31"} {
		if got[k] != want {
			t.Errorf("M 31: %s = %v, want %v (%v)", k, got[k], want, got)
		}
	}
	if _, ok := m["note"]; ok {
		t.Errorf("M 31: a note with an answer: %v", m)
	}
	// Without a resolver: nothing, as before, and no network.
	if _, m := astroGet(t, lookupHandler(nil, time.Second), "/api/astro/lookup?name=M+31"); len(m["targets"].([]any)) != 0 || m["note"] != nil {
		t.Errorf("M 31 without a resolver: %v", m)
	}
	// In the catalogues: the resolver is not asked.
	before := asked.Load()
	_, m = astroGet(t, h, "/api/astro/lookup?name=HD+49798")
	if ts := m["targets"].([]any); len(ts) == 0 || ts[0].(map[string]any)["kind"] != "star" || asked.Load() != before {
		t.Errorf("HD 49798: %v, resolver asked %d times", m, asked.Load()-before)
	}
	// Not found anywhere: empty, with a note.
	code, m = astroGet(t, h, "/api/astro/lookup?name=NoSuchThing+42")
	if note, _ := m["note"].(string); code != 200 || len(m["targets"].([]any)) != 0 || !strings.Contains(note, "knows no object") {
		t.Errorf("unknown name: %d %v", code, m)
	}
}

func TestAstroLookupResolverFailures(t *testing.T) {
	for _, c := range []struct {
		what string
		res  resolve.Resolver
		note string
	}{
		{"slow", resolverFunc(func(ctx context.Context, _ string) (resolve.Target, error) {
			<-ctx.Done()
			return resolve.Target{}, ctx.Err()
		}), "could not be reached"},
		{"unreachable", resolverFunc(func(_ context.Context, n string) (resolve.Target, error) {
			return resolve.Target{}, &resolve.Error{Kind: resolve.ErrUnreachable, Service: "Sesame", Name: n, Detail: "HTTP 503"}
		}), "HTTP 503"},
		{"bad reply", resolverFunc(func(_ context.Context, n string) (resolve.Target, error) {
			return resolve.Target{}, &resolve.Error{Kind: resolve.ErrBadReply, Service: "Sesame", Name: n, Detail: "not a Sesame XML document"}
		}), "unreadable answer"},
	} {
		// "Paranal" is a site, not a star: the resolver is asked, and its
		// failure leaves the site.
		code, m := astroGet(t, lookupHandler(c.res, 50*time.Millisecond), "/api/astro/lookup?name=Paranal")
		ts, _ := m["targets"].([]any)
		note, _ := m["note"].(string)
		if code != 200 || len(ts) != 1 || ts[0].(map[string]any)["kind"] != "site" || !strings.Contains(note, c.note) {
			t.Errorf("%s: %d %v, want the site and a note saying %q", c.what, code, m, c.note)
		}
	}
}

// TestNodeLookupResolver: a node with NodeOptions.Resolver answers
// /api/astro/lookup from it, as the OpenAPI document says (ts.do checks
// each answer against the document).
func TestNodeLookupResolver(t *testing.T) {
	var asked atomic.Int32
	sesame, err := resolve.NewSesame(resolve.SesameOptions{BaseURLs: []string{sesameStandIn(t, &asked).URL}})
	if err != nil {
		t.Fatal(err)
	}
	ts := startNode(t, NodeOptions{Resolver: resolve.NewCache(sesame, 10, 0)})
	for range 2 {
		var m struct {
			Targets []lookupTarget `json:"targets"`
			Note    string         `json:"note"`
		}
		ts.getJSON(t, "/api/astro/lookup?name=M%2031", &m)
		if len(m.Targets) != 1 || m.Targets[0].Catalogue != "Sesame" || m.Targets[0].Kind != "object" || m.Note != "" {
			t.Errorf("M 31: %+v", m)
		}
		ts.getJSON(t, "/api/astro/lookup?name=Nothing%20at%20all", &m)
		if len(m.Targets) != 0 || m.Note == "" {
			t.Errorf("unknown: %+v", m)
		}
	}
	if asked.Load() != 2 {
		t.Errorf("Sesame asked %d times, want 2 (the cache answers the repeats)", asked.Load())
	}
}
