package arcsecond

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/auth"
	"github.com/arcsecond-go/arcsecond/auth/authtest"
)

// authServer is a node with accounts served through httptest, with keys
// for alice and bob (users), rita (reader), obs (publisher for "myobs")
// and root (admin).
type authServer struct {
	t    *testing.T
	node *Node
	hs   *httptest.Server
	keys map[string]string
	db   string // the node's database file
}

func newAuthServer(t *testing.T, ao AuthOptions) *authServer {
	t.Helper()
	return newAuthServerWith(t, NodeOptions{Auth: &ao})
}

// newAuthServerWith is newAuthServer with more options (o.Auth set).
func newAuthServerWith(t *testing.T, o NodeOptions) *authServer {
	t.Helper()
	db := filepath.Join(t.TempDir(), "node.db")
	o.DBPath, o.Logger = db, discardLogger()
	n, err := NewNode(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	s := &authServer{t: t, node: n, hs: httptest.NewServer(n.Handler()), keys: map[string]string{}, db: db}
	t.Cleanup(s.hs.Close)
	for _, k := range []auth.KeyOptions{
		{Owner: "alice"}, {Owner: "bob"}, {Owner: "rita", Role: auth.RoleReader},
		{Owner: "obs", Role: auth.RolePublisher, Source: "myobs"}, {Owner: "root", Role: auth.RoleAdmin},
	} {
		sec, _, err := n.Keys().Create(context.Background(), k)
		if err != nil {
			t.Fatal(err)
		}
		s.keys[k.Owner] = sec
	}
	return s
}

// call sends a request with who's key ("" for none) and checks the
// request and the answer against the OpenAPI document.
func (s *authServer) call(who, method, path, ctype, body string) (int, []byte) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.hs.URL+path, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if k, ok := s.keys[who]; ok {
		req.Header.Set("Authorization", "Bearer "+k)
	} else if who != "" {
		req.Header.Set("Authorization", "Bearer "+who) // a raw token
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	checkAPI(s.t, req, []byte(body), resp, b)
	return resp.StatusCode, b
}

func (s *authServer) want(who, method, path, body string, status int) []byte {
	s.t.Helper()
	ctype := ""
	if body != "" {
		ctype = "application/json"
	}
	got, b := s.call(who, method, path, ctype, body)
	if got != status {
		s.t.Fatalf("%s %s as %q: %d %s, want %d", method, path, who, got, b, status)
	}
	return b
}

const aliceSub = `{"id": "a1", "criteria": {"sources": ["eso"]}, "delivery": {"email": {"to": "alice@example.org"}}}`
const bobSub = `{"id": "b1", "criteria": {"sources": ["hst"]}, "delivery": {"email": {"to": "bob@example.org"}}}`

func subIDs(t *testing.T, b []byte) []string {
	var v struct {
		Subscriptions []struct {
			ID, Owner string
			Delivery  struct{ Email struct{ To string } }
		}
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	var ids []string
	for _, s := range v.Subscriptions {
		ids = append(ids, s.ID+"/"+s.Owner+"/"+s.Delivery.Email.To)
	}
	return ids
}

func TestAuthSubscriptions(t *testing.T) {
	s := newAuthServer(t, AuthOptions{})
	// Without a key: the feed is public, writes and subscriptions are 401.
	s.want("", "GET", "/api/activities", "", 200)
	s.want("", "GET", "/api/sources", "", 200)
	s.want("", "POST", "/api/subscriptions", aliceSub, 401)
	s.want("", "GET", "/api/subscriptions", "", 401)
	s.want("", "DELETE", "/api/subscriptions/a1", "", 401)
	s.want("arc_0123456789abcdef_"+strings.Repeat("A", 43), "GET", "/api/activities", "", 401)
	s.want("not-a-key", "GET", "/api/activities", "", 401)

	s.want("alice", "POST", "/api/subscriptions", aliceSub, 201)
	s.want("bob", "POST", "/api/subscriptions", bobSub, 201)
	s.want("rita", "POST", "/api/subscriptions", `{"id": "r1", "match_all": true}`, 403)
	s.want("obs", "POST", "/api/subscriptions", `{"id": "o1", "match_all": true}`, 403)

	// Alice sees only hers; bob's is 404 to her, and she cannot delete it.
	if got := subIDs(t, s.want("alice", "GET", "/api/subscriptions", "", 200)); len(got) != 1 || got[0] != "a1/alice/alice@example.org" {
		t.Errorf("alice lists %v", got)
	}
	s.want("alice", "GET", "/api/subscriptions/b1", "", 404)
	s.want("alice", "GET", "/api/subscriptions/b1/matches", "", 404)
	s.want("alice", "DELETE", "/api/subscriptions/b1", "", 404)
	s.want("bob", "GET", "/api/subscriptions/b1", "", 200)
	// The reader has none.
	if got := subIDs(t, s.want("rita", "GET", "/api/subscriptions", "", 200)); len(got) != 0 {
		t.Errorf("rita lists %v", got)
	}
	// The admin sees both, without the others' addresses.
	got := subIDs(t, s.want("root", "GET", "/api/subscriptions", "", 200))
	if strings.Join(got, " ") != "a1/alice/(hidden) b1/bob/(hidden)" {
		t.Errorf("admin lists %v", got)
	}
	// IDs are scoped per owner: the admin names alice's explicitly.
	s.want("root", "GET", "/api/subscriptions/a1", "", 404)
	if b := s.want("root", "GET", "/api/subscriptions/a1?owner=alice", "", 200); strings.Contains(string(b), "alice@") {
		t.Errorf("admin sees alice's address: %s", b)
	}
	// A client-given owner is ignored unless the caller is an admin.
	b := s.want("alice", "POST", "/api/subscriptions", `{"id": "a2", "owner": "bob", "match_all": true}`, 201)
	if !strings.Contains(string(b), `"owner":"alice"`) {
		t.Errorf("owner taken from the body: %s", b)
	}
	s.want("alice", "DELETE", "/api/subscriptions/a2", "", 204)
	s.want("bob", "DELETE", "/api/subscriptions/b1", "", 204)
	s.want("bob", "GET", "/api/subscriptions/b1", "", 404)
	s.want("alice", "GET", "/api/subscriptions/a1/matches", "", 200)

	// Revocation and expiry take effect at once.
	ctx := context.Background()
	ks := s.node.Keys()
	kid, _ := auth.KeyID(s.keys["alice"])
	if err := ks.Revoke(ctx, kid); err != nil {
		t.Fatal(err)
	}
	s.want("alice", "GET", "/api/subscriptions", "", 401)
	s.want("alice", "GET", "/api/activities", "", 401)
	sec, _, err := ks.Create(ctx, auth.KeyOptions{Owner: "carol", TTL: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Millisecond)
	s.keys["carol"] = sec
	s.want("carol", "GET", "/api/subscriptions", "", 401)
}

func TestAuthSubscriptionCap(t *testing.T) {
	s := newAuthServer(t, AuthOptions{MaxSubscriptions: 2})
	s.want("alice", "POST", "/api/subscriptions", `{"id": "x1", "match_all": true}`, 201)
	s.want("alice", "POST", "/api/subscriptions", `{"id": "x2", "match_all": true}`, 201)
	s.want("alice", "POST", "/api/subscriptions", `{"id": "x3", "match_all": true}`, 403)
	s.want("bob", "POST", "/api/subscriptions", `{"id": "y1", "match_all": true}`, 201)
	s.want("alice", "DELETE", "/api/subscriptions/x1", "", 204)
	s.want("alice", "POST", "/api/subscriptions", `{"id": "x3", "match_all": true}`, 201)
}

func TestAuthPrivate(t *testing.T) {
	s := newAuthServer(t, AuthOptions{Private: true})
	s.want("", "GET", "/api/activities", "", 401)
	s.want("", "GET", "/api/sources", "", 401)
	s.want("", "GET", "/activities/events", "", 401)
	s.want("", "GET", "/activities/live", "", 401)
	s.want("rita", "GET", "/api/activities", "", 200)
	s.want("", "GET", "/healthz", "", 200)
	s.want("", "GET", "/api/openapi.json", "", 200)
}

func TestAuthRateLimit(t *testing.T) {
	s := newAuthServer(t, AuthOptions{KeyRate: 0.01, KeyBurst: 3, IPRate: 0.01, IPBurst: 2})
	for range 3 {
		s.want("alice", "GET", "/api/activities", "", 200)
	}
	req, _ := http.NewRequest("GET", s.hs.URL+"/api/activities", nil)
	req.Header.Set("X-API-Key", s.keys["alice"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("4th request: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	s.want("bob", "GET", "/api/activities", "", 200) // another key has its own bucket
	s.want("", "GET", "/api/activities", "", 200)
	s.want("", "GET", "/api/activities", "", 200)
	s.want("", "GET", "/api/activities", "", 429)
}

func TestAuthStreamCap(t *testing.T) {
	s := newAuthServer(t, AuthOptions{MaxStreams: 1})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.hs.URL+"/activities/events", nil)
	req.Header.Set("X-API-Key", s.keys["bob"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("first stream: %d", resp.StatusCode)
	}
	s.want("bob", "GET", "/activities/events", "", 429)
	s.want("alice", "GET", "/api/activities", "", 200)
}

func TestAuthPublish(t *testing.T) {
	s := newAuthServer(t, AuthOptions{MaxPublishBytes: 4096})
	line := func(id, source string) string {
		return `{"id": "` + source + `:` + id + `", "source": "` + source + `", "kind": "planned", "facility": "Obs 1m", "start": "2026-11-20T00:00:00Z", "end": "2026-11-20T00:10:00Z", "revision": 1}` + "\n"
	}
	const nd = "application/x-ndjson"
	body := line("n1", "myobs") + "\n" + line("n2", "myobs")
	if st, b := s.call("", "POST", "/api/activities", nd, body); st != 401 {
		t.Fatalf("anonymous publish: %d %s", st, b)
	}
	if st, b := s.call("bob", "POST", "/api/activities", nd, body); st != 403 {
		t.Fatalf("user publish: %d %s", st, b)
	}
	if st, b := s.call("obs", "POST", "/api/activities", nd, line("n3", "eso")); st != 403 {
		t.Fatalf("publish for another source: %d %s", st, b)
	}
	if st, b := s.call("obs", "POST", "/api/activities", "text/plain", body); st != 415 {
		t.Fatalf("text/plain: %d %s", st, b)
	}
	if st, b := s.call("obs", "POST", "/api/activities", nd, `{"id": "myobs:x", "source": "myobs"}`); st != 400 || !strings.Contains(string(b), "line 1") {
		t.Fatalf("invalid activity: %d %s", st, b)
	}
	if st, b := s.call("obs", "POST", "/api/activities", nd, strings.Repeat(line("n9", "myobs"), 40)); st != 413 {
		t.Fatalf("oversized: %d %s", st, b)
	}
	st, b := s.call("obs", "POST", "/api/activities", nd, body)
	if st != 200 || !strings.Contains(string(b), `"announced":2`) {
		t.Fatalf("publish: %d %s", st, b)
	}
	s.want("", "GET", "/api/activities/myobs:n2", "", 200)
	// Nothing of the refused bodies was stored.
	s.want("", "GET", "/api/activities/eso:n3", "", 404)
}

func TestAuthOIDC(t *testing.T) {
	is := authtest.NewIssuer(t)
	v, err := auth.NewOIDC(context.Background(), auth.OIDCOptions{Issuer: is.URL, Audience: "arcsecond"})
	if err != nil {
		t.Fatal(err)
	}
	s := newAuthServer(t, AuthOptions{OIDC: v, Private: true})
	tok := func(mod func(map[string]any)) string {
		c := is.Claims("arcsecond", "dana")
		c["role"] = "user"
		if mod != nil {
			mod(c)
		}
		return is.Token(t, c)
	}
	b := s.want(tok(nil), "POST", "/api/subscriptions", `{"id": "d1", "match_all": true}`, 201)
	if !strings.Contains(string(b), `"owner":"dana"`) {
		t.Errorf("owner from the JWT: %s", b)
	}
	s.want(tok(nil), "GET", "/api/subscriptions/d1", "", 200)
	s.want("alice", "GET", "/api/subscriptions/d1", "", 404)
	for name, bad := range map[string]string{
		"wrong audience": tok(func(c map[string]any) { c["aud"] = "other" }),
		"expired":        tok(func(c map[string]any) { c["exp"] = time.Now().Add(-time.Minute).Unix() }),
		"unknown key":    authtest.Sign(t, authtest.NewKey(t), "k1", is.Claims("arcsecond", "dana")),
	} {
		if st, b := s.call(bad, "GET", "/api/activities", "", ""); st != 401 {
			t.Errorf("%s: %d %s", name, st, b)
		}
	}
}

func TestAuthFailureLogged(t *testing.T) {
	logs := &syncBuffer{}
	ao := AuthOptions{}
	n, err := NewNode(context.Background(), NodeOptions{Auth: &ao, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	sec, k, err := n.Keys().Create(context.Background(), auth.KeyOptions{Owner: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	wrong := sec[:len(sec)-4] + "AAAA"
	if wrong == sec {
		wrong = sec[:len(sec)-4] + "BBBB"
	}
	for _, h := range []string{"Bearer " + wrong, "Bearer not-a-key-but-secret-text"} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/api/subscriptions", nil)
		req.Header.Set("Authorization", h)
		n.Handler().ServeHTTP(rec, req)
		if rec.Code != 401 || rec.Header().Get("WWW-Authenticate") == "" {
			t.Fatalf("%d %v", rec.Code, rec.Header())
		}
	}
	got := logs.String()
	if strings.Count(got, "authentication failed") != 2 || !strings.Contains(got, k.ID) {
		t.Errorf("logs:\n%s", got)
	}
	for _, secret := range []string{wrong[len("arc_")+17:], sec[len("arc_")+17:], "secret-text"} {
		if strings.Contains(got, secret) {
			t.Errorf("the logs show a secret %q:\n%s", secret, got)
		}
	}
}

// TestAuthTokenCommandLive manages the keys of a running node's database
// with the token command (what "activityd token" runs): a key created
// there works at once, and a key revoked there stops at once.
func TestAuthTokenCommandLive(t *testing.T) {
	s := newAuthServer(t, AuthOptions{})
	var out bytes.Buffer
	if err := auth.TokenCommand(context.Background(), []string{"create", "--owner", "erin", "--db", s.db}, "", &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	secret, _, _ := strings.Cut(out.String(), "\n")
	s.keys["erin"] = secret
	s.want("erin", "POST", "/api/subscriptions", `{"id": "e1", "match_all": true}`, 201)
	id, _ := auth.KeyID(secret)
	if err := auth.TokenCommand(context.Background(), []string{"revoke", "--db", s.db, id}, "", io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	s.want("erin", "GET", "/api/subscriptions/e1", "", 401)
}
