package connectors_test

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/google/go-cmp/cmp"
)

var registerJoinOnce sync.Once

func suffix(s string) func(string, []byte) bool {
	return func(p string, _ []byte) bool { return strings.HasSuffix(p, s) }
}

// registerJoin registers "test-join", a joining format of three roles:
// main (*.main, required, the format's own reply), extra (*.extra, one at
// most) and part (*.part, any number). Its Join counts each reply's bytes
// as records and warns once per reply under its role, so a test sees
// which reply went where.
func registerJoin() {
	registerJoinOnce.Do(func() {
		connectors.Register("test-joining", connectors.Driver{
			Open: func(c connectors.Config) (activities.Source, error) { return nopSource{c}, nil },
			Parsers: []connectors.Parser{{
				Name: "test-join", Recognize: suffix(".main"),
				Parse: func(b []byte) (*connectors.Reply, error) { return &connectors.Reply{Records: len(b)}, nil },
				Roles: []connectors.Role{
					{Name: "main"},
					{Name: "extra", Recognize: suffix(".extra"), Optional: true},
					{Name: "part", Recognize: suffix(".part"), Optional: true, Many: true},
				},
				Join: func(rs []connectors.Recorded) (*connectors.Reply, error) {
					res := &connectors.Reply{}
					for _, r := range rs {
						if string(r.Body) == "bad" {
							return nil, errors.New(r.Name + ": bad")
						}
						res.Records += len(r.Body)
						res.Warn(r.Role)
					}
					return res, nil
				},
			}},
		})
	})
}

func rec(name, body string) connectors.Recorded {
	return connectors.Recorded{Name: name, Body: []byte(body)}
}

func TestAssignRoles(t *testing.T) {
	registerJoin()
	registerNop()
	got, err := connectors.AssignRoles("test-join", rec("b.part", "p2"), rec("a.extra", "e"), rec("s.main", "main"), rec("a.part", "p1"))
	if err != nil {
		t.Fatal(err)
	}
	want := []connectors.Recorded{
		{Name: "s.main", Body: []byte("main"), Role: "main"},
		{Name: "a.extra", Body: []byte("e"), Role: "extra"},
		{Name: "b.part", Body: []byte("p2"), Role: "part"},
		{Name: "a.part", Body: []byte("p1"), Role: "part"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("roles (-want +got):\n%s", d)
	}
	for _, tc := range []struct {
		name    string
		replies []connectors.Recorded
		role    string
		inErr   []string
	}{
		{"unknown file", []connectors.Recorded{rec("s.main", ""), rec("notes.txt", "")}, "", []string{"notes.txt", "plays none", "main, extra, part"}},
		{"missing main", []connectors.Recorded{rec("a.extra", ""), rec("a.part", "")}, "main", []string{"no reply plays the main role"}},
		{"two extras", []connectors.Recorded{rec("s.main", ""), rec("a.extra", ""), rec("b.extra", "")}, "extra", []string{"a.extra and b.extra", "extra role, which takes one reply"}},
		{"nothing", nil, "main", []string{"main"}},
	} {
		_, err := connectors.AssignRoles("test-join", tc.replies...)
		var re *connectors.RoleError
		if !errors.As(err, &re) || re.Role != tc.role || !errors.Is(err, connectors.ErrInvalid) {
			t.Errorf("%s: %v, want a RoleError for role %q matching ErrInvalid", tc.name, err, tc.role)
			continue
		}
		for _, s := range tc.inErr {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%s: %q does not say %q", tc.name, err, s)
			}
		}
	}
	if _, err := connectors.AssignRoles("test-nop-specific", rec("a.nop", "")); err == nil || !strings.Contains(err.Error(), "joins none") {
		t.Errorf("a format that does not join: %v", err)
	}
	if _, err := connectors.AssignRoles("no-such-format"); err == nil || !strings.Contains(err.Error(), "no-such-format") {
		t.Errorf("unknown format: %v", err)
	}
}

func TestParseReplies(t *testing.T) {
	registerJoin()
	registerNop()
	rep, err := connectors.ParseReplies("test-join", rec("x.part", "12"), rec("s.main", "1234"))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Records != 6 || rep.Warnings["main"] != 1 || rep.Warnings["part"] != 1 {
		t.Errorf("join: %+v", rep)
	}
	if _, err := connectors.ParseReplies("test-join", rec("s.main", "bad")); err == nil || !strings.Contains(err.Error(), "s.main: bad") || !strings.Contains(err.Error(), "test-join") {
		t.Errorf("a failing join: %v", err)
	}
	if _, err := connectors.ParseReplies("test-join", rec("x.part", "12")); err == nil || !strings.Contains(err.Error(), "main role") {
		t.Errorf("a join without its main reply: %v", err)
	}
	// a format that does not join reads exactly one reply
	if rep, err := connectors.ParseReplies("test-nop-specific", rec("a.nop", "")); err != nil || rep.Records != 1 {
		t.Errorf("one reply of a format that does not join: %v %v", rep, err)
	}
	if _, err := connectors.ParseReplies("test-nop-specific", rec("a.nop", ""), rec("b.nop", "")); !errors.Is(err, connectors.ErrInvalid) {
		t.Errorf("two replies of a format that does not join: %v", err)
	}
	if _, err := connectors.ParseReplies("no-such-format", rec("a", "")); err == nil {
		t.Error("unknown format parsed")
	}
	if connectors.JoinRoles("test-nop-specific") != nil || connectors.JoinRoles("no-such-format") != nil || len(connectors.JoinRoles("test-join")) != 3 {
		t.Error("JoinRoles")
	}
}

func TestRecognizeRole(t *testing.T) {
	registerJoin()
	for _, tc := range []struct{ path, format, role string }{
		{"a/s.main", "test-join", "main"},
		{"a/b.part", "test-join", "part"},
		{"a/notes.txt", "", ""},
	} {
		if f, r := connectors.RecognizeRole(tc.path, nil); f != tc.format || r != tc.role {
			t.Errorf("%s: %q %q, want %q %q", tc.path, f, r, tc.format, tc.role)
		}
	}
}

func TestGroupReplies(t *testing.T) {
	registerJoin()
	registerNop()
	names := func(gs []connectors.Group) [][]string {
		var out [][]string
		for _, g := range gs {
			row := []string{g.Format}
			for _, r := range g.Replies {
				row = append(row, r.Name+":"+r.Role)
			}
			out = append(out, row)
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		replies []connectors.Recorded
		want    [][]string
		unknown []string
	}{
		{"a join and a reply alone",
			[]connectors.Recorded{rec("x.nop", ""), rec("b.part", ""), rec("s.main", ""), rec("notes.txt", ""), rec("a.part", "")},
			[][]string{{"test-nop-generic", "x.nop:"}, {"test-join", "s.main:main", "b.part:part", "a.part:part"}},
			[]string{"notes.txt"}},
		{"the main reply alone is read alone",
			[]connectors.Recorded{rec("s.main", "")},
			[][]string{{"test-join", "s.main:"}}, nil},
		{"parts without their main reply join nothing",
			[]connectors.Recorded{rec("a.part", ""), rec("b.part", "")},
			nil, []string{"a.part", "b.part"}},
		{"two extras cannot join: each is read alone when a format reads it",
			[]connectors.Recorded{rec("s.main", ""), rec("a.extra", ""), rec("b.extra", "")},
			[][]string{{"test-join", "s.main:"}}, []string{"a.extra", "b.extra"}},
	} {
		gs, unknown := connectors.GroupReplies(tc.replies...)
		if d := cmp.Diff(tc.want, names(gs)); d != "" {
			t.Errorf("%s: groups (-want +got):\n%s", tc.name, d)
		}
		if d := cmp.Diff(tc.unknown, unknown); d != "" {
			t.Errorf("%s: unknown (-want +got):\n%s", tc.name, d)
		}
		for _, g := range gs {
			if _, err := g.Parse(); err != nil {
				t.Errorf("%s: %s: %v", tc.name, g.Format, err)
			}
		}
	}
}

func TestRegisterChecksRoles(t *testing.T) {
	parse := func([]byte) (*connectors.Reply, error) { return nil, nil }
	join := func([]connectors.Recorded) (*connectors.Reply, error) { return nil, nil }
	for name, p := range map[string]connectors.Parser{
		"roles without a join":       {Name: "test-bad-1", Parse: parse, Recognize: suffix(".x"), Roles: []connectors.Role{{Name: "a"}}},
		"a join without roles":       {Name: "test-bad-2", Parse: parse, Join: join},
		"a role without a name":      {Name: "test-bad-3", Parse: parse, Recognize: suffix(".x"), Join: join, Roles: []connectors.Role{{}}},
		"a repeated role":            {Name: "test-bad-4", Parse: parse, Recognize: suffix(".x"), Join: join, Roles: []connectors.Role{{Name: "a"}, {Name: "a"}}},
		"a role recognizing nothing": {Name: "test-bad-5", Parse: parse, Join: join, Roles: []connectors.Role{{Name: "a"}}},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: Register did not panic", name)
				}
			}()
			connectors.Register("test-bad-"+name, connectors.Driver{
				Open:    func(connectors.Config) (activities.Source, error) { return nil, nil },
				Parsers: []connectors.Parser{p},
			})
		}()
		if connectors.Registered("test-bad-" + name) {
			t.Errorf("%s: registered", name)
		}
	}
}

// FuzzGroupReplies: any names and bodies are grouped without a panic,
// every reply lands in one group or in unknown, and every group parses or
// fails with an error.
func FuzzGroupReplies(f *testing.F) {
	f.Add("s.main", "a.part", "b.extra", []byte("x"))
	f.Add("s.main", "s.main", "notes.txt", []byte("bad"))
	f.Fuzz(func(t *testing.T, a, b, c string, body []byte) {
		registerJoin()
		registerNop()
		rs := []connectors.Recorded{{Name: a, Body: body}, {Name: b, Body: body}, {Name: c}}
		gs, unknown := connectors.GroupReplies(rs...)
		n := len(unknown)
		for _, g := range gs {
			n += len(g.Replies)
			if rep, err := g.Parse(); err == nil && rep == nil {
				t.Fatalf("%s: no reply and no error", g.Format)
			}
		}
		if n != len(rs) {
			t.Fatalf("%d replies grouped or unknown, of %d", n, len(rs))
		}
		if _, err := connectors.ParseReplies("test-join", rs...); err != nil && err.Error() == "" {
			t.Fatal("an empty error")
		}
	})
}

func TestReadRoles(t *testing.T) {
	var got []string
	read := map[string]func([]byte) error{
		"main": func(b []byte) error { got = append(got, "main:"+string(b)); return nil },
		"part": func(b []byte) error {
			if string(b) == "bad" {
				return errors.New("cannot read")
			}
			got = append(got, "part:"+string(b))
			return nil
		},
	}
	rs := []connectors.Recorded{{Name: "s.main", Body: []byte("1"), Role: "main"}, {Name: "a.part", Body: []byte("2"), Role: "part"}}
	if err := connectors.ReadRoles(rs, read); err != nil || !slices.Equal(got, []string{"main:1", "part:2"}) {
		t.Errorf("%v %v", got, err)
	}
	err := connectors.ReadRoles([]connectors.Recorded{{Name: "b.part", Body: []byte("bad"), Role: "part"}}, read)
	if err == nil || err.Error() != "b.part: cannot read" {
		t.Errorf("a failing read: %v, want the reply's name before the error", err)
	}
	err = connectors.ReadRoles([]connectors.Recorded{{Name: "x.extra", Role: "extra"}}, read)
	if !errors.Is(err, connectors.ErrInvalid) || !strings.Contains(err.Error(), "x.extra") || !strings.Contains(err.Error(), `"extra"`) {
		t.Errorf("a role without a read function: %v", err)
	}
}
