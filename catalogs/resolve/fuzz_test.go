package resolve

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseSesame: any bytes give positions in range or one of the error
// kinds, never a panic.
func FuzzParseSesame(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.xml")
	files = append(files, "testdata/errorpage.html")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`<Sesame><Target><Resolver><jradeg>NaN</jradeg><jdedeg>Inf</jdedeg></Resolver></Target></Sesame>`))
	f.Add([]byte(`<Sesame><Target><Resolver><jradeg>360</jradeg><jdedeg>-91</jdedeg></Resolver></Target></Sesame>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ts, err := ParseSesame("x", data)
		if err != nil {
			if !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrBadReply) {
				t.Fatalf("error of no kind: %v", err)
			}
			if ts != nil {
				t.Fatalf("targets with an error: %v", ts)
			}
			return
		}
		if len(ts) == 0 {
			t.Fatal("no targets and no error")
		}
		for _, tg := range ts {
			if math.IsNaN(tg.RA) || tg.RA < 0 || tg.RA >= 360 || math.IsNaN(tg.Dec) || tg.Dec < -90 || tg.Dec > 90 {
				t.Fatalf("position out of range: %+v", tg)
			}
		}
	})
}
