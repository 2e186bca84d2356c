package arcsecond

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"
)

// The activity stores order and select activities by time.Time.UnixNano,
// which represents the instants from minStorable to maxStorable
// (1677-09-21 to 2262-04-11); a query bound outside that range would
// overflow into a wrong answer, so the API refuses it.
var (
	minStorable = time.Unix(0, math.MinInt64+1).UTC()
	maxStorable = time.Unix(0, math.MaxInt64).UTC()
)

// checkStorable refuses a time bound the stores cannot represent.
func checkStorable(field string, t time.Time) error {
	if t.Before(minStorable) || t.After(maxStorable) {
		return fmt.Errorf("%s %s is outside the range the activity stores represent, %s to %s",
			field, t.Format(time.RFC3339), minStorable.Format(time.RFC3339), maxStorable.Format(time.RFC3339))
	}
	return nil
}

// defaultMaxSubscriptions is NodeOptions.MaxSubscriptions's default.
const defaultMaxSubscriptions = 10000

// errTooMany is putSubscription's error when the node holds its maximum of
// subscriptions.
var errTooMany = errors.New("too many subscriptions")

// maxSubscriptions is the cap on subscriptions, 0 for none.
func (n *Node) maxSubscriptions() int {
	switch m := n.opts.MaxSubscriptions; {
	case m < 0:
		return 0
	case m == 0:
		return defaultMaxSubscriptions
	default:
		return m
	}
}

// atCap reports whether the node holds its maximum of subscriptions
// (called with subsMu held).
func (n *Node) atCap() bool {
	m := n.maxSubscriptions()
	return m > 0 && n.index.Len()+len(n.paused) >= m
}

// sampledLog logs at most perInterval records an interval, counting those
// it leaves out and reporting their number with the next record it logs:
// 500 subscriptions failing on every activity must not write 500 lines a
// second.
type sampledLog struct {
	log         *slog.Logger
	perInterval int
	interval    time.Duration
	now         func() time.Time

	mu         sync.Mutex
	start      time.Time // of the current interval
	logged     int       // in the current interval
	suppressed int       // since the last record logged
	flushing   bool      // a flush is scheduled
}

func newSampledLog(log *slog.Logger, perInterval int, interval time.Duration) *sampledLog {
	return &sampledLog{log: log, perInterval: perInterval, interval: interval, now: time.Now}
}

// warn logs msg with args unless the interval's budget is spent.
func (s *sampledLog) warn(msg string, args ...any) {
	s.mu.Lock()
	now := s.now()
	if now.Sub(s.start) >= s.interval {
		s.start, s.logged = now, 0
	}
	if s.logged >= s.perInterval {
		s.suppressed++
		if !s.flushing { // report the count even if nothing follows
			s.flushing = true
			time.AfterFunc(s.start.Add(s.interval).Sub(now), s.flush)
		}
		s.mu.Unlock()
		return
	}
	s.logged++
	left := s.suppressed
	s.suppressed = 0
	s.mu.Unlock()
	if left > 0 {
		args = append(args, "suppressed", left)
	}
	s.log.Warn(msg, args...)
}

// flush logs the number of records left out since the last one logged.
func (s *sampledLog) flush() {
	s.mu.Lock()
	left := s.suppressed
	s.suppressed, s.flushing = 0, false
	s.mu.Unlock()
	if left > 0 {
		s.log.Warn("warnings suppressed", "suppressed", left)
	}
}

// deliveryWarnings is how many delivery failures the node logs a second;
// the others are counted in the "suppressed" attribute of the next.
const deliveryWarnings = 10
