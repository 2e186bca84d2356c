package eso

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
)

const (
	testUser     = "ICONDOR"
	testPassword = "pa55-w0rd&secret"
)

// jwt returns an unsigned JWT whose payload carries exp; the signature part
// is a placeholder (the archive checks it, the client does not).
func jwt(exp time.Time, tag string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256"}`)) + "." + enc([]byte(fmt.Sprintf(`{"sub":"%s","exp":%d,"tag":%q}`, testUser, exp.Unix(), tag))) + ".c2ln"
}

// tokenServer is an in-process ESO token endpoint: it checks the request
// has the parameters of ESO's own client and answers an id_token valid for
// ttl (and an access_token that must never be used as the bearer).
type tokenServer struct {
	*httptest.Server
	calls atomic.Int32
	ttl   time.Duration
}

func newTokenServer(t *testing.T, ttl time.Duration) *tokenServer {
	ts := &tokenServer{ttl: ttl}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := ts.calls.Add(1)
		q := r.URL.Query()
		for k, v := range map[string]string{"response_type": "id_token token", "grant_type": "password",
			"client_id": "clientid", "client_secret": "clientSecret", "username": testUser} {
			if q.Get(k) != v {
				t.Errorf("token request %s=%q, want %q", k, q.Get(k), v)
			}
		}
		if r.Method != http.MethodGet {
			t.Errorf("token request method %s, want GET", r.Method)
		}
		if q.Get("password") != testPassword {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"invalid_grant","error_description":"Invalid user credentials"}`)
			return
		}
		fmt.Fprintf(w, `{"access_token":"ACCESS-NOT-FOR-ARCHIVE","id_token":%q,"token_type":"Bearer","expires_in":%d}`,
			jwt(time.Now().Add(ts.ttl), fmt.Sprint("id", n)), int(ts.ttl.Seconds()))
	}))
	t.Cleanup(ts.Close)
	return ts
}

// tapServer answers every sync query with the recorded dbo.raw CSV, after
// checking the bearer is an id_token of the token server.
func tapServer(t *testing.T, bearers *[]string) *httptest.Server {
	body, err := os.ReadFile("testdata/query_main_sgra.csv")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		*bearers = append(*bearers, auth)
		if !strings.HasPrefix(auth, "Bearer ") || strings.Contains(auth, "ACCESS") {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "text/csv")
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestOIDCIDTokenBearerCachedAndNeverLogged(t *testing.T) {
	var logs bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(old) })

	tok := newTokenServer(t, time.Hour)
	var bearers []string
	tap := tapServer(t, &bearers)
	t.Setenv(EnvToken, "")
	t.Setenv(EnvUsername, testUser)
	t.Setenv(EnvPassword, testPassword)
	s, err := New(Options{URL: tap.URL, AuthURL: tok.URL, ADQL: replays[0].query, Format: "csv",
		HTTPOptions: connectors.HTTPOptions{Retries: -1, RatePerHost: -1}})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		acts, err := activities.Collect(s.Activities(context.Background(), replays[0].window))
		if err != nil || len(acts) != 23 {
			t.Fatalf("%d activities, %v", len(acts), err)
		}
	}
	if n := tok.calls.Load(); n != 1 {
		t.Errorf("token endpoint asked %d times for two listings, want once (cached until expiry)", n)
	}
	if len(bearers) != 2 || bearers[0] != bearers[1] || !strings.HasPrefix(bearers[0], "Bearer ey") {
		t.Errorf("bearers sent %q, want the same id_token twice", bearers)
	}
	for _, secret := range []string{testPassword, strings.TrimPrefix(bearers[0], "Bearer "), "pa55"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("a secret was logged: %s", logs.String())
		}
	}
	if str := fmt.Sprint(NewOIDC(tok.URL, testUser, testPassword, connectors.HTTPOptions{})); strings.Contains(str, testPassword) {
		t.Errorf("String shows the password: %s", str)
	}
}

func TestOIDCRefreshedBeforeExpiry(t *testing.T) {
	tok := newTokenServer(t, time.Hour)
	o := NewOIDC(tok.URL, testUser, testPassword, connectors.HTTPOptions{Retries: -1, RatePerHost: -1})
	now := time.Now()
	o.now = func() time.Time { return now }
	first, err := o.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(45 * time.Minute) // 15 min left: still valid
	if again, _ := o.Token(context.Background()); again != first || tok.calls.Load() != 1 {
		t.Fatalf("renewed %d times with 15 minutes left", tok.calls.Load()-1)
	}
	now = now.Add(6 * time.Minute) // 9 min left: within TokenMargin
	second, err := o.Token(context.Background())
	if err != nil || second == first || tok.calls.Load() != 2 {
		t.Fatalf("not renewed within the margin: calls %d, %v", tok.calls.Load(), err)
	}
}

func TestOIDCRefused(t *testing.T) {
	tok := newTokenServer(t, time.Hour)
	var bearers []string
	tap := tapServer(t, &bearers)
	t.Setenv(EnvToken, "")
	_, err := activities.Collect(mustNew(t, Options{URL: tap.URL, AuthURL: tok.URL, Username: testUser, Password: "wrong-" + testPassword,
		ADQL: replays[0].query, Format: "csv", HTTPOptions: connectors.HTTPOptions{Retries: -1, RatePerHost: -1}}).
		Activities(context.Background(), replays[0].window))
	var ae *connectors.AuthError
	if !errors.As(err, &ae) || !errors.Is(err, connectors.ErrAuthExpired) {
		t.Fatalf("got %v, want an AuthError matching ErrAuthExpired", err)
	}
	if strings.Contains(err.Error(), testPassword) || !strings.Contains(err.Error(), EnvUsername) {
		t.Fatalf("error %q must name %s and never hold the password", err, EnvUsername)
	}
	if len(bearers) != 0 {
		t.Errorf("the archive was asked without a token: %q", bearers)
	}
	if _, err := New(Options{Username: testUser}); !errors.Is(err, connectors.ErrAuthRequired) {
		t.Errorf("a username without a password: %v", err)
	}
}

func mustNew(t *testing.T, o Options) *Source {
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestJWTExpiry(t *testing.T) {
	exp := time.Unix(1893456000, 0)
	if got, err := jwtExpiry(jwt(exp, "x")); err != nil || !got.Equal(exp) {
		t.Fatalf("%v %v", got, err)
	}
	for _, bad := range []string{"", "a.b", "a.!!!.c", "a." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":1}`)) + ".c"} {
		if _, err := jwtExpiry(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func FuzzJWTExpiry(f *testing.F) {
	f.Add(jwt(time.Unix(1893456000, 0), "x"))
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, s string) {
		if exp, err := jwtExpiry(s); err == nil && exp.Unix() <= 0 {
			t.Fatalf("%q: non-positive expiry %v accepted", s, exp)
		}
	})
}
