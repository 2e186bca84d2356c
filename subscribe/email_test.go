package subscribe

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/mail"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// smtpServer starts a real SMTP server on loopback: Debian's aiosmtpd
// (python3-aiosmtpd, installed by .ci/setup.d/50-subscribe.sh) with
// STARTTLS on a self-signed certificate, storing messages in a Maildir. It
// returns the address, the Maildir and a TLS config trusting the
// certificate. Without aiosmtpd the test skips, or fails under CI=true.
func smtpServer(t *testing.T) (addr, maildir string, tlsConf *tls.Config) {
	t.Helper()
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import aiosmtpd").Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no SMTP server: %s -m aiosmtpd is not available (apt-get install python3-aiosmtpd): %v", py, err)
		}
		t.Skipf("no SMTP server: %s -m aiosmtpd is not available (apt-get install python3-aiosmtpd)", py)
	}
	dir := t.TempDir()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr = l.Addr().String()
	l.Close()
	maildir = filepath.Join(dir, "Maildir")
	cmd := exec.Command(py, "-m", "aiosmtpd", "-n", "-l", addr, "-c", "aiosmtpd.handlers.Mailbox",
		"--tlscert", certFile, "--tlskey", keyFile, "--no-requiretls", maildir)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitFor(t, 20*time.Second, "the SMTP server", func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	pool := x509.NewCertPool()
	cert, _ := x509.ParseCertificate(der)
	pool.AddCert(cert)
	return addr, maildir, &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
}

func readMaildir(t *testing.T, dir string) []*mail.Message {
	var out []*mail.Message
	files, _ := filepath.Glob(filepath.Join(dir, "new", "*"))
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := mail.ReadMessage(fh)
		if err != nil {
			t.Fatal(err)
		}
		body := new(strings.Builder)
		b := make([]byte, 1<<16)
		for {
			n, err := m.Body.Read(b)
			body.Write(b[:n])
			if err != nil {
				break
			}
		}
		fh.Close()
		m.Body = strings.NewReader(body.String())
		out = append(out, m)
	}
	return out
}

func TestEmailOverSMTP(t *testing.T) {
	addr, maildir, tlsConf := smtpServer(t)
	unsubKey := []byte("0123456789abcdef0123456789abcdef")
	mailer, err := NewMailer(MailerOptions{Addr: addr, From: "arcsecond <alerts@example.org>", TLS: tlsConf, RequireTLS: true,
		UnsubscribeURL: "https://example.org/unsubscribe", UnsubscribeKey: unsubKey})
	if err != nil {
		t.Fatal(err)
	}
	m := NewMatcher()
	m.Add(&Subscription{ID: "mail1", Criteria: Criteria{Instruments: []string{"MUSE"}}, Delivery: Delivery{Email: &EmailTarget{To: "ann@example.org"}}})
	m.Add(&Subscription{ID: "digest1", Criteria: Criteria{Observers: []string{"Mueller"}}, Delivery: Delivery{Email: &EmailTarget{To: "bob@example.org", Digest: "1h"}}})
	var offset atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	store := openTestStore(t)
	d, _ := NewDispatcher(DispatcherOptions{Store: store, Index: m, Mailer: mailer, Now: now, Poll: 10 * time.Millisecond, Logf: t.Logf})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go d.Run(ctx)
	for i := range 2 {
		a := testActivity(100 + i)
		if n, err := d.Handle(ctx, &a, 0); err != nil || n != 2 {
			t.Fatalf("Handle: %d, %v; want 2 notifications", n, err)
		}
	}
	waitFor(t, 20*time.Second, "two messages", func() bool { return len(readMaildir(t, maildir)) == 2 })
	time.Sleep(100 * time.Millisecond)
	if n := len(readMaildir(t, maildir)); n != 2 {
		t.Fatalf("%d messages before the digest period ended, want 2", n)
	}
	offset.Store(int64(time.Hour)) // the digest period ends
	d.Wake()
	waitFor(t, 20*time.Second, "the digest", func() bool { return len(readMaildir(t, maildir)) == 3 })
	var digests int
	for _, msg := range readMaildir(t, maildir) {
		h := msg.Header
		body, _ := new(strings.Builder), 0
		b := make([]byte, 1<<16)
		n, _ := msg.Body.Read(b)
		body.Write(b[:n])
		if !strings.Contains(h.Get("Content-Type"), "multipart/alternative") || !strings.Contains(body.String(), "text/plain") || !strings.Contains(body.String(), "text/html") {
			t.Errorf("message %q is not multipart/alternative with text and HTML", h.Get("Subject"))
		}
		lu := strings.Trim(h.Get("List-Unsubscribe"), "<>")
		u, err := url.Parse(lu)
		if err != nil || h.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" ||
			!VerifyUnsubscribe(unsubKey, u.Query().Get("s"), u.Query().Get("t")) || VerifyUnsubscribe(unsubKey, "other", u.Query().Get("t")) {
			t.Errorf("bad one-click unsubscribe headers: %q", lu)
		}
		switch to := h.Get("To"); to {
		case "ann@example.org":
			if !strings.Contains(h.Get("Subject"), "VLT UT4 started: NGC 1068") || !strings.HasPrefix(h.Get("Message-Id"), "<msg_") {
				t.Errorf("per-match message: subject %q id %q", h.Get("Subject"), h.Get("Message-Id"))
			}
		case "bob@example.org":
			digests++
			if !strings.Contains(h.Get("Subject"), "2 new activities for digest1") || strings.Count(body.String(), "matched observer: Mueller") < 2 {
				t.Errorf("digest %q does not list both activities:\n%s", h.Get("Subject"), body)
			}
		default:
			t.Errorf("message to %q", to)
		}
	}
	if digests != 1 {
		t.Errorf("%d digests, want 1", digests)
	}
}
