// Package authtest is an in-process OpenID Connect issuer for tests: it
// serves a discovery document and a JWKS from an httptest server and signs
// tokens with a generated RSA key.
package authtest

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Issuer is an OIDC provider serving its discovery document and JWKS.
type Issuer struct {
	// URL is the issuer's URL (its "iss").
	URL string
	// Key signs tokens; its public half is in the JWKS under KeyID "k1".
	Key *rsa.PrivateKey
}

// NewIssuer starts an issuer, stopped at the end of the test.
func NewIssuer(t testing.TB) *Issuer {
	t.Helper()
	is := &Issuer{Key: NewKey(t)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{
			"issuer": is.URL, "jwks_uri": is.URL + "/keys", "authorization_endpoint": is.URL + "/auth",
			"token_endpoint": is.URL + "/token", "id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	mux.HandleFunc("GET /keys", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &is.Key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	is.URL = hs.URL
	return is
}

// NewKey generates an RSA key.
func NewKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Claims are the usual claims of a token of the issuer for audience and
// subject, valid for an hour.
func (is *Issuer) Claims(audience, subject string) map[string]any {
	now := time.Now()
	return map[string]any{"iss": is.URL, "aud": audience, "sub": subject, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
}

// Token signs claims with the issuer's key.
func (is *Issuer) Token(t testing.TB, claims map[string]any) string {
	return Sign(t, is.Key, "k1", claims)
}

// Sign signs claims with key under the key ID kid (RS256).
func Sign(t testing.TB, key *rsa.PrivateKey, kid string, claims map[string]any) string {
	t.Helper()
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
