package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"time"

	"github.com/spf13/cobra"

	"github.com/arcsecond-go/arcsecond/connectors/gcn" // also registers the "gcn" recorded format
)

func init() { register(addGCNCommands) }

func addGCNCommands(root *cobra.Command) {
	cmd := &cobra.Command{
		Use:   "gcn",
		Short: "NASA GCN notices: spacecraft pointings and transient alerts",
	}
	cmd.AddCommand(newGCNDecodeCmd(), newGCNListenCmd())
	root.AddCommand(cmd)
}

// gcnOutput is what `gcn decode` and `gcn listen` print for a notice.
type gcnOutput struct {
	File   string `json:"file,omitempty"`
	Topic  string `json:"topic,omitempty"`
	Offset *int64 `json:"offset,omitempty"`
	*gcn.Notice
}

func newGCNDecodeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "decode FILE...",
		Short: "Decode recorded GCN notices (Classic binary or JSON) and print each as JSON",
		Long: "Decodes each file as one GCN notice — a Classic 160-byte binary packet or a unified-schema JSON notice —\n" +
			"and prints a JSON line per file: its format, type, and the activities (pointings, archived data) and\n" +
			"alerts it describes. A notice that cannot be decoded is reported on standard error with the reason;\n" +
			"the exit code is then 1.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetEscapeHTML(false)
			failed := 0
			for _, f := range args {
				b, err := os.ReadFile(f)
				if err != nil {
					if errors.Is(err, os.ErrNotExist) && len(args) == 1 {
						return notFoundError{err}
					}
					fmt.Fprintf(cmd.ErrOrStderr(), "%s: %v\n", f, err)
					failed++
					continue
				}
				n, err := gcn.Decode("", b)
				if err != nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "%s: %v\n", f, err)
					failed++
					continue
				}
				if err := enc.Encode(gcnOutput{File: f, Notice: n}); err != nil {
					return err
				}
			}
			if failed > 0 {
				return fmt.Errorf("%d of %d notices could not be decoded", failed, len(args))
			}
			return nil
		},
	}
}

func newGCNListenCmd() *cobra.Command {
	var (
		o     gcn.Options
		tests bool
	)
	cmd := &cobra.Command{
		Use:   "listen --topic TOPIC ...",
		Short: "Consume GCN's Kafka notices and print each decoded notice as a JSON line",
		Long: "Connects to GCN's Kafka service with OIDC client credentials (GCN_CLIENT_ID and GCN_CLIENT_SECRET, from\n" +
			"https://gcn.nasa.gov/quickstart), consumes the topics and prints each decoded notice as a JSON line until\n" +
			"interrupted. Offsets are committed for the consumer group, so a restart resumes where it stopped.\n" +
			"Notices that do not decode are logged on standard error and skipped; test notices are skipped unless\n" +
			"--tests.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(o.Topics) == 0 {
				return usageErrorf("--topic is required (for example gcn.classic.binary.SWIFT_POINTDIR, gcn.notices.chime.frb)")
			}
			o.Logger = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
			src, err := gcn.NewSource(o)
			if err != nil {
				return usageError{err}
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetEscapeHTML(false)
			err = src.Run(ctx, func(_ context.Context, m gcn.Message) error {
				if m.Notice.Test && !tests {
					return nil
				}
				off := m.Offset
				return enc.Encode(gcnOutput{Topic: m.Topic, Offset: &off, Notice: m.Notice})
			})
			st := src.Stats()
			fmt.Fprintf(cmd.ErrOrStderr(), "gcn: %d notices, %d poison skipped, %d heartbeats (last %s)\n",
				st.Notices, st.Poison, st.Heartbeats, st.LastHeartbeat.Format(time.RFC3339))
			if errors.Is(err, context.Canceled) {
				return nil
			}
			if err != nil {
				return networkError{err}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.Topics, "topic", nil, "topics to consume (repeatable or comma-separated)")
	f.StringSliceVar(&o.Brokers, "broker", nil, "bootstrap brokers (default "+gcn.DefaultBroker+")")
	f.StringVar(&o.Group, "group", gcn.DefaultGroup, "consumer group (its committed offsets make restarts resume)")
	f.StringVar(&o.TokenURL, "token-url", gcn.DefaultTokenURL, "OAuth 2.0 token endpoint")
	f.BoolVar(&o.StartAtEnd, "latest", false, "a new group starts at the end of each topic instead of its beginning")
	f.BoolVar(&o.NoAuth, "no-auth", false, "connect without SASL (a local broker)")
	f.BoolVar(&o.Plaintext, "plaintext", false, "connect without TLS (a local broker)")
	f.BoolVar(&tests, "tests", false, "print test notices too")
	return cmd
}
