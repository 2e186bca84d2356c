package subscribe

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strings"
	"time"
)

// MailerOptions configures a [Mailer].
type MailerOptions struct {
	// Addr is the SMTP server's host:port.
	Addr string
	// From is the sender address.
	From string
	// Auth, when set, authenticates after STARTTLS (net/smtp refuses PLAIN
	// auth without TLS except on localhost).
	Auth smtp.Auth
	// TLS configures STARTTLS, used whenever the server offers it; nil uses
	// the server's host name and the system roots.
	TLS *tls.Config
	// RequireTLS refuses servers that do not offer STARTTLS.
	RequireTLS bool
	// UnsubscribeURL is the base of the one-click unsubscribe link; the
	// subscription ID and a token signed with UnsubscribeKey are added as
	// the "s" and "t" query parameters.
	UnsubscribeURL string
	UnsubscribeKey []byte
	// Timeout bounds one message (default 30 s).
	Timeout time.Duration
}

// Mailer sends notifications by e-mail over SMTP.
type Mailer struct{ o MailerOptions }

// NewMailer returns a mailer; it checks the addresses and the unsubscribe
// settings.
func NewMailer(o MailerOptions) (*Mailer, error) {
	if _, _, err := net.SplitHostPort(o.Addr); err != nil {
		return nil, fmt.Errorf("subscribe: mailer: address %q: %w", o.Addr, err)
	}
	if _, err := mail.ParseAddress(o.From); err != nil {
		return nil, fmt.Errorf("subscribe: mailer: from %q: %w", o.From, err)
	}
	if o.UnsubscribeURL != "" {
		if u, err := url.Parse(o.UnsubscribeURL); err != nil || !u.IsAbs() {
			return nil, fmt.Errorf("subscribe: mailer: unsubscribe URL %q is not absolute", o.UnsubscribeURL)
		}
		if len(o.UnsubscribeKey) < 16 {
			return nil, errors.New("subscribe: mailer: an unsubscribe URL needs an UnsubscribeKey of at least 16 bytes")
		}
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	return &Mailer{o: o}, nil
}

// UnsubscribeToken signs a subscription ID for the unsubscribe link.
func UnsubscribeToken(key []byte, subscription string) string {
	h := hmac.New(sha256.New, key)
	h.Write([]byte("unsubscribe\x00" + subscription))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

// VerifyUnsubscribe reports whether token is the signed token of the
// subscription: what the unsubscribe endpoint checks before removing it.
func VerifyUnsubscribe(key []byte, subscription, token string) bool {
	got, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return false
	}
	want, _ := base64.RawURLEncoding.DecodeString(UnsubscribeToken(key, subscription))
	return hmac.Equal(got, want)
}

func (m *Mailer) unsubscribeLink(subscription string) string {
	if m.o.UnsubscribeURL == "" {
		return ""
	}
	u, _ := url.Parse(m.o.UnsubscribeURL)
	q := u.Query()
	q.Set("s", subscription)
	q.Set("t", UnsubscribeToken(m.o.UnsubscribeKey, subscription))
	u.RawQuery = q.Encode()
	return u.String()
}

// digestSubject is the subject of a digest of n notifications of the
// subscription named name: the name its payloads carry
// (data.subscription, DispatcherOptions.Name), which is the ID its owner
// gave it, not the key the outbox knows it by (an owner-qualified key on a
// node with accounts).
func digestSubject(n int, name string) string {
	return fmt.Sprintf("[arcsecond] %d new activities for %s", n, name)
}

// Email is one message to send.
type Email struct {
	To           string
	Subject      string
	Text         string
	HTML         string
	MessageID    string // without angle brackets
	Subscription string // for the unsubscribe link
}

var htmlTmpl = template.Must(template.New("mail").Parse(`<!DOCTYPE html>
<html><body>
<pre style="font-family: sans-serif; white-space: pre-wrap">{{.Text}}</pre>
{{if .Unsub}}<p><a href="{{.Unsub}}">Unsubscribe</a></p>{{end}}
</body></html>
`))

// compose builds the RFC 5322 message: multipart/alternative with a plain
// text and an HTML part, and RFC 8058 one-click unsubscribe headers.
func (m *Mailer) compose(e Email, now time.Time) ([]byte, error) {
	for _, h := range []string{e.To, e.Subject, e.MessageID} {
		if strings.ContainsAny(h, "\r\n") {
			return nil, errors.New("subscribe: mail header contains a line break")
		}
	}
	unsub := m.unsubscribeLink(e.Subscription)
	text := e.Text
	if unsub != "" {
		text += "\n\nUnsubscribe: " + unsub + "\n"
	}
	html := e.HTML
	if html == "" {
		var b bytes.Buffer
		if err := htmlTmpl.Execute(&b, struct{ Text, Unsub string }{e.Text, unsub}); err != nil {
			return nil, err
		}
		html = b.String()
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, p := range []struct{ ctype, content string }{{"text/plain; charset=utf-8", text}, {"text/html; charset=utf-8", html}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {p.ctype}, "Content-Transfer-Encoding": {"quoted-printable"}})
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(w)
		qp.Write([]byte(p.content))
		qp.Close()
	}
	mw.Close()
	var msg bytes.Buffer
	hdr := func(k, v string) { fmt.Fprintf(&msg, "%s: %s\r\n", k, v) }
	hdr("From", m.o.From)
	hdr("To", e.To)
	hdr("Subject", mimeWord(e.Subject))
	hdr("Date", now.Format(time.RFC1123Z))
	if e.MessageID != "" {
		hdr("Message-ID", "<"+e.MessageID+">")
	}
	hdr("MIME-Version", "1.0")
	if unsub != "" {
		hdr("List-Unsubscribe", "<"+unsub+">")
		hdr("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	}
	hdr("Auto-Submitted", "auto-generated")
	hdr("Content-Type", "multipart/alternative; boundary="+mw.Boundary())
	msg.WriteString("\r\n")
	msg.Write(body.Bytes())
	return msg.Bytes(), nil
}

func mimeWord(s string) string {
	for _, r := range s {
		if r >= 0x80 {
			return "=?utf-8?b?" + base64.StdEncoding.EncodeToString([]byte(s)) + "?="
		}
	}
	return s
}

// Send delivers e. Errors are *DeliveryError; SMTP 4xx replies and network
// errors are retryable, 5xx are not.
func (m *Mailer) Send(ctx context.Context, e Email, now time.Time) error {
	msg, err := m.compose(e, now)
	if err != nil {
		return &DeliveryError{Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, m.o.Timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", m.o.Addr)
	if err != nil {
		return &DeliveryError{Retryable: true, Err: fmt.Errorf("smtp %s: %w", m.o.Addr, err)}
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	host, _, _ := net.SplitHostPort(m.o.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return smtpError(err)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return smtpError(err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := m.o.TLS
		if cfg == nil {
			cfg = &tls.Config{ServerName: host}
		}
		if err := c.StartTLS(cfg); err != nil {
			return smtpError(fmt.Errorf("STARTTLS: %w", err))
		}
	} else if m.o.RequireTLS {
		return &DeliveryError{Err: fmt.Errorf("smtp %s does not offer STARTTLS", m.o.Addr)}
	}
	if m.o.Auth != nil {
		if err := c.Auth(m.o.Auth); err != nil {
			return smtpError(err)
		}
	}
	from, _ := mail.ParseAddress(m.o.From)
	if err := c.Mail(from.Address); err != nil {
		return smtpError(err)
	}
	if err := c.Rcpt(e.To); err != nil {
		return smtpError(err)
	}
	w, err := c.Data()
	if err != nil {
		return smtpError(err)
	}
	if _, err := w.Write(msg); err != nil {
		return smtpError(err)
	}
	if err := w.Close(); err != nil {
		return smtpError(err)
	}
	return smtpError(c.Quit())
}

func smtpError(err error) error {
	if err == nil {
		return nil
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return &DeliveryError{Retryable: te.Code < 500, Err: fmt.Errorf("smtp: %w", err)}
	}
	return &DeliveryError{Retryable: true, Err: fmt.Errorf("smtp: %w", err)}
}
