package subscribe

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
)

// The webhook address guard. A webhook's host is chosen by whoever creates
// the subscription, so the sender refuses, at dial time and after DNS
// resolution, every address that is not an ordinary globally reachable
// unicast address of another host:
//
//   - the blocks of the IANA special-purpose address registries whose
//     "Globally Reachable" is false (and the whole of 192.0.0.0/24 and
//     2001::/23, whose few reachable entries are anycast services, not
//     receivers), plus multicast and the deprecated site-local and
//     IPv4-compatible forms:
//     https://www.iana.org/assignments/iana-ipv4-special-registry/ and
//     https://www.iana.org/assignments/iana-ipv6-special-registry/
//     (read as updated 2025-10-09);
//   - IPv6 forms that carry an IPv4 address (IPv4-mapped and -translated,
//     NAT64 64:ff9b::/96, 6to4 2002::/16, Teredo 2001::/32), judged by the
//     IPv4 address they carry, since the host or a translator on the path
//     delivers them to it;
//   - the sending host's own interface addresses and the network and
//     broadcast addresses of its IPv4 interface networks.

// specialBlock is one refused block and the registry entry it comes from.
type specialBlock struct {
	p    netip.Prefix
	name string
}

func block(p, name string) specialBlock {
	return specialBlock{netip.MustParsePrefix(p), name}
}

// specialV4 lists the refused IPv4 blocks. It is a function, not a package
// variable, so that nothing is built before the guard is first used and no
// caller can change the list.
func specialV4() []specialBlock {
	return []specialBlock{
		block("0.0.0.0/8", `"this network" (RFC 791)`),
		block("10.0.0.0/8", "private-use (RFC 1918)"),
		block("100.64.0.0/10", "shared address space, carrier-grade NAT (RFC 6598)"),
		block("127.0.0.0/8", "loopback (RFC 1122)"),
		block("169.254.0.0/16", "link-local, cloud metadata (RFC 3927)"),
		block("172.16.0.0/12", "private-use (RFC 1918)"),
		block("192.0.0.0/24", "IETF protocol assignments (RFC 6890)"),
		block("192.0.2.0/24", "documentation TEST-NET-1 (RFC 5737)"),
		block("192.88.99.0/24", "deprecated 6to4 relay anycast (RFC 7526)"),
		block("192.168.0.0/16", "private-use (RFC 1918)"),
		block("198.18.0.0/15", "benchmarking (RFC 2544)"),
		block("198.51.100.0/24", "documentation TEST-NET-2 (RFC 5737)"),
		block("203.0.113.0/24", "documentation TEST-NET-3 (RFC 5737)"),
		block("224.0.0.0/4", "multicast (RFC 5771)"),
		block("240.0.0.0/4", "reserved (RFC 1112)"),
		block("255.255.255.255/32", "limited broadcast (RFC 8190, RFC 919)"),
	}
}

// specialV6 lists the refused IPv6 blocks; the forms that embed an IPv4
// address are decoded before it is consulted (see embeddedV4).
func specialV6() []specialBlock {
	return []specialBlock{
		block("::1/128", "loopback (RFC 4291)"),
		block("::/128", "unspecified (RFC 4291)"),
		block("::/96", "deprecated IPv4-compatible (RFC 4291 section 2.5.5.1)"),
		block("64:ff9b:1::/48", "local-use IPv4/IPv6 translation (RFC 8215)"),
		block("100::/64", "discard-only (RFC 6666)"),
		block("100:0:0:1::/64", "dummy IPv6 prefix (RFC 9780)"),
		block("2001::/23", "IETF protocol assignments (RFC 2928)"),
		block("2001:db8::/32", "documentation (RFC 3849)"),
		block("3fff::/20", "documentation (RFC 9637)"),
		block("5f00::/16", "segment routing SIDs (RFC 9602)"),
		block("fc00::/7", "unique-local (RFC 4193)"),
		block("fe80::/10", "link-local (RFC 4291)"),
		block("fec0::/10", "deprecated site-local (RFC 3879)"),
		block("ff00::/8", "multicast (RFC 4291)"),
	}
}

// embeddedV4 returns the IPv4 addresses an IPv6 address carries and the
// name of the form, or nil for an address of no such form. IPv4-mapped
// addresses are unmapped by the caller.
func embeddedV4(a netip.Addr) ([]netip.Addr, string) {
	var (
		nat64WellKnown = netip.MustParsePrefix("64:ff9b::/96") // RFC 6052
		sixToFour      = netip.MustParsePrefix("2002::/16")    // RFC 3056
		teredo         = netip.MustParsePrefix("2001::/32")    // RFC 4380
		ipv4Translated = netip.MustParsePrefix("::ffff:0:0:0/96")
	)
	b := a.As16()
	v4 := func(i int) netip.Addr { return netip.AddrFrom4([4]byte(b[i : i+4])) }
	switch {
	case nat64WellKnown.Contains(a):
		return []netip.Addr{v4(12)}, "NAT64 64:ff9b::/96 (RFC 6052)"
	case ipv4Translated.Contains(a):
		return []netip.Addr{v4(12)}, "IPv4-translated (RFC 2765)"
	case sixToFour.Contains(a):
		return []netip.Addr{v4(2)}, "6to4 2002::/16 (RFC 3056)"
	case teredo.Contains(a):
		// The Teredo server is in bits 32-63; the client's public address
		// is in the last 32 bits, each bit inverted (RFC 4380 section 4).
		var c [4]byte
		for i := range c {
			c[i] = ^b[12+i]
		}
		return []netip.Addr{v4(4), netip.AddrFrom4(c)}, "Teredo 2001::/32 (RFC 4380)"
	}
	return nil, ""
}

// specialPurpose names the registry entry that refuses a, or returns ""
// for an address webhooks may reach.
func specialPurpose(a netip.Addr) string {
	a = a.Unmap()
	if !a.IsValid() {
		return "invalid address"
	}
	if a.Is4() {
		for _, s := range specialV4() {
			if s.p.Contains(a) {
				return s.name
			}
		}
		return ""
	}
	if vs, form := embeddedV4(a); vs != nil {
		for _, v := range vs {
			if why := specialPurpose(v); why != "" {
				return form + " of " + v.String() + ", " + why
			}
		}
		return "" // judged by what it carries (Teredo also lies in 2001::/23)
	}
	for _, s := range specialV6() {
		if s.p.Contains(a.WithZone("")) {
			return s.name
		}
	}
	return ""
}

// forbidden reports whether webhooks may not reach a by the registries
// (see specialPurpose); the host's own addresses are checked by addrGuard.
func forbidden(a netip.Addr) bool { return specialPurpose(a) != "" }

// addrGuard refuses special-purpose addresses and the host's own.
type addrGuard struct {
	// local lists the host's own addresses, read at each check since
	// interfaces come and go; nil means none.
	local func() []netip.Addr
}

// check returns why a may not be dialled, or "".
func (g addrGuard) check(a netip.Addr) string {
	a = a.Unmap().WithZone("")
	if why := specialPurpose(a); why != "" {
		return why
	}
	if g.local == nil {
		return ""
	}
	candidates := []netip.Addr{a}
	if vs, _ := embeddedV4(a); vs != nil {
		candidates = append(candidates, vs...)
	}
	for _, own := range g.local() {
		for _, c := range candidates {
			if c == own.Unmap().WithZone("") {
				return "an address of this host"
			}
		}
	}
	return ""
}

// interfaceAddrs returns the host's interface addresses and, for each IPv4
// interface network, its network and broadcast addresses. An error reading
// them gives none: the registries still apply.
func interfaceAddrs() []netip.Addr {
	ifs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var out []netip.Addr
	for _, ia := range ifs {
		n, ok := ia.(*net.IPNet)
		if !ok {
			continue
		}
		a, ok := netip.AddrFromSlice(n.IP)
		if !ok {
			continue
		}
		a = a.Unmap()
		out = append(out, a)
		ones, bits := n.Mask.Size()
		if a.Is4() && bits == 32 && ones < 31 {
			p := netip.PrefixFrom(a, ones).Masked()
			out = append(out, p.Addr(), lastOf(p))
		}
	}
	return out
}

// lastOf returns the highest address of an IPv4 prefix (its broadcast).
func lastOf(p netip.Prefix) netip.Addr {
	b := p.Addr().As4()
	for i := p.Bits(); i < 32; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	return netip.AddrFrom4(b)
}

// CheckTarget refuses, when a subscription is created, a webhook URL that
// this sender would refuse at every delivery: a literal IP address that is
// special-purpose (loopback, private, link-local, ...) or one of this
// host's own, or the name "localhost" or a name under ".localhost"
// (RFC 6761). The error is a *FieldError naming "delivery.webhook.url".
// Names that resolve to such addresses are refused at delivery, after
// resolution. With AllowPrivate, and for a subscription without a
// webhook, it returns nil.
func (w *WebhookSender) CheckTarget(s *Subscription) error {
	if w == nil || w.opts.AllowPrivate || s == nil || s.Delivery.Webhook == nil {
		return nil
	}
	u, err := url.Parse(s.Delivery.Webhook.URL)
	if err != nil {
		return &FieldError{Field: "delivery.webhook.url", Reason: "not a URL"}
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return &FieldError{Field: "delivery.webhook.url", Reason: fmt.Sprintf("host %q is this machine (RFC 6761); webhooks may not reach it", host)}
	}
	ip, _, _ := strings.Cut(host, "%") // an IPv6 zone follows the %
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return nil // a name: checked after resolution, at each delivery
	}
	if why := (addrGuard{local: interfaceAddrs}).check(a); why != "" {
		return &FieldError{Field: "delivery.webhook.url", Reason: fmt.Sprintf("address %s is %s; webhooks may not reach it", a.WithZone(""), why)}
	}
	return nil
}
