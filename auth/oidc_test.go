package auth_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/auth"
	"github.com/arcsecond-go/arcsecond/auth/authtest"
)

func TestOIDC(t *testing.T) {
	is := authtest.NewIssuer(t)
	ctx := context.Background()
	v, err := auth.NewOIDC(ctx, auth.OIDCOptions{Issuer: is.URL, Audience: "arcsecond", RoleClaim: "roles"})
	if err != nil {
		t.Fatal(err)
	}
	claims := func(mod func(map[string]any)) map[string]any {
		c := is.Claims("arcsecond", "alice")
		c["roles"] = []string{"staff", "user"}
		if mod != nil {
			mod(c)
		}
		return c
	}
	id, err := v.Verify(ctx, is.Token(t, claims(nil)))
	if err != nil || id.Owner != "alice" || id.Role != auth.RoleUser {
		t.Fatalf("good token: %+v, %v", id, err)
	}
	id, err = v.Verify(ctx, is.Token(t, claims(func(c map[string]any) { delete(c, "roles") })))
	if err != nil || id.Role != auth.RoleReader {
		t.Fatalf("token without role: %+v, %v", id, err)
	}
	other := authtest.NewKey(t)
	for name, tok := range map[string]string{
		"wrong audience":  is.Token(t, claims(func(c map[string]any) { c["aud"] = "someone-else" })),
		"expired":         is.Token(t, claims(func(c map[string]any) { c["exp"] = time.Now().Add(-time.Minute).Unix() })),
		"unknown key":     authtest.Sign(t, other, "k2", claims(nil)),
		"unknown key, k1": authtest.Sign(t, other, "k1", claims(nil)),
		"wrong issuer":    is.Token(t, claims(func(c map[string]any) { c["iss"] = "https://evil.example" })),
		"no owner":        is.Token(t, claims(func(c map[string]any) { delete(c, "sub") })),
		"junk":            "a.b.c",
	} {
		if id, err := v.Verify(ctx, tok); !errors.Is(err, auth.ErrInvalid) {
			t.Errorf("%s: Verify = %+v, %v; want ErrInvalid", name, id, err)
		}
	}
	if _, err := auth.NewOIDC(ctx, auth.OIDCOptions{Issuer: is.URL}); err == nil {
		t.Error("no audience accepted")
	}
}
