package auth

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/arcsecond-go/arcsecond/sqlitedb"
)

// ErrUsage marks the errors of [TokenCommand] caused by its arguments.
var ErrUsage = errors.New("usage")

// ParseLifetime parses a key's lifetime: a Go duration ("12h") or a number
// of days ("30d"); "0" or "" is no expiry.
func ParseLifetime(s string) (time.Duration, error) {
	if s == "" || s == "0" {
		return 0, nil
	}
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n < 0 || n > 36500 {
			return 0, fmt.Errorf("lifetime %q: want a number of days from 0 to 36500", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("lifetime %q: want a duration (12h) or days (30d)", s)
	}
	return d, nil
}

// TokenCommand runs "token create|list|revoke|rotate" on the API keys of
// a node's SQLite database (flag --db, default defaultDB):
//
//	token create --owner NAME [--role admin|user|reader|publisher] [--source NAME] [--expires 30d]
//	token list
//	token revoke ID
//	token rotate ID
//
// create and rotate print the new key, which is shown only then.
func TokenCommand(ctx context.Context, args []string, defaultDB string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: token create|list|revoke|rotate", ErrUsage)
	}
	sub := args[0]
	fs := flag.NewFlagSet("token "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", defaultDB, "the node's SQLite database file")
	owner := fs.String("owner", "", "with create: the key's owner")
	role := fs.String("role", "user", "with create: admin, user, reader or publisher")
	source := fs.String("source", "", "with create: the source a publisher key publishes for")
	expires := fs.String("expires", "", "with create: lifetime, e.g. 30d or 12h (default: none)")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	want := map[string]int{"create": 0, "list": 0, "revoke": 1, "rotate": 1}
	n, ok := want[sub]
	if !ok {
		return fmt.Errorf("%w: unknown token command %q (create, list, revoke, rotate)", ErrUsage, sub)
	}
	if fs.NArg() != n {
		return fmt.Errorf("%w: token %s takes %d argument(s), got %v", ErrUsage, sub, n, fs.Args())
	}
	if *db == "" || *db == sqlitedb.Memory {
		return fmt.Errorf("%w: token needs the node's database file (--db)", ErrUsage)
	}
	sqlDB, err := sqlitedb.Open(*db)
	if err != nil {
		return err
	}
	defer sqlDB.Close()
	st, err := NewSQLStore(ctx, sqlDB)
	if err != nil {
		return err
	}
	ks := NewKeys(st)
	switch sub {
	case "create":
		r, err := ParseRole(*role)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrUsage, err)
		}
		ttl, err := ParseLifetime(*expires)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrUsage, err)
		}
		secret, k, err := ks.Create(ctx, KeyOptions{Owner: *owner, Role: r, Source: *source, TTL: ttl})
		if err != nil {
			return fmt.Errorf("%w: %v", ErrUsage, err)
		}
		printNew(stdout, secret, k)
	case "rotate":
		secret, k, err := ks.Rotate(ctx, fs.Arg(0))
		if err != nil {
			return err
		}
		printNew(stdout, secret, k)
	case "revoke":
		if err := ks.Revoke(ctx, fs.Arg(0)); err != nil {
			return fmt.Errorf("key %s: %w", fs.Arg(0), err)
		}
		fmt.Fprintf(stdout, "revoked %s\n", fs.Arg(0))
	case "list":
		keys, err := st.List(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tOWNER\tROLE\tSOURCE\tCREATED\tEXPIRES\tSTATE")
		now := time.Now()
		for _, k := range keys {
			state := "active"
			switch {
			case !k.Revoked.IsZero():
				state = "revoked " + k.Revoked.Format(time.RFC3339)
			case !k.Active(now):
				state = "expired"
			}
			exp := "never"
			if !k.Expires.IsZero() {
				exp = k.Expires.Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Owner, k.Role, k.Source, k.Created.Format(time.RFC3339), exp, state)
		}
		return tw.Flush()
	}
	return nil
}

func printNew(w io.Writer, secret string, k Key) {
	exp := "never"
	if !k.Expires.IsZero() {
		exp = k.Expires.Format(time.RFC3339)
	}
	fmt.Fprintf(w, "%s\n# key %s for %s (role %s), expires %s; shown only now: keep it secret\n", secret, k.ID, k.Owner, k.Role, exp)
}
