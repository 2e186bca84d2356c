package arcsecond

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/arcsecond-go/arcsecond/auth"
)

// BenchmarkAuthOverhead serves GET /api/version through the handler of a
// node without accounts, and of one with accounts (keys in its SQLite
// database) anonymously and with an API key: the cost of the guard and of
// the key lookup.
func BenchmarkAuthOverhead(b *testing.B) {
	ctx := context.Background()
	open := func(ao *AuthOptions) *Node {
		n, err := NewNode(ctx, NodeOptions{DBPath: filepath.Join(b.TempDir(), "n.db"), Auth: ao, Logger: discardLogger()})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { n.Close() })
		return n
	}
	plain := open(nil)
	high := &AuthOptions{KeyRate: 1e12, KeyBurst: 1 << 30, IPRate: 1e12, IPBurst: 1 << 30}
	withAuth := open(high)
	key, _, err := withAuth.Keys().Create(ctx, auth.KeyOptions{Owner: "alice"})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		n    *Node
		key  string
	}{{"no-accounts", plain, ""}, {"accounts/anonymous", withAuth, ""}, {"accounts/key", withAuth, key}} {
		b.Run(c.name, func(b *testing.B) {
			h := c.n.Handler()
			for b.Loop() {
				req := httptest.NewRequest("GET", "/api/version", nil)
				if c.key != "" {
					req.Header.Set("Authorization", "Bearer "+c.key)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatalf("%d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
