package adql

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// hostile are inputs that try to leave a literal or an identifier.
var hostile = []string{
	`'`, `''`, `x' OR '1'='1`, `'; DROP TABLE ivoa.obscore; --`, `\'`, `\`, `' --`,
	"a\nb", "--", "/* c */", `"`, `""`, `a" OR "b`, `x"; SELECT 1 --`, "ρ Oph '", "Barnard's Star",
	`'||(SELECT 1)||'`, "\t'\r\n'",
}

// scanLiteral reads an ADQL character literal at the start of s and
// returns its value and the rest. It is an independent, minimal lexer.
func scanLiteral(t *testing.T, s string) (string, string) {
	t.Helper()
	if !strings.HasPrefix(s, "'") {
		t.Fatalf("literal %q does not start with a quote", s)
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] == '\'' {
			if i+1 < len(s) && s[i+1] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			return b.String(), s[i+1:]
		}
		b.WriteByte(s[i])
	}
	t.Fatalf("literal %q is not closed", s)
	return "", ""
}

// scanLiteralBackslash reads a literal as a parser that takes \x as an
// escape does (DaCHS 2.7), returning the rest after the closing quote, or
// ok=false when the literal is not closed.
func scanLiteralBackslash(s string) (rest string, ok bool) {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '\'':
			if i+1 < len(s) && s[i+1] == '\'' {
				i++
				continue
			}
			return s[i+1:], true
		}
	}
	return "", false
}

func TestStringCannotEscape(t *testing.T) {
	for _, h := range hostile {
		q, err := String(h)
		if errors.Is(err, ErrBackslash) {
			continue
		}
		if err != nil {
			t.Fatalf("String(%q): %v", h, err)
		}
		v, rest := scanLiteral(t, q)
		if v != h || rest != "" {
			t.Errorf("String(%q) = %s: reads back as %q with %q after it", h, q, v, rest)
		}
		if rest, ok := scanLiteralBackslash(q); !ok || rest != "" {
			t.Errorf("String(%q) = %s: a backslash-escaping parser reads %q after it", h, q, rest)
		}
	}
}

func TestBackslashBeforeQuoteRefused(t *testing.T) {
	// With DaCHS 2.7 this input, quoted by doubling alone, ended the
	// literal and injected OR 1=1 (found by the integration test).
	for _, s := range []string{`a\' OR 1=1 --`, `\`, `x\`, `\\'`} {
		if _, err := String(s); !errors.Is(err, ErrBackslash) {
			t.Errorf("String(%q) = %v, want ErrBackslash", s, err)
		}
	}
	if _, err := Ident(`a\"b`); !errors.Is(err, ErrBackslash) {
		t.Errorf("Ident with backslash-quote: %v", err)
	}
	// Other backslashes are fine.
	if q, err := String(`C:\data\x.fits`); err != nil || q != `'C:\data\x.fits'` {
		t.Errorf("String with backslashes = %s, %v", q, err)
	}
}

func TestStringRefusesBadText(t *testing.T) {
	for _, s := range []string{"a\x00b", "\xff\xfe"} {
		if _, err := String(s); err == nil {
			t.Errorf("String(%q) accepted", s)
		}
	}
}

func TestIdent(t *testing.T) {
	cases := []struct {
		in   []string
		want string
	}{
		{[]string{"ivoa", "obscore"}, "ivoa.obscore"},
		{[]string{"s_ra"}, "s_ra"},
		{[]string{"select"}, `"select"`},
		{[]string{"Size"}, `"Size"`},
		{[]string{"my col"}, `"my col"`},
		{[]string{`a"b`}, `"a""b"`},
		{[]string{"1abc"}, `"1abc"`},
		{[]string{"TAP_UPLOAD", "mine"}, "TAP_UPLOAD.mine"},
	}
	for _, c := range cases {
		got, err := Ident(c.in...)
		if err != nil || got != c.want {
			t.Errorf("Ident(%q) = %s, %v; want %s", c.in, got, err, c.want)
		}
	}
	for _, h := range hostile {
		got, err := Ident(h)
		if errors.Is(err, ErrBackslash) {
			continue
		}
		if err != nil {
			t.Fatalf("Ident(%q): %v", h, err)
		}
		// A delimited identifier: one quoted token whose content, with ""
		// undoubled, is the input.
		if !strings.HasPrefix(got, `"`) || !strings.HasSuffix(got, `"`) {
			t.Fatalf("Ident(%q) = %s is not delimited", h, got)
		}
		inner := got[1 : len(got)-1]
		if strings.Contains(strings.ReplaceAll(inner, `""`, ""), `"`) {
			t.Errorf("Ident(%q) = %s has an unescaped quote", h, got)
		}
		if strings.ReplaceAll(inner, `""`, `"`) != h {
			t.Errorf("Ident(%q) = %s does not read back", h, got)
		}
	}
	if _, err := Ident(); err == nil {
		t.Error("Ident() accepted no parts")
	}
	if _, err := Ident("a", ""); err == nil {
		t.Error("Ident with an empty part accepted")
	}
}

func TestNumbers(t *testing.T) {
	if s, _ := Float(-1.5); s != "(-1.5)" {
		t.Errorf("Float(-1.5) = %s", s)
	}
	if s, _ := Float(1e-300); s != "1e-300" {
		t.Errorf("Float(1e-300) = %s", s)
	}
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, err := Float(v); err == nil {
			t.Errorf("Float(%v) accepted", v)
		}
	}
	// "a -%d" must not become the comment "a --5".
	q, err := Sprintf("SELECT a -%d FROM t", -5)
	if err != nil || strings.Contains(q, "--") {
		t.Errorf("Sprintf negative = %q, %v", q, err)
	}
}

func TestSprintf(t *testing.T) {
	when := time.Date(2024, 3, 1, 12, 30, 0, 0, time.UTC)
	q, err := Sprintf("SELECT TOP %d * FROM %i WHERE target_name = %s AND s_ra > %f AND t > %t AND x = %v AND y = %v AND p = 100%%",
		10, []string{"ivoa", "obscore"}, "Barnard's Star", 12.5, when, "a'b", 3)
	if err != nil {
		t.Fatal(err)
	}
	want := "SELECT TOP 10 * FROM ivoa.obscore WHERE target_name = 'Barnard''s Star' AND s_ra > 12.5 AND t > '2024-03-01T12:30:00' AND x = 'a''b' AND y = 3 AND p = 100%"
	if q != want {
		t.Errorf("got  %s\nwant %s", q, want)
	}
	for _, bad := range []struct {
		f    string
		args []any
	}{
		{"%s", nil},
		{"%s", []any{1}},
		{"%d", []any{"1"}},
		{"%i", []any{3}},
		{"%q", []any{"x"}},
		{"%s %s", []any{"a"}},
		{"%s", []any{"a", "b"}},
		{"100%", nil},
		{"%f", []any{math.NaN()}},
		{"%v", []any{struct{}{}}},
	} {
		if _, err := Sprintf(bad.f, bad.args...); err == nil {
			t.Errorf("Sprintf(%q, %v) accepted", bad.f, bad.args)
		}
	}
}

func FuzzString(f *testing.F) {
	for _, h := range hostile {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := String(s)
		if err != nil {
			return
		}
		v, rest := scanLiteral(t, q)
		if v != s || rest != "" {
			t.Fatalf("String(%q) = %s escapes", s, q)
		}
		if rest, ok := scanLiteralBackslash(q); !ok || rest != "" {
			t.Fatalf("String(%q) = %s escapes a backslash-escaping parser", s, q)
		}
	})
}

func ExampleSprintf() {
	target := "Barnard's Star' OR '1'='1"
	q, err := Sprintf("SELECT obs_id FROM %i WHERE target_name = %s", []string{"ivoa", "obscore"}, target)
	if err != nil {
		panic(err)
	}
	fmt.Println(q)
	// Output: SELECT obs_id FROM ivoa.obscore WHERE target_name = 'Barnard''s Star'' OR ''1''=''1'
}

func ExampleIdent() {
	col, _ := Ident("Size")
	tab, _ := Ident("TAP_UPLOAD", "my targets")
	fmt.Println(col, tab)
	// Output: "Size" TAP_UPLOAD."my targets"
}
