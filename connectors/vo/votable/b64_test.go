package votable

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"strings"
	"testing"
)

// chunkReader returns at most n bytes per Read, so that the lexer's buffer
// ends anywhere inside the text.
type chunkReader struct {
	r io.Reader
	n int
}

func (c *chunkReader) Read(p []byte) (int, error) { return c.r.Read(p[:min(len(p), c.n)]) }

// b64Want is what the inline STREAM text must decode to: every byte up to
// ' ' removed, then base64 with '=' padding only at the very end, or a
// final group of two or three characters without it.
func b64Want(text string) ([]byte, bool) {
	s := strings.Map(func(r rune) rune {
		if r <= ' ' {
			return -1
		}
		return r
	}, text)
	t := strings.TrimRight(s, "=")
	npad := len(s) - len(t)
	if strings.Contains(t, "=") || len(t)%4 == 1 || (npad > 0 && (npad > 2 || (len(t)+npad)%4 != 0)) {
		return nil, false
	}
	b, err := base64.RawStdEncoding.DecodeString(t)
	return b, err == nil
}

// b64Decode decodes text followed by '<' with a b64Stream over a lexer fed
// feed bytes at a time, asking for out bytes per Read.
func b64Decode(text string, feed, out int) ([]byte, error) {
	lx := newLexer(&chunkReader{strings.NewReader(text + "</STREAM>"), feed})
	s := &b64Stream{lx: lx}
	var got []byte
	p := make([]byte, out)
	for {
		n, err := s.Read(p)
		got = append(got, p[:n]...)
		if err == io.EOF {
			if lx.pos >= lx.end || lx.buf[lx.pos] != '<' {
				return got, errors.New("stopped before the '<'")
			}
			return got, nil
		}
		if err != nil {
			return got, err
		}
		if n == 0 {
			return got, errors.New("Read returned nothing and no error")
		}
	}
}

func TestB64Stream(t *testing.T) {
	payload := make([]byte, 1000)
	for i := range payload {
		payload[i] = byte(i * 7)
	}
	enc := base64.StdEncoding.EncodeToString(payload)
	var lines strings.Builder
	for i := 0; i < len(enc); i += 64 {
		lines.WriteString(enc[i:min(i+64, len(enc))] + "\n")
	}
	cases := []struct {
		name, text string
		ok         bool
	}{
		{"64-character lines", "\n" + lines.String(), true},
		{"one line", enc, true},
		{"spaces everywhere", " Q U J D\tR\r\nA = = ", true},
		{"unpadded final group of 2", "QUJDRA", true},
		{"unpadded final group of 3", "QUJDREU", true},
		{"padded", "QUJDREU=", true},
		{"empty", "  \n ", true},
		{"one character left over", "QUJDR", false},
		{"data after padding", "QQ==QUJD", false},
		{"padding in a quantum", "Q=JD", false},
		{"too much padding", "QQ===", false},
		{"incomplete padding", "QQ=", false},
		{"bad character", "QUJ*", false},
	}
	for _, c := range cases {
		want, ok := b64Want(c.text)
		if ok != c.ok {
			t.Fatalf("%s: reference says ok=%v", c.name, ok)
		}
		for _, feed := range []int{1, 3, 7, 64 << 10} {
			for _, out := range []int{1, 2, 5, 64 << 10} {
				got, err := b64Decode(c.text, feed, out)
				if (err == nil) != c.ok {
					t.Fatalf("%s (feed %d, out %d): error %v, want ok=%v", c.name, feed, out, err, c.ok)
				}
				if c.ok && !bytes.Equal(got, want) {
					t.Fatalf("%s (feed %d, out %d): got %x, want %x", c.name, feed, out, got, want)
				}
				if err != nil && !errors.Is(err, base64.CorruptInputError(0)) && !isCorrupt(err) {
					t.Fatalf("%s: error %v is not a base64.CorruptInputError", c.name, err)
				}
			}
		}
	}
}

func TestB64StreamUnterminated(t *testing.T) {
	lx := newLexer(strings.NewReader("QUJD"))
	_, err := io.ReadAll(&b64Stream{lx: lx})
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("got %v, want io.ErrUnexpectedEOF", err)
	}
}

// FuzzB64Stream checks the inline base64 decoder against the standard
// library on any text, fed and read in pieces of any size.
func FuzzB64Stream(f *testing.F) {
	f.Add("QUJD\nREVG\n", uint8(3), uint8(5))
	f.Add("AAAAQURQLjIwMjQtMDAwMDAwMDBTV0lGVABFU08tVkxULVUxAABNVVNFAAAAAE5H\nQyA4NDAAAAAAAAAAAAAAQGzGMlwIPpPAUfNGjRerFz1DlYFA7RPB4FooFUDtE8Hm\n", uint8(200), uint8(200))
	f.Add("QQ==", uint8(1), uint8(1))
	f.Add("QUI = ", uint8(2), uint8(9))
	f.Fuzz(func(t *testing.T, text string, feed, out uint8) {
		if i := strings.IndexByte(text, '<'); i >= 0 {
			text = text[:i]
		}
		want, ok := b64Want(text)
		got, err := b64Decode(text, int(feed)+1, int(out)+1)
		if (err == nil) != ok {
			t.Fatalf("%q: error %v, reference ok=%v", text, err, ok)
		}
		if ok && !bytes.Equal(got, want) {
			t.Fatalf("%q: got %x, want %x", text, got, want)
		}
	})
}

// BenchmarkB64Stream decodes base64 text in 64-character lines (as STILTS
// writes it) from memory.
func BenchmarkB64Stream(b *testing.B) {
	payload := make([]byte, 3<<20)
	for i := range payload {
		payload[i] = byte(i*7 + i>>9)
	}
	enc := base64.StdEncoding.EncodeToString(payload)
	var text strings.Builder
	for i := 0; i < len(enc); i += 64 {
		text.WriteString(enc[i:min(i+64, len(enc))] + "\n")
	}
	doc := text.String() + "</STREAM>"
	out := make([]byte, binBuf)
	b.SetBytes(int64(len(doc)))
	b.ResetTimer()
	for range b.N {
		s := &b64Stream{lx: newLexer(strings.NewReader(doc))}
		for {
			_, err := s.Read(out)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}
