package auth

import "fmt"

// Role is what an identity may do.
type Role string

// The roles.
const (
	// RoleAdmin sees and manages every subscription and may publish for
	// any source.
	RoleAdmin Role = "admin"
	// RoleUser reads the feed and manages its own subscriptions.
	RoleUser Role = "user"
	// RoleReader only reads (the feed of a private node).
	RoleReader Role = "reader"
	// RolePublisher publishes activities for its own source.
	RolePublisher Role = "publisher"
)

// ParseRole returns the role named s.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case RoleAdmin, RoleUser, RoleReader, RolePublisher:
		return r, nil
	}
	return "", fmt.Errorf("auth: unknown role %q (want admin, user, reader or publisher)", s)
}

func (r Role) String() string { return string(r) }

// Identity is an authenticated caller.
type Identity struct {
	// Owner names the caller; subscriptions belong to their owner.
	Owner string
	Role  Role
	// Source is the one source a publisher may publish for.
	Source string
	// KeyID is the API key's ID, or "oidc:" and the token's subject.
	KeyID string
}

// IsAdmin reports whether the identity is an administrator.
func (id *Identity) IsAdmin() bool { return id != nil && id.Role == RoleAdmin }

// CanSubscribe reports whether the identity may create and delete
// subscriptions (admins and users).
func (id *Identity) CanSubscribe() bool {
	return id != nil && (id.Role == RoleAdmin || id.Role == RoleUser)
}

// CanPublish reports whether the identity may publish activities of
// source: a publisher for its own source, an admin for any.
func (id *Identity) CanPublish(source string) bool {
	if id == nil {
		return false
	}
	return id.Role == RoleAdmin || (id.Role == RolePublisher && id.Source != "" && id.Source == source)
}
