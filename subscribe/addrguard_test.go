package subscribe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// Issue 21 item 9: every form the address guard missed, and the ordinary
// addresses it must still let through.
func TestAddressGuardRegistries(t *testing.T) {
	for _, c := range []struct {
		addr string
		bad  bool
	}{
		// IPv4 special-purpose registry.
		{"198.18.0.1", true}, {"198.19.255.254", true}, {"192.0.0.1", true}, {"192.0.0.170", true},
		{"240.0.0.1", true}, {"255.255.255.255", true}, {"192.0.2.10", true}, {"198.51.100.7", true},
		{"203.0.113.9", true}, {"192.88.99.1", true}, {"0.1.2.3", true}, {"239.255.255.250", true},
		{"198.20.0.1", false}, {"192.0.3.1", false}, {"223.255.255.1", false},
		// IPv4 inside IPv6.
		{"::127.0.0.1", true}, {"::8.8.8.8", true}, {"::ffff:169.254.169.254", true},
		{"::ffff:0:127.0.0.1", true}, {"::ffff:0:8.8.8.8", false},
		{"64:ff9b::7f00:1", true}, {"64:ff9b::a9fe:a9fe", true}, {"64:ff9b::10.0.0.1", true},
		{"64:ff9b::808:808", false},
		{"64:ff9b:1::1", true}, {"64:ff9b:1:808:8:800::", true},
		{"2002:7f00:1::1", true}, {"2002:a9fe:a9fe::", true}, {"2002:c0a8:101::1", true}, {"2002:808:808::1", false},
		// Teredo: server 65.54.227.120, client inverted in the last 32 bits.
		{"2001:0:4136:e378:8000:63bf:3fff:fdd2", true},  // client 192.0.2.45: TEST-NET-1
		{"2001:0:4136:e378:8000:63bf:80ff:fffe", true},  // client 127.0.0.1
		{"2001:0:7f00:1:8000:63bf:f7f7:f7f7", true},     // server 127.0.0.1
		{"2001:0:4136:e378:8000:63bf:f7f7:f7f7", false}, // client 8.8.8.8
		{"2001:2::1", true}, {"2001:db8::1", true}, {"3fff::1", true}, {"5f00::1", true},
		{"100::1", true}, {"100:0:0:1::1", true}, {"fec0::1", true}, {"ff02::1", true}, {"::", true},
		{"2a00:1450:4001:800::200e", false}, {"2001:4860:4860::8844", false},
	} {
		got := forbidden(netip.MustParseAddr(c.addr))
		if got != c.bad {
			t.Errorf("%s: forbidden %v (%q), want %v", c.addr, got, specialPurpose(netip.MustParseAddr(c.addr)), c.bad)
		}
	}
}

// The host's own addresses are refused even when they are public, also
// inside an IPv6 form that carries them.
func TestAddressGuardOwnAddresses(t *testing.T) {
	own := netip.MustParseAddr("93.184.215.14")
	g := addrGuard{local: func() []netip.Addr { return []netip.Addr{own, netip.MustParseAddr("2a00:1450::1")} }}
	for _, a := range []string{"93.184.215.14", "::ffff:93.184.215.14", "64:ff9b::5db8:d70e", "2002:5db8:d70e::1", "2a00:1450::1"} {
		if why := g.check(netip.MustParseAddr(a)); why == "" {
			t.Errorf("%s: allowed, want refused as the host's own", a)
		}
	}
	if why := g.check(netip.MustParseAddr("93.184.215.15")); why != "" {
		t.Errorf("another host's address refused: %s", why)
	}
	// The real interfaces: every address and IPv4 network/broadcast
	// address they list is refused.
	real := addrGuard{local: interfaceAddrs}
	ifs := interfaceAddrs()
	if len(ifs) == 0 {
		t.Log("no interface addresses readable on this host")
	}
	for _, a := range ifs {
		if why := real.check(a); why == "" {
			t.Errorf("own interface address %s allowed", a)
		}
	}
	if got := lastOf(netip.MustParsePrefix("10.1.2.0/23")); got != netip.MustParseAddr("10.1.3.255") {
		t.Errorf("broadcast of 10.1.2.0/23 = %s", got)
	}
}

// At dial time, through the real sender: IPv6 spellings of loopback are
// refused before any connection, with the reason in the error.
func TestAddressGuardAtDial(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
			t.Error("the guard let a connection through")
		}
	}()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	w := NewWebhookSender(WebhookOptions{Timeout: 2 * time.Second})
	for _, host := range []string{"[::ffff:127.0.0.1]", "127.0.0.1", "localhost"} {
		err := w.Send(context.Background(), "http://"+host+":"+port+"/h", "msg_x", []byte(`{}`), nil, time.Now())
		var de *DeliveryError
		if !errors.Is(err, ErrForbiddenAddress) || !errors.As(err, &de) || de.Retryable || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("%s: %v, want a non-retryable ErrForbiddenAddress naming loopback", host, err)
		}
	}
}

// Issue 21 item 9, at creation: loopback and private literals are refused
// with an error naming the field, unless private webhooks are allowed.
func TestCheckTargetAtCreation(t *testing.T) {
	strict := NewWebhookSender(WebhookOptions{})
	lax := NewWebhookSender(WebhookOptions{AllowPrivate: true})
	for _, c := range []struct {
		url string
		bad bool
	}{
		{"http://127.0.0.1:8080/h", true}, {"http://[::1]/h", true}, {"http://10.0.0.7/h", true},
		{"http://192.168.1.1/h", true}, {"http://169.254.169.254/latest", true}, {"http://[::ffff:127.0.0.1]/h", true},
		{"http://[64:ff9b::7f00:1]/h", true}, {"http://[fe80::1%25eth0]/h", true}, {"http://localhost:9000/h", true},
		{"http://api.localhost/h", true}, {"http://LOCALHOST./h", true},
		{"https://hooks.example.org/h", false}, {"https://8.8.8.8/h", false}, {"https://[2001:4860:4860::8888]/h", false},
	} {
		s := webhookSub("w", c.url, []string{NewSecret()}, Criteria{Instruments: []string{"MUSE"}})
		if err := s.Validate(); err != nil {
			t.Fatalf("%s: %v", c.url, err)
		}
		err := strict.CheckTarget(s)
		var fe *FieldError
		if c.bad != (err != nil) || err != nil && (!errors.As(err, &fe) || fe.Field != "delivery.webhook.url") {
			t.Errorf("%s: %v, want refused %v with a FieldError on delivery.webhook.url", c.url, err, c.bad)
		}
		if err := lax.CheckTarget(s); err != nil {
			t.Errorf("%s with AllowPrivate: %v", c.url, err)
		}
	}
	d, err := NewDispatcher(DispatcherOptions{Store: openTestStore(t), Index: NewMatcher(), Webhooks: strict})
	if err != nil {
		t.Fatal(err)
	}
	if d.CheckTarget(webhookSub("w", "http://127.0.0.1/h", []string{NewSecret()}, Criteria{Instruments: []string{"MUSE"}})) == nil {
		t.Error("Dispatcher.CheckTarget accepted a loopback literal")
	}
	if d.CheckTarget(&Subscription{ID: "live", Delivery: Delivery{Live: true}}) != nil {
		t.Error("a subscription without a webhook was refused")
	}
}

// Every IPv6 form that carries an IPv4 address is judged as that address.
func FuzzAddressGuard(f *testing.F) {
	f.Add([]byte{127, 0, 0, 1}, "http://127.0.0.1/h")
	f.Add([]byte{8, 8, 8, 8}, "https://[64:ff9b::808:808]/h")
	f.Add([]byte{198, 18, 0, 1}, "http://[2002:c612:1::]:8080/")
	f.Fuzz(func(t *testing.T, b []byte, rawURL string) {
		if len(b) < 4 {
			return
		}
		v4 := netip.AddrFrom4([4]byte(b[:4]))
		want := forbidden(v4)
		var mapped, nat64, sixToFour [16]byte
		mapped[10], mapped[11] = 0xff, 0xff
		copy(mapped[12:], b[:4])
		nat64[1], nat64[2], nat64[3] = 0x64, 0xff, 0x9b
		copy(nat64[12:], b[:4])
		sixToFour[0], sixToFour[1] = 0x20, 0x02
		copy(sixToFour[2:6], b[:4])
		for name, a := range map[string][16]byte{"mapped": mapped, "NAT64": nat64, "6to4": sixToFour} {
			if got := forbidden(netip.AddrFrom16(a)); got != want {
				t.Fatalf("%s form %s of %s: forbidden %v, the IPv4 address %v", name, netip.AddrFrom16(a), v4, got, want)
			}
		}
		if len(b) >= 16 {
			forbidden(netip.AddrFrom16([16]byte(b[:16]))) // no panic on any address
		}
		s := &Subscription{ID: "f", Delivery: Delivery{Webhook: &WebhookTarget{URL: rawURL}}}
		if err := NewWebhookSender(WebhookOptions{}).CheckTarget(s); err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != "delivery.webhook.url" {
				t.Fatalf("CheckTarget(%q) = %v, want a FieldError on delivery.webhook.url", rawURL, err)
			}
		}
	})
}

// A server refuses, when the subscription is created, a webhook that could
// only reach the server's own network.
func ExampleWebhookSender_CheckTarget() {
	w := NewWebhookSender(WebhookOptions{})
	s := &Subscription{ID: "s1", MatchAll: true, Delivery: Delivery{Webhook: &WebhookTarget{
		URL: "http://[64:ff9b::a9fe:a9fe]/latest/meta-data", Secrets: []string{NewSecret()}}}}
	fmt.Println(w.CheckTarget(s))
	// Output:
	// delivery.webhook.url: address 64:ff9b::a9fe:a9fe is NAT64 64:ff9b::/96 (RFC 6052) of 169.254.169.254, link-local, cloud metadata (RFC 3927); webhooks may not reach it
}
