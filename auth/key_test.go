package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/sqlitedb"
)

func stores(t *testing.T) map[string]Store {
	db, err := sqlitedb.Open(sqlitedb.Memory)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sq, err := NewSQLStore(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]Store{"memory": &MemoryStore{}, "sqlite": sq}
}

func TestKeys(t *testing.T) {
	ctx := context.Background()
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			ks := NewKeys(st)
			ks.now = func() time.Time { return now }
			sec, k, err := ks.Create(ctx, KeyOptions{Owner: "alice", TTL: time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(sec, "arc_"+k.ID+"_") || k.Role != RoleUser {
				t.Fatalf("key %q %+v", sec, k)
			}
			stored, err := st.Get(ctx, k.ID)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(stored.Hash), sec[len(sec)-43:]) || len(stored.Hash) != 32 {
				t.Fatalf("stored hash %x", stored.Hash)
			}
			id, err := ks.Verify(ctx, sec)
			if err != nil || id.Owner != "alice" || id.Role != RoleUser || id.KeyID != k.ID {
				t.Fatalf("Verify = %+v, %v", id, err)
			}
			// A wrong secret with the right prefix, an unknown key, junk.
			wrong := sec[:len(sec)-1] + map[bool]string{true: "B", false: "A"}[strings.HasSuffix(sec, "A")]
			for _, bad := range []string{wrong, "arc_0123456789abcdef_" + strings.Repeat("A", 43), "arc_x", "", sec + "x"} {
				if _, err := ks.Verify(ctx, bad); !errors.Is(err, ErrInvalid) {
					t.Errorf("Verify(%q) = %v, want ErrInvalid", bad, err)
				}
			}
			// Expiry.
			now = now.Add(time.Hour)
			if _, err := ks.Verify(ctx, sec); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "expired") {
				t.Errorf("expired key: %v", err)
			}
			now = now.Add(-time.Minute)
			// Rotation: new key works, old one is revoked.
			sec2, k2, err := ks.Rotate(ctx, k.ID)
			if err != nil {
				t.Fatal(err)
			}
			if k2.Owner != "alice" || k2.Expires.Sub(k2.Created) != time.Hour {
				t.Errorf("rotated %+v", k2)
			}
			if _, err := ks.Verify(ctx, sec); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "revoked") {
				t.Errorf("rotated-out key: %v", err)
			}
			if _, err := ks.Verify(ctx, sec2); err != nil {
				t.Errorf("rotated key: %v", err)
			}
			if err := ks.Revoke(ctx, k2.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := ks.Verify(ctx, sec2); !errors.Is(err, ErrInvalid) {
				t.Errorf("revoked key: %v", err)
			}
			if err := ks.Revoke(ctx, "nope"); !errors.Is(err, ErrNotFound) {
				t.Errorf("Revoke(nope) = %v", err)
			}
			all, err := st.List(ctx)
			if err != nil || len(all) != 2 || all[0].ID != k.ID || all[1].Revoked.IsZero() {
				t.Errorf("List = %+v, %v", all, err)
			}
			// Publisher keys need a source; others may not have one.
			if _, _, err := ks.Create(ctx, KeyOptions{Owner: "obs", Role: RolePublisher}); err == nil {
				t.Error("publisher without source accepted")
			}
			if _, _, err := ks.Create(ctx, KeyOptions{Owner: "obs", Role: RoleUser, Source: "x"}); err == nil {
				t.Error("user with source accepted")
			}
			if _, _, err := ks.Create(ctx, KeyOptions{Owner: "", Role: RoleUser}); err == nil {
				t.Error("key without owner accepted")
			}
			if _, _, err := ks.Create(ctx, KeyOptions{Owner: "x", Role: "root"}); err == nil {
				t.Error("unknown role accepted")
			}
			_, pk, err := ks.Create(ctx, KeyOptions{Owner: "obs", Role: RolePublisher, Source: "myobs"})
			if err != nil || pk.Source != "myobs" {
				t.Fatalf("publisher: %+v %v", pk, err)
			}
		})
	}
}

func TestLimiter(t *testing.T) {
	l := NewLimiter(0.001, 2)
	for i := range 2 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("request %d refused", i)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait <= 0 {
		t.Fatalf("third request: %v %v", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another caller refused")
	}
	g := NewGauge(1)
	if !g.Acquire("a") || g.Acquire("a") || !g.Acquire("b") {
		t.Fatal("gauge")
	}
	g.Release("a")
	if !g.Acquire("a") {
		t.Fatal("released gauge")
	}
}
