package eso

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// DefaultAuthURL is ESO's OIDC token endpoint
// (astropy/astroquery@2e8c636:astroquery/eso/core.py, EsoClass.AUTH_URL).
const DefaultAuthURL = "https://www.eso.org/sso/oidc/token"

// TokenMargin is how long before its expiry a token is renewed, as ESO's
// own client does (10 minutes).
const TokenMargin = 10 * time.Minute

// OIDC obtains ESO id_tokens with the resource-owner password grant, the
// flow of ESO's programmatic access, and caches each until TokenMargin
// before it expires. The id_token, not the access token, is what the
// archive accepts as the bearer. Neither the password nor a token is ever
// logged or put in an error. It is safe for concurrent use.
type OIDC struct {
	url, user, password string
	http                *httpx.Client
	now                 func() time.Time

	mu  sync.Mutex
	tok string
	exp time.Time
}

// NewOIDC returns a token source for the endpoint authURL (DefaultAuthURL
// when empty).
func NewOIDC(authURL, username, password string, o connectors.HTTPOptions) *OIDC {
	if authURL == "" {
		authURL = DefaultAuthURL
	}
	return &OIDC{url: authURL, user: username, password: password,
		http: httpx.New(httpx.Options{Transport: o.RoundTripper(), Timeout: o.Timeout, MaxRetries: o.Retries, RatePerHost: o.RatePerHost}),
		now:  time.Now}
}

// Token returns a valid id_token, asking the endpoint for a new one when
// none is cached or the cached one expires within TokenMargin.
func (s *OIDC) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok != "" && s.now().Before(s.exp.Add(-TokenMargin)) {
		return s.tok, nil
	}
	s.tok = ""
	q := url.Values{
		"response_type": {"id_token token"},
		"grant_type":    {"password"},
		"client_id":     {"clientid"},
		"client_secret": {"clientSecret"},
		"username":      {s.user},
		"password":      {s.password},
	}
	resp, err := s.http.Get(ctx, s.url, q)
	if err != nil {
		var se *httpx.StatusError
		if errors.As(err, &se) && se.StatusCode >= 400 && se.StatusCode < 500 && se.StatusCode != 408 && se.StatusCode != 429 {
			return "", &connectors.AuthError{Source: Name, StatusCode: se.StatusCode, HadToken: true,
				Env: EnvUsername + " and " + EnvPassword, Message: "the ESO token endpoint refused the username or password"}
		}
		return "", fmt.Errorf("ESO token endpoint: %s", s.scrub(err.Error()))
	}
	var reply struct {
		IDToken string `json:"id_token"`
	}
	if err := json.Unmarshal(resp.Body, &reply); err != nil || reply.IDToken == "" {
		return "", &connectors.SchemaError{Source: Name, Column: "id_token", Reason: "the token endpoint's reply has no id_token"}
	}
	exp, err := jwtExpiry(reply.IDToken)
	if err != nil {
		return "", &connectors.SchemaError{Source: Name, Column: "id_token", Reason: err.Error()}
	}
	s.tok, s.exp = reply.IDToken, exp
	return s.tok, nil
}

// scrub removes the password from a message.
func (s *OIDC) scrub(msg string) string {
	if s.password != "" {
		msg = strings.ReplaceAll(msg, s.password, "REDACTED")
		msg = strings.ReplaceAll(msg, url.QueryEscape(s.password), "REDACTED")
	}
	return msg
}

// String never shows the credentials.
func (s *OIDC) String() string { return "eso.OIDC(" + s.url + ", <redacted>)" }

// jwtExpiry reads the exp claim (seconds since 1970) of a JWT's payload,
// without checking its signature: the archive does that.
func jwtExpiry(tok string) (time.Time, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return time.Time{}, errors.New("the id_token is not a JWT (want three dot-separated parts)")
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}, errors.New("the id_token's payload is not base64url")
	}
	var claims struct {
		Exp json.Number `json:"exp"`
	}
	d := json.NewDecoder(bytes.NewReader(payload))
	d.UseNumber()
	if err := d.Decode(&claims); err != nil || claims.Exp == "" {
		return time.Time{}, errors.New("the id_token has no exp claim")
	}
	sec, err := claims.Exp.Float64()
	if err != nil || sec <= 0 {
		return time.Time{}, fmt.Errorf("the id_token's exp %q is not a time", claims.Exp)
	}
	return time.Unix(int64(sec), 0), nil
}
