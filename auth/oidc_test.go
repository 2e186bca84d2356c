package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// issuer is an in-process OIDC provider: discovery document and JWKS.
type issuer struct {
	*httptest.Server
	key *rsa.PrivateKey
}

func newIssuer(t testing.TB) *issuer {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	is := &issuer{key: key}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{
			"issuer": is.URL, "jwks_uri": is.URL + "/keys", "authorization_endpoint": is.URL + "/auth",
			"token_endpoint": is.URL + "/token", "id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	mux.HandleFunc("/keys", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	is.Server = httptest.NewServer(mux)
	t.Cleanup(is.Close)
	return is
}

// token signs claims with key under kid.
func token(t testing.TB, key *rsa.PrivateKey, kid string, claims map[string]any) string {
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid))
	if err != nil {
		t.Fatal(err)
	}
	s, err := jwt.Signed(sig).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOIDC(t *testing.T) {
	is := newIssuer(t)
	ctx := context.Background()
	v, err := NewOIDC(ctx, OIDCOptions{Issuer: is.URL, Audience: "arcsecond", RoleClaim: "roles"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	claims := func(mod func(map[string]any)) map[string]any {
		c := map[string]any{"iss": is.URL, "aud": "arcsecond", "sub": "alice", "exp": now.Add(time.Hour).Unix(),
			"iat": now.Unix(), "roles": []string{"staff", "user"}}
		if mod != nil {
			mod(c)
		}
		return c
	}
	id, err := v.Verify(ctx, token(t, is.key, "k1", claims(nil)))
	if err != nil || id.Owner != "alice" || id.Role != RoleUser {
		t.Fatalf("good token: %+v, %v", id, err)
	}
	id, err = v.Verify(ctx, token(t, is.key, "k1", claims(func(c map[string]any) { delete(c, "roles") })))
	if err != nil || id.Role != RoleReader {
		t.Fatalf("token without role: %+v, %v", id, err)
	}
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	for name, tok := range map[string]string{
		"wrong audience":  token(t, is.key, "k1", claims(func(c map[string]any) { c["aud"] = "someone-else" })),
		"expired":         token(t, is.key, "k1", claims(func(c map[string]any) { c["exp"] = now.Add(-time.Minute).Unix() })),
		"unknown key":     token(t, other, "k2", claims(nil)),
		"unknown key, k1": token(t, other, "k1", claims(nil)),
		"wrong issuer":    token(t, is.key, "k1", claims(func(c map[string]any) { c["iss"] = "https://evil.example" })),
		"no owner":        token(t, is.key, "k1", claims(func(c map[string]any) { delete(c, "sub") })),
		"junk":            "a.b.c",
	} {
		if id, err := v.Verify(ctx, tok); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Verify = %+v, %v; want ErrInvalid", name, id, err)
		}
	}
}
