package auth

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/sqlitedb"
)

func TestTokenCommand(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "node.db")
	run := func(args ...string) (string, error) {
		var out, errb bytes.Buffer
		err := TokenCommand(ctx, args, db, &out, &errb)
		return out.String(), err
	}
	out, err := run("create", "--owner", "obs", "--role", "publisher", "--source", "myobs", "--expires", "30d")
	if err != nil {
		t.Fatal(err)
	}
	secret, _, _ := strings.Cut(out, "\n")
	id, ok := KeyID(secret)
	if !ok {
		t.Fatalf("create printed %q", out)
	}
	// The key works against the same database.
	sqlDB, err := sqlitedb.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	st, _ := NewSQLStore(ctx, sqlDB)
	who, err := NewKeys(st).Verify(ctx, secret)
	if err != nil || who.Owner != "obs" || who.Source != "myobs" || who.Role != RolePublisher {
		t.Fatalf("Verify = %+v, %v", who, err)
	}
	k, _ := st.Get(ctx, id)
	if d := k.Expires.Sub(k.Created); d != 30*24*time.Hour {
		t.Errorf("lifetime %v", d)
	}
	out, err = run("list")
	if err != nil || !strings.Contains(out, id) || !strings.Contains(out, "active") || strings.Contains(out, secret[20:]) {
		t.Fatalf("list: %v\n%s", err, out)
	}
	if out, err = run("revoke", id); err != nil || !strings.Contains(out, "revoked") {
		t.Fatalf("revoke: %v %s", err, out)
	}
	if _, err := NewKeys(st).Verify(ctx, secret); !errors.Is(err, ErrInvalid) {
		t.Fatalf("revoked key verifies: %v", err)
	}
	if out, _ = run("list"); !strings.Contains(out, "revoked") {
		t.Errorf("list after revoke:\n%s", out)
	}
	for _, bad := range [][]string{
		{}, {"frobnicate"}, {"create"}, {"create", "--owner", "x", "--role", "root"},
		{"create", "--owner", "x", "--expires", "soon"}, {"create", "--owner", "x", "--role", "publisher"},
		{"revoke"}, {"list", "extra"}, {"list", "--db", ":memory:"},
	} {
		if _, err := run(bad...); !errors.Is(err, ErrUsage) {
			t.Errorf("token %v: %v, want a usage error", bad, err)
		}
	}
	if _, err := run("revoke", "0000000000000000"); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoke unknown: %v", err)
	}
}
