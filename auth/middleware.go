package auth

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
)

type ctxKey struct{}

// NewContext returns ctx carrying id.
func NewContext(ctx context.Context, id *Identity) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// FromContext returns the identity in ctx, nil for an anonymous request.
func FromContext(ctx context.Context) *Identity {
	id, _ := ctx.Value(ctxKey{}).(*Identity)
	return id
}

// Authenticator turns a request's credentials into an identity: an API
// key (Authorization: Bearer arc_…, or X-API-Key) checked by Keys, or
// another bearer token checked by OIDC.
type Authenticator struct {
	Keys *Keys
	OIDC *OIDC // nil: bearer JWTs are refused
	// Logger receives a warning for each failed authentication (never
	// the secret).
	Logger *slog.Logger
}

// Credentials returns the token a request carries, "" when none.
func Credentials(r *http.Request) string {
	if k := r.Header.Get("X-API-Key"); k != "" {
		return strings.TrimSpace(k)
	}
	h := r.Header.Get("Authorization")
	if scheme, tok, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(tok)
	}
	if h != "" {
		return h // an unsupported scheme: invalid credentials
	}
	return ""
}

// Authenticate returns the request's identity: nil and no error when it
// carries no credentials, an error wrapping ErrInvalid when they are
// invalid.
func (a *Authenticator) Authenticate(r *http.Request) (*Identity, error) {
	tok := Credentials(r)
	switch {
	case tok == "":
		return nil, nil
	case strings.HasPrefix(tok, keyPrefix):
		if a.Keys == nil {
			return nil, errors.Join(ErrInvalid, errors.New("API keys are not accepted"))
		}
		return a.Keys.Verify(r.Context(), tok)
	case strings.Count(tok, ".") == 2 && a.OIDC != nil:
		return a.OIDC.Verify(r.Context(), tok)
	}
	return nil, errors.Join(ErrInvalid, errors.New("neither an API key nor a JWT"))
}

// Middleware authenticates every request, passing it on with its identity
// (if any) in its context; invalid credentials are answered 401.
func (a *Authenticator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := a.Authenticate(r)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		if id != nil {
			r = r.WithContext(NewContext(r.Context(), id))
		}
		next.ServeHTTP(w, r)
	})
}

// Fail logs a failed authentication (Authenticate's error, which never
// holds the secret) and answers it: 401, or 503 when the credentials could
// not be checked.
func (a *Authenticator) Fail(w http.ResponseWriter, r *http.Request, err error) {
	if a.Logger != nil {
		// The errors of Verify name the key's ID, never its secret; a
		// failing lookup is logged as an error.
		lvl := slog.LevelWarn
		if !errors.Is(err, ErrInvalid) {
			lvl = slog.LevelError
		}
		a.Logger.Log(r.Context(), lvl, "authentication failed", "remote", r.RemoteAddr, "method", r.Method, "path", r.URL.Path, "reason", err.Error())
	}
	if !errors.Is(err, ErrInvalid) {
		WriteError(w, http.StatusServiceUnavailable, "cannot check credentials now")
		return
	}
	Unauthorized(w, "invalid or expired credentials")
}

// Unauthorized answers 401 with a WWW-Authenticate challenge.
func Unauthorized(w http.ResponseWriter, msg string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="arcsecond"`)
	WriteError(w, http.StatusUnauthorized, msg)
}

// WriteError answers status with the API's error body {"error": msg}.
func WriteError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}
