package natsx_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/arcsecond-go/arcsecond/internal/natsx"
	"github.com/arcsecond-go/arcsecond/internal/natsx/natstest"
)

func TestToken(t *testing.T) {
	for in, want := range map[string]string{
		"":              "",
		"hst":           "hst",
		"eso.vlt":       "eso_vlt",
		"a*b>c":         "a_b_c",
		"two words\tx":  "two_words_x",
		"line\r\nbreak": "line__break",
		"nul\x00":       "nul_",
		"été-2026/ü=":   "été-2026/ü=",
	} {
		if got := natsx.Token(in); got != want {
			t.Errorf("Token(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzToken(f *testing.F) {
	f.Add("eso.vlt")
	f.Add("a b*>c")
	f.Fuzz(func(t *testing.T, s string) {
		tok := natsx.Token(s)
		if strings.ContainsAny(tok, ".*>") || strings.ContainsFunc(tok, func(r rune) bool { return r <= ' ' }) {
			t.Fatalf("Token(%q) = %q holds a separator, wildcard or space", s, tok)
		}
		if natsx.Token(tok) != tok {
			t.Fatalf("Token is not idempotent on %q", s)
		}
	})
}

// msg is a message on subject with JetStream message ID id.
func msg(subject, id string) *nats.Msg {
	m := &nats.Msg{Subject: subject, Data: []byte(id), Header: nats.Header{}}
	m.Header.Set(jetstream.MsgIDHeader, id)
	return m
}

func TestPublishAll(t *testing.T) {
	srv := natstest.StartServer(t)
	_, js := natstest.Connect(t, srv.ClientURL())
	ctx := context.Background()
	st, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{Name: "T", Subjects: []string{"t.>"}, Duplicates: time.Minute})
	if err != nil {
		t.Fatal(err)
	}

	acks, err := natsx.PublishAll(ctx, js, []*nats.Msg{msg("t.a", "1"), msg("t.b", "2"), msg("t.a", "1")})
	if err != nil {
		t.Fatal(err)
	}
	if len(acks) != 3 || acks[0].Duplicate || acks[1].Duplicate || !acks[2].Duplicate {
		t.Fatalf("acks %+v, want the third (a copy of the first) marked duplicate", acks)
	}
	if acks[0].Sequence != 1 || acks[1].Sequence != 2 {
		t.Errorf("sequences %d, %d, want 1, 2 in the order of the messages", acks[0].Sequence, acks[1].Sequence)
	}
	if info, _ := st.Info(ctx); info.State.Msgs != 2 {
		t.Errorf("stream holds %d messages, want 2", info.State.Msgs)
	}

	if acks, err := natsx.PublishAll(ctx, js, nil); err != nil || len(acks) != 0 {
		t.Errorf("no messages: acks %v, err %v", acks, err)
	}

	// No stream listens on the subject: the error names the message.
	_, err = natsx.PublishAll(ctx, js, []*nats.Msg{msg("t.c", "3"), msg("nowhere.x", "lost-4")})
	if err == nil || !strings.Contains(err.Error(), "publishing lost-4") {
		t.Errorf("publishing to no stream: %v, want an error naming lost-4", err)
	}

	// A plain subscriber that never answers holds the acknowledgement
	// back: PublishAll gives up when ctx ends.
	nc, js2 := natstest.Connect(t, srv.ClientURL())
	if _, err := nc.Subscribe("silent.>", func(*nats.Msg) {}); err != nil {
		t.Fatal(err)
	}
	nc.Flush()
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	_, err = natsx.PublishAll(short, js2, []*nats.Msg{msg("silent.x", "5")})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("unanswered publish: %v, want context.DeadlineExceeded", err)
	}
}
