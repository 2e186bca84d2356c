package replayset

import (
	"bytes"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/recorded"
)

// TestCopiesMatchTestdata: every embedded file is a byte-for-byte copy of
// connectors/<connector>/testdata/<name>, every recorded reply of those
// folders is embedded, and each is recognized as a reply of its format.
func TestCopiesMatchTestdata(t *testing.T) {
	embedded := map[string]bool{}
	err := fs.WalkDir(FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		embedded[p] = true
		got, err := fs.ReadFile(FS(), p)
		if err != nil {
			return err
		}
		dir, name := path.Split(p)
		orig := filepath.Join("..", "..", path.Clean(dir), "testdata", name)
		want, err := os.ReadFile(orig)
		if err != nil {
			t.Errorf("%s: the original is gone: %v", p, err)
			return nil
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s: copy it again (cp %s files/%s)", p, orig, orig, p)
		}
		if connectors.Recognize(p, got[:min(len(got), connectors.HeadSize)]) == "" {
			t.Errorf("%s: no recorded format recognizes it", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	shipped, err := recorded.Dir(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range shipped {
		rel, _ := filepath.Rel(filepath.Join("..", ".."), f.Path)
		conn := filepath.ToSlash(filepath.Dir(filepath.Dir(rel)))
		if p := path.Join(conn, filepath.Base(f.Path)); !embedded[p] {
			t.Errorf("%s is a recorded reply but is not embedded as %s", f.Path, p)
		}
	}
	if len(embedded) == 0 {
		t.Fatal("nothing embedded")
	}
}
