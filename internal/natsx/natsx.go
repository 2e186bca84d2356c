// Package natsx holds the NATS JetStream plumbing that activities/jetstream
// (the activity stream and poll leases) and subscribe/jetstream (the
// notification outbox) share: turning a free-form name into one subject
// token, and publishing a batch of messages asynchronously and then waiting
// for every acknowledgement.
//
// Errors returned here carry what failed ("publishing <msg id>: ...") but no
// package prefix: the calling package adds its own ("jetstream: ",
// "subscribe/jetstream: "), so its messages read as before.
//
// The streams, buckets and consumers themselves are configured in each
// package: their retention, subjects and limits differ on purpose.
package natsx

import (
	"context"
	"fmt"
	"strings"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Token makes s safe as one subject token (and as a key-value key): every
// '.', '*', '>', space and control character becomes '_'. Other runes are
// kept, so distinct names map to distinct tokens unless they differ only in
// those characters. An empty s stays empty; callers that may pass one decide
// what it stands for.
func Token(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '.' || r == '*' || r == '>' || r <= ' ' {
			return '_'
		}
		return r
	}, s)
}

// PublishAll publishes msgs without waiting between them, then waits for the
// server's acknowledgement of each and returns them in the order of msgs. A
// message whose jetstream.MsgIDHeader the server has seen within its
// stream's duplicate window is acknowledged with PubAck.Duplicate set.
//
// It stops at the first failure: an error naming the message (by its
// jetstream.MsgIDHeader), or one wrapping ctx.Err() when ctx ends before all
// acknowledgements are in. Messages sent before a failure may have been
// stored. PublishAll adds no timeout of its own: give ctx one when the
// caller's may have none.
func PublishAll(ctx context.Context, js jetstream.JetStream, msgs []*nats.Msg) ([]*jetstream.PubAck, error) {
	futures := make([]jetstream.PubAckFuture, len(msgs))
	for i, m := range msgs {
		f, err := js.PublishMsgAsync(m)
		if err != nil {
			return nil, fmt.Errorf("publishing %s: %w", m.Header.Get(jetstream.MsgIDHeader), err)
		}
		futures[i] = f
	}
	acks := make([]*jetstream.PubAck, len(msgs))
	for i, f := range futures {
		select {
		case a := <-f.Ok():
			acks[i] = a
		case err := <-f.Err():
			return nil, fmt.Errorf("publishing %s: %w", msgs[i].Header.Get(jetstream.MsgIDHeader), err)
		case <-ctx.Done():
			return nil, fmt.Errorf("publishing: %w", ctx.Err())
		}
	}
	return acks, nil
}
