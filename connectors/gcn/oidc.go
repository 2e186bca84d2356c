package gcn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// tokenSource fetches access tokens from an OAuth 2.0 token endpoint with
// the client-credentials grant (RFC 6749 §4.4; the client authenticates
// with HTTP Basic, §2.3.1), as GCN's Kafka clients do
// (sasl.oauthbearer.method=oidc against https://auth.gcn.nasa.gov/oauth2/token).
// It caches the token and fetches a new one before it expires. The secret
// never appears in errors or logs.
type tokenSource struct {
	url, id, secret, scope string
	hc                     *http.Client
	now                    func() time.Time

	mu      sync.Mutex
	token   string
	expires time.Time
	fetches int // how many tokens were fetched (for tests and stats)
}

// refreshBefore is how long before its expiry a token is replaced: a
// fifth of its lifetime, at most a minute.
func refreshBefore(lifetime time.Duration) time.Duration {
	return min(lifetime/5, time.Minute)
}

// Token returns a valid access token, fetching one when the cached token is
// missing or close to expiry.
func (s *tokenSource) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.token != "" && now.Before(s.expires) {
		return s.token, nil
	}
	tok, lifetime, err := s.fetch(ctx)
	if err != nil {
		return "", err
	}
	s.token, s.expires = tok, now.Add(lifetime-refreshBefore(lifetime))
	s.fetches++
	return tok, nil
}

// maxTokenReply caps the token endpoint's reply.
const maxTokenReply = 1 << 20

func (s *tokenSource) fetch(ctx context.Context) (string, time.Duration, error) {
	form := url.Values{"grant_type": {"client_credentials"}}
	if s.scope != "" {
		form.Set("scope", s.scope)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, strings.NewReader(form.Encode()))
	if err != nil {
		return "", 0, fmt.Errorf("gcn: token endpoint %s: %w", s.url, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.SetBasicAuth(url.QueryEscape(s.id), url.QueryEscape(s.secret))
	resp, err := s.hc.Do(req)
	if err != nil {
		return "", 0, fmt.Errorf("gcn: token endpoint %s: %w", s.url, redactErr(err, s.secret))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenReply))
	if err != nil {
		return "", 0, fmt.Errorf("gcn: token endpoint %s: reading the reply: %w", s.url, err)
	}
	var r struct {
		AccessToken string  `json:"access_token"`
		TokenType   string  `json:"token_type"`
		ExpiresIn   float64 `json:"expires_in"`
		Error       string  `json:"error"`
		Description string  `json:"error_description"`
	}
	jerr := json.Unmarshal(body, &r)
	if resp.StatusCode != http.StatusOK {
		// RFC 6749 §5.2: error and error_description name the problem.
		msg := resp.Status
		if jerr == nil && r.Error != "" {
			msg += ": " + r.Error
			if r.Description != "" {
				msg += " (" + r.Description + ")"
			}
		}
		return "", 0, fmt.Errorf("gcn: token endpoint %s refused the client credentials of client %q: %s", s.url, s.id, strings.ReplaceAll(msg, s.secret, "[redacted]"))
	}
	if jerr != nil {
		return "", 0, fmt.Errorf("gcn: token endpoint %s: the reply is not JSON: %w", s.url, jerr)
	}
	if r.AccessToken == "" {
		return "", 0, fmt.Errorf("gcn: token endpoint %s: no access_token in the reply", s.url)
	}
	if r.TokenType != "" && !strings.EqualFold(r.TokenType, "bearer") {
		return "", 0, fmt.Errorf("gcn: token endpoint %s: token_type %q is not bearer", s.url, r.TokenType)
	}
	lifetime := time.Duration(r.ExpiresIn * float64(time.Second))
	if r.ExpiresIn <= 0 || r.ExpiresIn > 30*86400 {
		// RFC 6749 §5.1: expires_in is recommended, not required;
		// assume an hour when it is absent or absurd.
		lifetime = time.Hour
	}
	return r.AccessToken, lifetime, nil
}

// redactErr hides the secret should an error ever quote it (a URL with
// credentials, say).
func redactErr(err error, secret string) error {
	if secret == "" || !strings.Contains(err.Error(), secret) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), secret, "[redacted]"))
}
