package arcsecond

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/arcsecond-go/arcsecond/auth"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

// AuthOptions turn on the node's accounts (see package auth): API keys
// and, optionally, OIDC bearer JWTs identify callers; every subscription
// belongs to the identity that created it.
//
// With AuthOptions, a request without credentials may read the public
// feed (GET /api/activities, /api/sources and the live streams) unless
// Private is set, and nothing else of the API: writes and subscriptions
// need a key (401). Users see, change and delete only their own
// subscriptions (another's is 404); admins see all, with the e-mail
// addresses and webhook URLs of others hidden; readers only read;
// publishers POST activities for their own source. Invalid, revoked or
// expired credentials are 401.
type AuthOptions struct {
	// Keys keeps the API keys. Default: the node's database (table
	// auth_keys) when it has DBPath, otherwise memory (see [Node.Keys]).
	Keys auth.Store
	// OIDC, when set, accepts bearer JWTs it verifies.
	OIDC *auth.OIDC
	// Private makes the feed readable only with credentials.
	Private bool
	// KeyRate and KeyBurst limit each key's requests (per second; default
	// 20 and 40); IPRate and IPBurst those without credentials, per
	// client IP address (default 10 and 20). Beyond, 429 with Retry-After.
	KeyRate, IPRate   float64
	KeyBurst, IPBurst int
	// MaxSubscriptions caps the subscriptions of each owner (default 100).
	MaxSubscriptions int
	// MaxStreams caps the live connections (WebSocket and SSE) of each key,
	// or of each IP address without one (default 4).
	MaxStreams int
	// MaxPublishBytes caps the body of POST /api/activities (default 1 MiB)
	// and MaxPublishLines its activities (default 10,000).
	MaxPublishBytes int64
	MaxPublishLines int
}

// nodeAuth is the node's authentication state.
type nodeAuth struct {
	o            AuthOptions
	keys         *auth.Keys
	authn        *auth.Authenticator
	perKey, byIP *auth.Limiter
	streams      *auth.Gauge
	createMu     sync.Mutex // serializes the cap check with the creation
}

func (n *Node) openAuth(ctx context.Context) error {
	o := n.opts.Auth
	if o == nil {
		return nil
	}
	a := &nodeAuth{o: *o}
	st := o.Keys
	if st == nil && n.db != nil {
		var err error
		if st, err = auth.NewSQLStore(ctx, n.db); err != nil {
			return fmt.Errorf("arcsecond: %w", err)
		}
	}
	if st == nil {
		st = &auth.MemoryStore{}
	}
	def := func(p *float64, v float64) {
		if *p <= 0 {
			*p = v
		}
	}
	defi := func(p *int, v int) {
		if *p <= 0 {
			*p = v
		}
	}
	def(&a.o.KeyRate, 20)
	def(&a.o.IPRate, 10)
	defi(&a.o.KeyBurst, 40)
	defi(&a.o.IPBurst, 20)
	defi(&a.o.MaxSubscriptions, 100)
	defi(&a.o.MaxStreams, 4)
	defi(&a.o.MaxPublishLines, 10000)
	if a.o.MaxPublishBytes <= 0 {
		a.o.MaxPublishBytes = maxBody
	}
	a.keys = auth.NewKeys(st)
	a.authn = &auth.Authenticator{Keys: a.keys, OIDC: o.OIDC, Logger: n.log}
	a.perKey = auth.NewLimiter(a.o.KeyRate, a.o.KeyBurst)
	a.byIP = auth.NewLimiter(a.o.IPRate, a.o.IPBurst)
	a.streams = auth.NewGauge(a.o.MaxStreams)
	n.auth = a
	return nil
}

// Keys are the node's API keys, nil without [AuthOptions].
func (n *Node) Keys() *auth.Keys {
	if n.auth == nil {
		return nil
	}
	return n.auth.keys
}

// clientIP is the request's remote address without its port.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// isFeed reports whether the request reads the public feed.
func isFeed(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	p := r.URL.Path
	return p == "/api/activities" || strings.HasPrefix(p, "/api/activities/") || p == "/api/sources" ||
		p == "/activities/live" || p == "/activities/events"
}

// guard authenticates the requests, applies the rate limits and the
// coarse rules (who may reach which route); the handlers check ownership.
func (n *Node) guard(next http.Handler) http.Handler {
	a := n.auth
	if a == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := a.authn.Authenticate(r)
		if err != nil {
			// Failed attempts count against the client's address, so
			// that keys cannot be guessed at full speed.
			if ok, wait := a.byIP.Allow("ip:" + clientIP(r)); !ok {
				tooMany(w, wait)
				return
			}
			a.authn.Fail(w, r, err)
			return
		}
		if id != nil {
			r = r.WithContext(auth.NewContext(r.Context(), id))
		}
		p := r.URL.Path
		caller := "ip:" + clientIP(r)
		if id != nil {
			caller = "key:" + id.KeyID
		}
		if p != "/healthz" && p != "/readyz" {
			lim := a.byIP
			if id != nil {
				lim = a.perKey
			}
			if ok, wait := lim.Allow(caller); !ok {
				tooMany(w, wait)
				return
			}
		}
		write := r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions
		switch {
		case p == "/api/unsubscribe": // authenticated by its signed link
		case id == nil && (write && strings.HasPrefix(p, "/api/") ||
			p == "/api/subscriptions" || strings.HasPrefix(p, "/api/subscriptions/") ||
			a.o.Private && isFeed(r)):
			auth.Unauthorized(w, "this request needs an API key or a bearer token")
			return
		case strings.HasPrefix(p, "/api/subscriptions") && write && !id.CanSubscribe():
			writeJSON(w, http.StatusForbidden, apiError{Error: fmt.Sprintf("role %s cannot create or delete subscriptions", id.Role)})
			return
		case p == "/api/activities" && r.Method == http.MethodPost && id.Role != auth.RolePublisher && id.Role != auth.RoleAdmin:
			writeJSON(w, http.StatusForbidden, apiError{Error: fmt.Sprintf("role %s cannot publish activities", id.Role)})
			return
		}
		if p == "/activities/live" || p == "/activities/events" {
			if !a.streams.Acquire(caller) {
				w.Header().Set("Retry-After", "10")
				writeJSON(w, http.StatusTooManyRequests, apiError{Error: fmt.Sprintf("at most %d live connections per caller", a.o.MaxStreams)})
				return
			}
			defer a.streams.Release(caller)
		}
		next.ServeHTTP(w, r)
	})
}

// tooMany answers 429 with a Retry-After of wait, in whole seconds.
func tooMany(w http.ResponseWriter, wait time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
	writeJSON(w, http.StatusTooManyRequests, apiError{Error: "too many requests; retry later"})
}

// visible reports whether the caller may see sub: anyone without
// AuthOptions, its owner and admins with them.
func (n *Node) visible(r *http.Request, sub *subscribe.Subscription) bool {
	if n.auth == nil {
		return true
	}
	id := auth.FromContext(r.Context())
	return id != nil && (id.IsAdmin() || id.Owner == sub.Owner)
}

// othersHidden reports whether the caller sees sub without its targets:
// someone else's, shown to an admin.
func (n *Node) othersHidden(r *http.Request, owner string) bool {
	if n.auth == nil {
		return false
	}
	id := auth.FromContext(r.Context())
	return id == nil || id.Owner != owner
}

// shown is sub as the caller may see it: secrets redacted, and the e-mail
// address and webhook URL hidden when it is someone else's.
func (n *Node) shown(r *http.Request, sub *subscribe.Subscription) *subscribe.Subscription {
	c := redacted(sub)
	if !n.othersHidden(r, sub.Owner) {
		return c
	}
	if wh := c.Delivery.Webhook; wh != nil {
		w2 := *wh
		w2.URL = hiddenTarget
		c.Delivery.Webhook = &w2
	}
	if em := c.Delivery.Email; em != nil {
		e2 := *em
		e2.To = hiddenTarget
		c.Delivery.Email = &e2
	}
	return c
}

// hiddenTarget replaces the e-mail addresses and webhook URLs of others.
const hiddenTarget = "(hidden)"

// claim makes the caller the owner of a new subscription (an admin may
// name another owner) and checks the owner's cap. It answers itself and
// returns false when the subscription cannot be created; the caller must
// call done after creating it.
func (n *Node) claim(w http.ResponseWriter, r *http.Request, sub *subscribe.Subscription) (done func(), ok bool) {
	if n.auth == nil {
		return func() {}, true
	}
	id := auth.FromContext(r.Context())
	if !id.IsAdmin() || sub.Owner == "" {
		sub.Owner = id.Owner
	}
	n.auth.createMu.Lock()
	count := 0
	ids, err := n.subs.ids(r.Context())
	if err != nil {
		n.auth.createMu.Unlock()
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "listing subscriptions failed"})
		return nil, false
	}
	for _, x := range ids {
		if s, _ := n.lookup(x); s != nil && s.Owner == sub.Owner {
			count++
		}
	}
	if count >= n.auth.o.MaxSubscriptions {
		n.auth.createMu.Unlock()
		writeJSON(w, http.StatusForbidden, apiError{Error: fmt.Sprintf("owner %q has %d subscriptions, the most allowed; delete one first", sub.Owner, count)})
		return nil, false
	}
	return n.auth.createMu.Unlock, true
}

// hiddenIf is hiddenTarget when hide is set, "" otherwise.
func hiddenIf(hide bool) string {
	if hide {
		return hiddenTarget
	}
	return ""
}

// visibleIDs keeps the IDs of the subscriptions the caller may see.
func (n *Node) visibleIDs(r *http.Request, ids []string) []string {
	if n.auth == nil {
		return ids
	}
	out := ids[:0:0]
	for _, id := range ids {
		if sub, _ := n.lookup(id); sub != nil && n.visible(r, sub) {
			out = append(out, id)
		}
	}
	return out
}
