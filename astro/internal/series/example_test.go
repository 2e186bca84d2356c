package series_test

import (
	"fmt"
	"math/cmplx"

	"github.com/arcsecond-go/arcsecond/astro/internal/series"
)

// Two terms, 2·sin(λ0+λ1) and 0.5·cos λ1, evaluated from a table of
// exp(iλ) factors.
func Example() {
	tab := []complex128{cmplx.Rect(1, 0.4), cmplx.Rect(1, 1.1)}
	var gb series.GroupBuilder
	gb.Add(2, 0, []uint16{0, 1})
	gb.Add(0, 0.5, []uint16{1})
	g := gb.Group()
	fmt.Printf("%.6f\n", g.Sum(tab))
	s, c := series.Sincos(1.1)
	fmt.Printf("%.6f %.6f\n", s, c)
	// Output:
	// 2.221788
	// 0.891207 0.453596
}
