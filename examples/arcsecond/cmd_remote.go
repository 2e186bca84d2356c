package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/client"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

func init() { register(addRemoteCommands) }

// addRemoteCommands adds "arcsecond remote ...": a running node's API
// through the typed client (package client).
func addRemoteCommands(root *cobra.Command) {
	var baseURL, key string
	remote := &cobra.Command{
		Use:   "remote",
		Short: "Use a running node (activityd) through its API",
		Long: `Calls the API of a running arcsecond node (--url, env ARCSECOND_URL) with an API key
(--key, env ARCSECOND_API_KEY; see "activityd token create"). Answers are printed as JSON,
one object a line for lists.`,
	}
	remote.PersistentFlags().StringVar(&baseURL, "url", cmp.Or(os.Getenv("ARCSECOND_URL"), "http://127.0.0.1:8080"), "the node's base URL (env ARCSECOND_URL)")
	remote.PersistentFlags().StringVar(&key, "key", os.Getenv("ARCSECOND_API_KEY"), "API key or bearer token (env ARCSECOND_API_KEY)")
	// cmd wraps a command's work with a client and the JSON output.
	cmd := func(use, short string, args cobra.PositionalArgs, f func(ctx context.Context, c *client.Client, args []string, out *json.Encoder) error) *cobra.Command {
		return &cobra.Command{Use: use, Short: short, Args: args, RunE: func(cc *cobra.Command, a []string) error {
			c, err := client.New(baseURL, client.Options{APIKey: key})
			if err != nil {
				return usageError{err}
			}
			enc := json.NewEncoder(cc.OutOrStdout())
			enc.SetEscapeHTML(false)
			return remoteError(f(cc.Context(), c, a, enc))
		}}
	}
	var lo client.ActivityListOptions
	var kind, start, end string
	var all bool
	acts := cmd("activities", "List activities (one page, or --all pages)", cobra.NoArgs, func(ctx context.Context, c *client.Client, _ []string, out *json.Encoder) error {
		lo.Kind = activities.Kind(kind)
		for _, p := range []struct {
			s   string
			dst *time.Time
		}{{start, &lo.Start}, {end, &lo.End}} {
			if p.s == "" {
				continue
			}
			t, err := time.Parse(time.RFC3339, p.s)
			if err != nil {
				return usageErrorf("--start/--end %q: want an RFC 3339 time", p.s)
			}
			*p.dst = t
		}
		page, err := c.ListActivities(ctx, &lo)
		for page != nil && err == nil {
			for i := range page.Activities {
				if err := out.Encode(&page.Activities[i]); err != nil {
					return err
				}
			}
			if !all {
				if page.Next != "" {
					fmt.Fprintf(os.Stderr, "next page: --cursor %s\n", page.Next)
				}
				return nil
			}
			page, err = c.NextActivities(ctx, page)
		}
		return err
	})
	f := acts.Flags()
	f.StringVar(&lo.Source, "source", "", "only this source")
	f.StringVar(&lo.Facility, "facility", "", "only this facility")
	f.StringVar(&lo.Instrument, "instrument", "", "only this instrument")
	f.StringVar(&kind, "kind", "", "only this kind")
	f.StringVar(&start, "start", "", "window start (RFC 3339)")
	f.StringVar(&end, "end", "", "window end (RFC 3339)")
	f.IntVar(&lo.Limit, "limit", 0, "page size (1 to 1000)")
	f.StringVar(&lo.Cursor, "cursor", "", "start at this page")
	f.BoolVar(&all, "all", false, "follow every page")

	subs := &cobra.Command{Use: "subscriptions", Short: "Manage your subscriptions"}
	subs.AddCommand(
		cmd("list", "List your subscriptions", cobra.NoArgs, func(ctx context.Context, c *client.Client, _ []string, out *json.Encoder) error {
			ss, err := c.ListSubscriptions(ctx)
			for _, s := range ss {
				out.Encode(s)
			}
			return err
		}),
		cmd("get ID", "Show a subscription", cobra.ExactArgs(1), func(ctx context.Context, c *client.Client, a []string, out *json.Encoder) error {
			s, err := c.GetSubscription(ctx, a[0])
			if err != nil {
				return err
			}
			return out.Encode(s)
		}),
		cmd("create FILE", "Create the subscription of a JSON file (\"-\": standard input)", cobra.ExactArgs(1), func(ctx context.Context, c *client.Client, a []string, out *json.Encoder) error {
			b, err := readArg(a[0])
			if err != nil {
				return err
			}
			sub, err := subscribe.ParseSubscription(b)
			if err != nil {
				return usageError{fmt.Errorf("%s: %w", a[0], err)}
			}
			s, err := c.CreateSubscription(ctx, sub)
			if err != nil {
				return err
			}
			return out.Encode(s)
		}),
		cmd("delete ID", "Delete a subscription", cobra.ExactArgs(1), func(ctx context.Context, c *client.Client, a []string, _ *json.Encoder) error {
			return c.DeleteSubscription(ctx, a[0])
		}),
		cmd("matches ID", "A subscription's latest matches", cobra.ExactArgs(1), func(ctx context.Context, c *client.Client, a []string, out *json.Encoder) error {
			ms, err := c.ListMatches(ctx, a[0], 0)
			for _, m := range ms {
				out.Encode(m)
			}
			return err
		}),
	)
	remote.AddCommand(acts, subs,
		cmd("activity ID", "Show one activity", cobra.ExactArgs(1), func(ctx context.Context, c *client.Client, a []string, out *json.Encoder) error {
			x, err := c.GetActivity(ctx, a[0])
			if err != nil {
				return err
			}
			return out.Encode(x)
		}),
		cmd("sources", "List the node's sources and their health", cobra.NoArgs, func(ctx context.Context, c *client.Client, _ []string, out *json.Encoder) error {
			ss, err := c.ListSources(ctx)
			for _, s := range ss {
				out.Encode(s)
			}
			return err
		}),
		cmd("publish FILE", "Publish the activities of a JSON Lines file (\"-\": standard input) with a publisher key", cobra.ExactArgs(1), func(ctx context.Context, c *client.Client, a []string, out *json.Encoder) error {
			var acts []activities.Activity
			r, closeFn, err := openArg(a[0])
			if err != nil {
				return err
			}
			defer closeFn()
			if err := eachLine(r, a[0], func(n int, line []byte) error {
				var x activities.Activity
				if err := json.Unmarshal(line, &x); err != nil {
					return usageErrorf("%s line %d: %v", a[0], n, err)
				}
				acts = append(acts, x)
				return nil
			}); err != nil {
				return err
			}
			res, err := c.Publish(ctx, acts)
			if err != nil {
				return err
			}
			return out.Encode(res)
		}),
	)
	root.AddCommand(remote)
}

// remoteError maps the node's answers to the CLI's exit codes.
func remoteError(err error) error {
	var e *client.Error
	switch {
	case err == nil:
		return nil
	case client.IsNotFound(err):
		return notFoundError{err}
	case errors.As(err, &e) && e.StatusCode < 500 && e.StatusCode != 429:
		return usageError{err}
	case errors.As(err, &e), errors.As(err, new(usageError)):
		return err
	}
	return networkError{err}
}

func openArg(name string) (io.Reader, func() error, error) {
	if name == "-" {
		return os.Stdin, func() error { return nil }, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, usageError{err}
	}
	return f, f.Close, nil
}

func readArg(name string) ([]byte, error) {
	r, closeFn, err := openArg(name)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	return io.ReadAll(r)
}
