package arcsecond

import (
	"context"
	"log/slog"
)

// quietPolls logs the feed's "polled" records at debug level.
type quietPolls struct{ slog.Handler }

func (q quietPolls) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "polled" && r.Level == slog.LevelInfo {
		r.Level = slog.LevelDebug
		if !q.Handler.Enabled(ctx, slog.LevelDebug) {
			return nil
		}
	}
	return q.Handler.Handle(ctx, r)
}

func (q quietPolls) WithAttrs(as []slog.Attr) slog.Handler {
	return quietPolls{q.Handler.WithAttrs(as)}
}
func (q quietPolls) WithGroup(n string) slog.Handler { return quietPolls{q.Handler.WithGroup(n)} }
