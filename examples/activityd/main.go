// Command activityd is the reference live server of the arcsecond SDK: it
// runs the connectors through the live feed, keeps what it has seen in an
// embedded SQLite database, and serves the activities over a REST API, live
// streams (WebSocket and server-sent events) and a dashboard.
//
//	go run ./examples/activityd                      # real archives, ./activityd.db
//	go run ./examples/activityd --replay --speed 60  # recorded responses, no network
//
// It serves the handler of an arcsecond.Node (see the root package for its
// endpoints) configured from its flags. A default connector that needs
// configuration it lacks (obscore without ARCSECOND_OBSCORE_URL) is listed
// in /api/sources as "not configured", naming what it needs; one asked for
// with --source must open.
//
// --replay plays the recorded replies embedded in the binary (copies of
// those in connectors/*/testdata: connectors/recorded/replayset), or those of
// --replay-dir, through the same feed, matcher and deliveries, with
// idle gaps of recorded time shortened to a minute and time running --speed
// times faster. --nats URL makes it one of several instances sharing a
// JetStream feed (activities/jetstream).
//
// Accounts: the API needs a key for anything but reading the public feed
// (and for that too with --private). "activityd token create --owner NAME
// [--role admin|user|reader|publisher] [--source NAME] [--expires 30d]"
// prints a new key once; "token list", "token revoke ID" and "token rotate
// ID" manage them, in the database of --db. --oidc-issuer and
// --oidc-audience also accept the bearer JWTs of an OpenID Connect provider.
//
// Everything it does lives in the SDK's packages (arcsecond.Node); this
// binary wires flags, HTTP and logs to them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/arcsecond-go/arcsecond"
	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/auth"
	"github.com/arcsecond-go/arcsecond/catalogs/resolve"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/subscribe"

	// The connectors the server can run, registered by name.
	_ "github.com/arcsecond-go/arcsecond/connectors/eso"
	_ "github.com/arcsecond-go/arcsecond/connectors/gemini"
	_ "github.com/arcsecond-go/arcsecond/connectors/hst"
	_ "github.com/arcsecond-go/arcsecond/connectors/jsonl"
	_ "github.com/arcsecond-go/arcsecond/connectors/obscore"
	_ "github.com/arcsecond-go/arcsecond/connectors/swift"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "activityd:", err)
		if errors.Is(err, errUsage) || errors.Is(err, auth.ErrUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

// config is what the flags set.
type config struct {
	addr       string
	db         string
	replay     bool
	replayDir  string
	speed      float64
	sources    string
	interval   time.Duration
	logJSON    bool
	smtpAddr   string
	smtpFrom   string
	allowPriv  bool
	dataSecret string
	publicURL  string
	replayWait time.Duration
	logLevel   slog.Level
	natsURL    string
	instance   string
	open       bool
	private    bool
	oidcIssuer string
	oidcAud    string
	resolver   string
	resolve    resolve.Resolver // built from resolver
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("activityd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "listen address")
	fs.StringVar(&c.db, "db", "activityd.db", "SQLite database file (\":memory:\" for none)")
	fs.BoolVar(&c.replay, "replay", false, "replay recorded responses instead of polling the real services")
	fs.StringVar(&c.replayDir, "replay-dir", "", "folder of recorded responses for --replay (default: the ones embedded in the binary)")
	fs.Float64Var(&c.speed, "speed", 1, "with --replay, compress time this many times")
	fs.DurationVar(&c.replayWait, "replay-wait", 0, "with --replay, wait this long before the replay begins")
	fs.StringVar(&c.sources, "source", "", "comma-separated connectors to run (default: all registered)")
	fs.DurationVar(&c.interval, "interval", 5*time.Minute, "poll interval per source")
	fs.TextVar(&c.logLevel, "log-level", slog.LevelInfo, "least level logged: DEBUG, INFO, WARN or ERROR")
	fs.BoolVar(&c.logJSON, "log-json", false, "structured logs as JSON")
	fs.StringVar(&c.smtpAddr, "smtp", os.Getenv("ARCSECOND_SMTP_ADDR"), "SMTP server host:port for e-mail deliveries (env ARCSECOND_SMTP_ADDR)")
	fs.StringVar(&c.smtpFrom, "smtp-from", envOr("ARCSECOND_SMTP_FROM", "activityd@localhost"), "sender address of e-mails (env ARCSECOND_SMTP_FROM)")
	fs.BoolVar(&c.allowPriv, "allow-private-webhooks", false, "allow webhooks to loopback and private addresses (tests, in-house use)")
	fs.StringVar(&c.dataSecret, "unsubscribe-secret", os.Getenv("ARCSECOND_UNSUBSCRIBE_SECRET"), "key signing unsubscribe links (env ARCSECOND_UNSUBSCRIBE_SECRET)")
	fs.StringVar(&c.publicURL, "public-url", os.Getenv("ARCSECOND_PUBLIC_URL"), "the server's public base URL, for the unsubscribe links of e-mails (env ARCSECOND_PUBLIC_URL)")
	fs.StringVar(&c.natsURL, "nats", os.Getenv("ARCSECOND_NATS_URL"), "NATS server URL: run as one of several instances sharing a JetStream feed (env ARCSECOND_NATS_URL)")
	fs.StringVar(&c.instance, "instance", "", "with --nats, this instance's unique name (default host-pid)")
	fs.BoolVar(&c.open, "open", false, "no accounts: anyone who reaches the server may use the whole API (tests, loopback only)")
	fs.BoolVar(&c.private, "private", false, "the activity feed too needs a key")
	fs.StringVar(&c.oidcIssuer, "oidc-issuer", os.Getenv("ARCSECOND_OIDC_ISSUER"), "accept bearer JWTs of this OpenID Connect issuer (env ARCSECOND_OIDC_ISSUER)")
	fs.StringVar(&c.oidcAud, "oidc-audience", os.Getenv("ARCSECOND_OIDC_AUDIENCE"), "the audience the JWTs must name (env ARCSECOND_OIDC_AUDIENCE)")
	fs.StringVar(&c.resolver, "resolver", "", "resolve target names the embedded catalogues lack: \"sesame\" (CDS Sesame at cds.unistra.fr, then its CfA mirror) or comma-separated Sesame base URLs (https://host/cgi-bin/nph-sesame); default off: no network for name lookups")
	if err := fs.Parse(args); err != nil {
		return c, fmt.Errorf("%w: %v", errUsage, err)
	}
	var err error
	if c.resolve, err = resolverFor(c.resolver); err != nil {
		return c, fmt.Errorf("%w: --resolver: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("%w: unexpected arguments %v", errUsage, fs.Args())
	}
	if c.speed <= 0 || c.speed != c.speed || c.speed > 1e9 {
		return c, fmt.Errorf("%w: --speed must be a positive number up to 1e9", errUsage)
	}
	return c, nil
}

// resolverFor builds the name resolver --resolver names: none for "" or
// "off", Sesame at its default URLs for "sesame", Sesame at the given
// base URLs otherwise; answers are cached (resolve.DefaultCacheSize).
func resolverFor(spec string) (resolve.Resolver, error) {
	var o resolve.SesameOptions
	switch spec = strings.TrimSpace(spec); spec {
	case "", "off":
		return nil, nil
	case "sesame":
	default:
		for _, u := range strings.Split(spec, ",") {
			u = strings.TrimSpace(u)
			if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
				return nil, fmt.Errorf("%q is neither \"sesame\", \"off\" nor an http(s) URL", u)
			}
			o.BaseURLs = append(o.BaseURLs, u)
		}
	}
	s, err := resolve.NewSesame(o)
	if err != nil {
		return nil, err
	}
	return resolve.NewCache(s, 0, 0), nil
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// run starts the server and blocks until ctx ends; ready, when not nil,
// receives the listening address.
func run(ctx context.Context, args []string, stderr io.Writer, ready chan<- string) error {
	if len(args) > 0 && args[0] == "token" {
		return auth.TokenCommand(ctx, args[1:], "activityd.db", os.Stdout, stderr)
	}
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	var h slog.Handler = slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: c.logLevel})
	if c.logJSON {
		h = slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: c.logLevel})
	}
	log := slog.New(h)
	o := nodeOptions(c, log)
	if c.oidcIssuer != "" && o.Auth != nil {
		if o.Auth.OIDC, err = auth.NewOIDC(ctx, auth.OIDCOptions{Issuer: c.oidcIssuer, Audience: c.oidcAud}); err != nil {
			return err
		}
	}
	node, err := arcsecond.NewNode(ctx, o)
	if err != nil {
		return err
	}
	defer node.Close()
	if c.sources != "" { // asked for by name: each must run
		for _, s := range node.Sources() {
			if s.State == arcsecond.StateNotConfigured {
				return fmt.Errorf("%w: --source: %s", errUsage, s.LastError)
			}
		}
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	hs := node.Server(c.addr) // the node's recommended timeouts: slow clients are cut off
	hs.ErrorLog = slog.NewLogLogger(h, slog.LevelWarn)
	log.Info("listening", "addr", "http://"+ln.Addr().String(), "sources", strings.Join(node.SourceNames(), ","), "replay", c.replay)
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	nodeCtx, stopNode := context.WithCancel(ctx)
	defer stopNode()
	ran := make(chan error, 1)
	go func() { ran <- node.Run(nodeCtx) }()
	select {
	case <-ctx.Done():
		log.Info("shutting down")
	case err := <-errc:
		stopNode()
		<-ran
		return err
	}
	// The node ends its live streams and drains its deliveries while the
	// HTTP server finishes the requests under way.
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = hs.Shutdown(shutCtx)
	err = errors.Join(err, <-ran)
	log.Info("stopped")
	return err
}

// nodeOptions turns the flags into the node's options.
func nodeOptions(c config, log *slog.Logger) arcsecond.NodeOptions {
	o := arcsecond.NodeOptions{
		DBPath: c.db, Schedule: activities.Schedule{Interval: c.interval}, Logger: log,
		SMTP:                 subscribe.MailerOptions{Addr: c.smtpAddr, From: c.smtpFrom},
		AllowPrivateWebhooks: c.allowPriv, UnsubscribeSecret: c.dataSecret, PublicURL: c.publicURL,
		Resolver: c.resolve,
	}
	if !c.open {
		o.Auth = &arcsecond.AuthOptions{Private: c.private}
	}
	if o.DBPath == ":memory:" {
		o.DBPath = "" // a temporary database
	}
	if c.natsURL != "" {
		o.NATS = &arcsecond.NATSOptions{URL: c.natsURL, Instance: c.instance}
	}
	switch {
	case c.replay:
		o.Replay = &arcsecond.ReplayOptions{Dir: c.replayDir, Speed: c.speed, Wait: c.replayWait}
	case c.sources != "":
		o.Connectors = strings.Split(c.sources, ",")
	default:
		for _, n := range connectors.Names() {
			if n != "jsonl" { // a generic reader: only when asked for, with its URL
				o.Connectors = append(o.Connectors, n)
			}
		}
	}
	return o
}
