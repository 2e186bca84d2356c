package httpx

import (
	"net/http"
)

// Auth adds credentials to an outgoing request. A Client applies it to every
// attempt of a request and to redirects that stay on the request's original
// host, never to a redirect to another host. Apply must not keep req.
//
// An Auth may also implement
//
//	Secrets() []string
//
// to list credential strings that must never appear in logs or errors;
// the implementations in this package do.
type Auth interface {
	Apply(req *http.Request) error
}

// BearerToken sends "Authorization: Bearer <token>".
type BearerToken string

// Apply implements Auth.
func (t BearerToken) Apply(req *http.Request) error {
	req.Header.Set("Authorization", "Bearer "+string(t))
	return nil
}

// Secrets implements the optional secret listing of Auth.
func (t BearerToken) Secrets() []string { return []string{string(t)} }

// String never reveals the token.
func (t BearerToken) String() string { return "BearerToken(" + redacted + ")" }

// BasicAuth sends HTTP basic credentials.
type BasicAuth struct {
	User, Password string
}

// Apply implements Auth.
func (a BasicAuth) Apply(req *http.Request) error {
	req.SetBasicAuth(a.User, a.Password)
	return nil
}

// Secrets implements the optional secret listing of Auth.
func (a BasicAuth) Secrets() []string {
	v := http.Request{Header: http.Header{}}
	v.SetBasicAuth(a.User, a.Password)
	_, enc, _ := cutSpace(v.Header.Get("Authorization"))
	return []string{a.Password, enc}
}

// String never reveals the password.
func (a BasicAuth) String() string { return "BasicAuth(" + a.User + ":" + redacted + ")" }

// CookieSession sends session cookies (for services that log in through a
// form and then recognise a cookie).
type CookieSession []*http.Cookie

// Apply implements Auth.
func (s CookieSession) Apply(req *http.Request) error {
	for _, c := range s {
		req.AddCookie(c)
	}
	return nil
}

// Secrets implements the optional secret listing of Auth.
func (s CookieSession) Secrets() []string {
	out := make([]string, 0, len(s))
	for _, c := range s {
		out = append(out, c.Value)
	}
	return out
}

// String never reveals the cookie values.
func (s CookieSession) String() string { return "CookieSession(" + redacted + ")" }

// AuthFunc adapts a function to Auth (it declares no secrets).
type AuthFunc func(req *http.Request) error

// Apply implements Auth.
func (f AuthFunc) Apply(req *http.Request) error { return f(req) }

func cutSpace(s string) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}
