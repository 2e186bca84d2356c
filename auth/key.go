package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Errors of the key store and of verification.
var (
	// ErrNotFound: no key has that ID.
	ErrNotFound = errors.New("auth: no such key")
	// ErrInvalid: the credentials are malformed, unknown, revoked or
	// expired. Its wrapping error says which (for the logs), never the
	// secret.
	ErrInvalid = errors.New("auth: invalid credentials")
)

// keyPrefix starts every API key.
const keyPrefix = "arc_"

// Key is a stored API key: everything but the secret, of which only the
// SHA-256 hash is kept.
type Key struct {
	// ID is the key's lookup prefix (16 hex digits), shown in lists and
	// logs; the key itself is "arc_" + ID + "_" + secret.
	ID      string    `json:"id"`
	Owner   string    `json:"owner"`
	Role    Role      `json:"role"`
	Source  string    `json:"source,omitempty"`
	Created time.Time `json:"created"`
	// Expires is when the key stops working (zero: never).
	Expires time.Time `json:"expires,omitzero"`
	// Revoked is when the key was revoked (zero: it was not).
	Revoked time.Time `json:"revoked,omitzero"`
	Hash    []byte    `json:"-"`
}

// Active reports whether the key works at t.
func (k Key) Active(t time.Time) bool {
	return k.Revoked.IsZero() && (k.Expires.IsZero() || t.Before(k.Expires))
}

// Store keeps API keys. Implementations are safe for concurrent use.
type Store interface {
	// Create adds a key; a key with the same ID is an error.
	Create(ctx context.Context, k Key) error
	// Get returns the key with id, or ErrNotFound.
	Get(ctx context.Context, id string) (Key, error)
	// List returns every key, oldest first.
	List(ctx context.Context) ([]Key, error)
	// Revoke marks the key revoked at t (ErrNotFound when there is none;
	// revoking a revoked key keeps the first time).
	Revoke(ctx context.Context, id string, t time.Time) error
}

// KeyOptions describe a key to create.
type KeyOptions struct {
	Owner string
	Role  Role // default RoleUser
	// Source is required for RolePublisher, refused for other roles.
	Source string
	// TTL is the key's lifetime (zero: it does not expire).
	TTL time.Duration
}

// Keys creates and verifies API keys kept in a Store.
type Keys struct {
	store Store
	now   func() time.Time
}

// NewKeys returns Keys over store.
func NewKeys(store Store) *Keys { return &Keys{store: store, now: time.Now} }

// Store is the keys' store.
func (ks *Keys) Store() Store { return ks.store }

// Create makes a new key and returns it with its secret, which is shown
// only here.
func (ks *Keys) Create(ctx context.Context, o KeyOptions) (secret string, k Key, err error) {
	if o.Role == "" {
		o.Role = RoleUser
	}
	if _, err := ParseRole(string(o.Role)); err != nil {
		return "", Key{}, err
	}
	switch {
	case strings.TrimSpace(o.Owner) == "" || len(o.Owner) > 200:
		return "", Key{}, errors.New("auth: a key needs an owner (at most 200 bytes)")
	case o.Role == RolePublisher && o.Source == "":
		return "", Key{}, errors.New("auth: a publisher key needs a source")
	case o.Role != RolePublisher && o.Source != "":
		return "", Key{}, fmt.Errorf("auth: only publisher keys have a source (role %s)", o.Role)
	case o.TTL < 0:
		return "", Key{}, fmt.Errorf("auth: negative lifetime %v", o.TTL)
	}
	var id [8]byte
	var sec [32]byte
	rand.Read(id[:])
	rand.Read(sec[:])
	k = Key{ID: hex.EncodeToString(id[:]), Owner: o.Owner, Role: o.Role, Source: o.Source, Created: ks.now().UTC()}
	if o.TTL > 0 {
		k.Expires = k.Created.Add(o.TTL)
	}
	secret = keyPrefix + k.ID + "_" + base64.RawURLEncoding.EncodeToString(sec[:])
	k.Hash = hashKey(secret)
	if err := ks.store.Create(ctx, k); err != nil {
		return "", Key{}, fmt.Errorf("auth: storing key: %w", err)
	}
	return secret, k, nil
}

// Rotate replaces the key id by a new one with the same owner, role,
// source and lifetime, and revokes the old one.
func (ks *Keys) Rotate(ctx context.Context, id string) (secret string, k Key, err error) {
	old, err := ks.store.Get(ctx, id)
	if err != nil {
		return "", Key{}, err
	}
	if !old.Active(ks.now()) {
		return "", Key{}, fmt.Errorf("auth: key %s is revoked or expired", id)
	}
	var ttl time.Duration
	if !old.Expires.IsZero() {
		ttl = old.Expires.Sub(old.Created)
	}
	secret, k, err = ks.Create(ctx, KeyOptions{Owner: old.Owner, Role: old.Role, Source: old.Source, TTL: ttl})
	if err != nil {
		return "", Key{}, err
	}
	return secret, k, ks.store.Revoke(ctx, id, ks.now().UTC())
}

// Revoke revokes the key id at once.
func (ks *Keys) Revoke(ctx context.Context, id string) error {
	return ks.store.Revoke(ctx, id, ks.now().UTC())
}

// Verify returns the identity of an API key, or an error wrapping
// ErrInvalid.
func (ks *Keys) Verify(ctx context.Context, secret string) (*Identity, error) {
	id, ok := KeyID(secret)
	if !ok {
		return nil, fmt.Errorf("%w: malformed API key", ErrInvalid)
	}
	k, err := ks.store.Get(ctx, id)
	if errors.Is(err, ErrNotFound) {
		// Compare anyway so that unknown and wrong keys take as long.
		subtle.ConstantTimeCompare(hashKey(secret), make([]byte, sha256.Size))
		return nil, fmt.Errorf("%w: unknown API key %s", ErrInvalid, id)
	}
	if err != nil {
		return nil, fmt.Errorf("auth: looking key %s up: %w", id, err)
	}
	if subtle.ConstantTimeCompare(hashKey(secret), k.Hash) != 1 {
		return nil, fmt.Errorf("%w: wrong secret for API key %s", ErrInvalid, id)
	}
	now := ks.now()
	if !k.Revoked.IsZero() {
		return nil, fmt.Errorf("%w: API key %s was revoked", ErrInvalid, id)
	}
	if !k.Active(now) {
		return nil, fmt.Errorf("%w: API key %s expired at %s", ErrInvalid, id, k.Expires.Format(time.RFC3339))
	}
	return &Identity{Owner: k.Owner, Role: k.Role, Source: k.Source, KeyID: k.ID}, nil
}

// KeyID returns the ID of an API key (its lookup prefix), which may be
// logged, and whether secret has the form of a key.
func KeyID(secret string) (string, bool) {
	rest, ok := strings.CutPrefix(secret, keyPrefix)
	if !ok || len(rest) != 16+1+43 || rest[16] != '_' {
		return "", false
	}
	id := rest[:16]
	if _, err := hex.DecodeString(id); err != nil || strings.ToLower(id) != id {
		return "", false
	}
	if _, err := base64.RawURLEncoding.DecodeString(rest[17:]); err != nil {
		return "", false
	}
	return id, true
}

func hashKey(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}
