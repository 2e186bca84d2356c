package httpx

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// redacted replaces every credential in URLs, log lines and error strings.
const redacted = "REDACTED"

// sensitiveParam reports whether a query parameter name carries a credential:
// tokens, passwords, secrets, API keys, signatures and session identifiers.
func sensitiveParam(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "key", "sig", "signature", "session", "sessionid", "sid", "jwt", "auth":
		return true
	}
	for _, s := range []string{"token", "passw", "pwd", "secret", "apikey", "api_key", "api-key", "credential", "authorization"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// RedactURL returns raw with its user information and the values of
// credential-looking query parameters (token, access_token, password, secret,
// api_key, key, signature, session, ...) replaced by "REDACTED". It is what
// this package puts in logs and error messages. A string that does not parse
// as a URL is returned with everything after the first '?' or '#' removed.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if i := strings.IndexAny(raw, "?#"); i >= 0 {
			raw = raw[:i]
		}
		// The user information runs to the authority's last @, as
		// url.Parse and browsers read it ("a://u@p@h" has user "u@p").
		// A scheme-relative "//u@h/x" has an authority too.
		start := -1
		if j := strings.Index(raw, "://"); j >= 0 {
			start = j + 3
		} else if strings.HasPrefix(raw, "//") {
			start = 2
		}
		if start >= 0 {
			auth := raw[start:]
			if k := strings.IndexByte(auth, '/'); k >= 0 {
				auth = auth[:k]
			}
			if i := strings.LastIndex(auth, "@"); i >= 0 {
				raw = raw[:start] + redacted + raw[start+i:]
			}
		}
		return raw
	}
	return redactURL(u)
}

func redactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	if c.User != nil {
		c.User = url.User(redacted)
	}
	c.Fragment, c.RawFragment = "", ""
	if c.RawQuery != "" {
		c.RawQuery = redactQuery(c.RawQuery)
	}
	return c.String()
}

// redactQuery rewrites a raw query string keeping the order and encoding of
// harmless parameters and replacing credential values.
func redactQuery(raw string) string {
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, _, hasValue := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if hasValue && sensitiveParam(name) {
			parts[i] = k + "=" + redacted
		}
	}
	return strings.Join(parts, "&")
}

// secretsOf lists the credential strings carried by a request (query values of
// sensitive parameters, URL password, Authorization and Cookie headers and the
// Auth's declared secrets), so that they can be scrubbed from error strings
// produced by lower layers that quote the request.
func secretsOf(req *http.Request, auth Auth) []string {
	var out []string
	add := func(s string) {
		if len(s) >= 3 { // shorter values would scrub innocent text
			out = append(out, s)
		}
	}
	if req != nil && req.URL != nil {
		if req.URL.User != nil {
			add(req.URL.User.Username())
			if p, ok := req.URL.User.Password(); ok {
				add(p)
			}
		}
		for k, vs := range req.URL.Query() {
			if sensitiveParam(k) {
				for _, v := range vs {
					add(v)
					add(url.QueryEscape(v))
				}
			}
		}
		for _, h := range []string{"Authorization", "Proxy-Authorization", "Cookie"} {
			for _, v := range req.Header.Values(h) {
				add(v)
				if _, cred, ok := strings.Cut(v, " "); ok {
					add(cred)
				}
			}
		}
		for _, ck := range req.Cookies() {
			add(ck.Value)
		}
	}
	if s, ok := auth.(interface{ Secrets() []string }); ok {
		for _, v := range s.Secrets() {
			add(v)
		}
	}
	return out
}

// scrub removes every secret from s.
func scrub(s string, secrets []string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, redacted)
		}
	}
	return s
}

// StripURL returns raw without its user information and fragment, and with
// a non-empty query string replaced by "REDACTED" whatever its parameter
// names: for URLs chosen by someone else (a webhook receiver's address),
// where any parameter may be a credential. A string that does not parse as
// a URL is cut at its first '?' or '#' and its user information removed as
// RedactURL does.
func StripURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return RedactURL(raw)
	}
	c := *u
	if c.User != nil {
		c.User = url.User(redacted)
	}
	c.Fragment, c.RawFragment = "", ""
	if c.RawQuery != "" {
		c.RawQuery = redacted
	}
	c.ForceQuery = false
	return c.String()
}

// RedactURLError returns err with the URL quoted by every *url.Error in its
// chain (net/http wraps each failed request in one) passed through redact
// (RedactURL or StripURL), so that the message and every link a caller can
// reach with errors.As or errors.Unwrap are free of the URL's credentials.
// Sentinels below the *url.Error still match with errors.Is. A nil err
// gives nil.
func RedactURLError(err error, redact func(string) string) error {
	if err == nil {
		return nil
	}
	if ue, ok := err.(*url.Error); ok {
		return &url.Error{Op: ue.Op, URL: redact(ue.URL), Err: RedactURLError(ue.Err, redact)}
	}
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	// A *url.Error under other wrappers: keep the message with every
	// occurrence of the raw URL replaced, and unwrap to the redacted copy.
	msg := strings.ReplaceAll(err.Error(), ue.URL, redact(ue.URL))
	return &redactedError{msg: msg, err: RedactURLError(ue, redact)}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
