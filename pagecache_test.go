package arcsecond

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
)

// BenchmarkListActivities measures GET /api/activities?limit=100 over
// 3,000 activities through the handler, with the page cache (the same
// query while nothing new arrives: a dashboard's poll) and without it, and
// distinct queries with the cache (each a miss: its cost).
//
//	go test -run '^$' -bench ListActivities -benchtime 2000x .
func BenchmarkListActivities(b *testing.B) {
	acts := syntheticActivities(b, 3000)
	base := acts[0].Start
	for _, c := range []struct {
		name     string
		cache    int
		distinct bool
	}{{"cached", 0, false}, {"uncached", -1, false}, {"misses", 0, true}} {
		b.Run(c.name, func(b *testing.B) {
			n, err := NewNode(context.Background(), NodeOptions{Store: storeOf(b, acts), PageCacheBytes: c.cache})
			if err != nil {
				b.Fatal(err)
			}
			defer n.Close()
			h := n.Handler()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				q := "/api/activities?limit=100"
				if c.distinct {
					i++
					q += "&end=" + base.Add(4000*time.Minute+time.Duration(i)*time.Second).Format(time.RFC3339)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("GET", q, nil))
				if rec.Code != 200 {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}

// A page is cached the second time its query is asked; a query asked once
// is streamed and leaves nothing in the cache. Both answers are the same.
func TestPageCacheAdmitsOnSecondAsk(t *testing.T) {
	ts := startNode(t, NodeOptions{Store: storeOf(t, syntheticActivities(t, 300))})
	ask := func(q string) string {
		code, b := ts.do(t, "GET", "/api/activities?"+q, "")
		if code != 200 {
			t.Fatalf("?%s: %d %s", q, code, b)
		}
		return string(b)
	}
	first := ask("limit=250")
	if _, pages := ts.node.pages.size(); pages != 0 {
		t.Fatalf("a query asked once left %d pages in the cache", pages)
	}
	second := ask("junk=1&limit=250") // the same query
	if _, pages := ts.node.pages.size(); pages != 1 {
		t.Fatalf("a query asked twice left %d pages in the cache, want 1", pages)
	}
	third := ask("limit=250") // from the cache
	if first != second || second != third {
		t.Errorf("streamed, built and cached answers differ:\n%.300s\n%.300s\n%.300s", first, second, third)
	}
	var page struct {
		Activities []activities.Activity
		Next       string
	}
	if err := json.Unmarshal([]byte(first), &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Activities) != 250 || page.Next == "" {
		t.Errorf("%d activities, next %q: want 250 and a cursor", len(page.Activities), page.Next)
	}
}

// writePage writes what encoding/json makes of the page's map (no HTML
// escaping), whatever the number of chunks.
func TestWritePage(t *testing.T) {
	acts := syntheticActivities(t, 40)
	acts[3].Target.Name = `<M 31> & "Andromeda" é ☾`
	acts[4].Target.Name = strings.Repeat("y", 3*pageChunk) // a chunk of its own
	for _, c := range []struct {
		name string
		page activities.Page
	}{
		{"empty", activities.Page{}},
		{"one", activities.Page{Activities: acts[:1]}},
		{"several chunks, a cursor", activities.Page{Activities: acts, Next: "c<1>&"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			list := c.page.Activities
			if list == nil {
				list = []activities.Activity{}
			}
			if err := enc.Encode(map[string]any{"activities": list, "next": c.page.Next}); err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := writePage(&got, c.page); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("writePage:\n%.500s\nencoding/json:\n%.500s", got.String(), want.String())
			}
		})
	}
	// A failing writer stops it with the writer's error.
	w := &failingWriter{after: pageChunk}
	if err := writePage(w, activities.Page{Activities: acts}); !errors.Is(err, errWriteFailed) {
		t.Errorf("writePage to a failing writer: %v, want %v", err, errWriteFailed)
	}
}

var errWriteFailed = errors.New("write failed")

// failingWriter fails once it has taken after bytes.
type failingWriter struct{ after, n int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.n+len(p) > f.after {
		return 0, errWriteFailed
	}
	f.n += len(p)
	return len(p), nil
}
