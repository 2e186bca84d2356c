package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
)

// OIDCOptions configure an [OIDC] verifier.
type OIDCOptions struct {
	// Issuer is the provider's issuer URL; its discovery document
	// (Issuer + "/.well-known/openid-configuration") names the JWKS.
	Issuer string
	// Audience must be among the token's "aud" values.
	Audience string
	// OwnerClaim names the claim holding the owner (default "sub").
	OwnerClaim string
	// RoleClaim names the claim holding the role: a string or an array of
	// strings, of which the first that is a role counts (default "role").
	RoleClaim string
	// DefaultRole is the role of a token without one (default RoleReader).
	DefaultRole Role
	// Client fetches the discovery document and the keys
	// (http.DefaultClient when nil).
	Client *http.Client
}

// OIDC verifies bearer JWTs issued by an OpenID Connect provider.
type OIDC struct {
	o        OIDCOptions
	verifier *oidc.IDTokenVerifier
}

// NewOIDC reads the issuer's discovery document and returns a verifier;
// the signing keys are fetched from its JWKS when needed.
func NewOIDC(ctx context.Context, o OIDCOptions) (*OIDC, error) {
	if o.Issuer == "" || o.Audience == "" {
		return nil, errors.New("auth: OIDC needs an issuer and an audience")
	}
	if o.OwnerClaim == "" {
		o.OwnerClaim = "sub"
	}
	if o.RoleClaim == "" {
		o.RoleClaim = "role"
	}
	if o.DefaultRole == "" {
		o.DefaultRole = RoleReader
	}
	if _, err := ParseRole(string(o.DefaultRole)); err != nil {
		return nil, err
	}
	// The key set outlives ctx: it fetches keys when they rotate.
	pctx := context.WithoutCancel(ctx)
	if o.Client != nil {
		pctx = oidc.ClientContext(pctx, o.Client)
	}
	p, err := oidc.NewProvider(pctx, o.Issuer)
	if err != nil {
		return nil, fmt.Errorf("auth: OIDC issuer %s: %w", o.Issuer, err)
	}
	return &OIDC{o: o, verifier: p.Verifier(&oidc.Config{ClientID: o.Audience})}, nil
}

// Verify checks a JWT (signature, issuer, audience, expiry) and returns
// its identity, or an error wrapping ErrInvalid.
func (v *OIDC) Verify(ctx context.Context, raw string) (*Identity, error) {
	tok, err := v.verifier.Verify(ctx, raw)
	if err != nil {
		return nil, fmt.Errorf("%w: JWT: %v", ErrInvalid, err)
	}
	var claims map[string]any
	if err := tok.Claims(&claims); err != nil {
		return nil, fmt.Errorf("%w: JWT claims: %v", ErrInvalid, err)
	}
	owner, _ := claims[v.o.OwnerClaim].(string)
	if strings.TrimSpace(owner) == "" {
		return nil, fmt.Errorf("%w: JWT without the owner claim %q", ErrInvalid, v.o.OwnerClaim)
	}
	role := v.o.DefaultRole
	switch c := claims[v.o.RoleClaim].(type) {
	case string:
		if r, err := ParseRole(c); err == nil {
			role = r
		}
	case []any:
		for _, x := range c {
			if s, ok := x.(string); ok {
				if r, err := ParseRole(s); err == nil {
					role = r
					break
				}
			}
		}
	}
	id := &Identity{Owner: owner, Role: role, KeyID: "oidc:" + tok.Subject}
	if role == RolePublisher {
		id.Source, _ = claims["source"].(string)
	}
	return id, nil
}
