package vsop87

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
)

const arcsec = 180 * 3600 / math.Pi

func rect(th *Theory, b Body, tau float64) [3]float64 {
	l, bb, r := th.Eval(b, tau)
	x, y, z := Rectangular(l, bb, r)
	return [3]float64{x, y, z}
}

func angle(a, b [3]float64) float64 {
	cx := a[1]*b[2] - a[2]*b[1]
	cy := a[2]*b[0] - a[0]*b[2]
	cz := a[0]*b[1] - a[1]*b[0]
	return math.Atan2(math.Sqrt(cx*cx+cy*cy+cz*cz), a[0]*b[0]+a[1]*b[1]+a[2]*b[2])
}

// truncationErrors returns, per body, the worst angular error (arcsec) of th
// against full over n dates in [y0, y1]: geocentric direction for the
// planets, the Sun's geocentric direction (−Earth) for the Earth.
func truncationErrors(th, full *Theory, y0, y1 float64, n int) [9]float64 {
	var worst [9]float64
	for i := 0; i < n; i++ {
		year := y0 + (y1-y0)*(float64(i)+0.5)/float64(n)
		tau := (year - 2000) / 1000
		et, ef := rect(th, Earth, tau), rect(full, Earth, tau)
		for b := Mercury; b <= Neptune; b++ {
			var a float64
			if b == Earth {
				a = angle(et, ef)
			} else {
				pt, pf := rect(th, b, tau), rect(full, b, tau)
				a = angle([3]float64{pt[0] - et[0], pt[1] - et[1], pt[2] - et[2]},
					[3]float64{pf[0] - ef[0], pf[1] - ef[1], pf[2] - ef[2]})
			}
			worst[b] = math.Max(worst[b], a*arcsec)
		}
	}
	return worst
}

// TestTruncationError measures the truncation error against the full
// VSOP87B series (the figures of the package documentation are produced
// with VSOP87_TRUNCATION_TABLE=1: 2,000 dates 1800–2200 per threshold); by
// default only DefaultThreshold is checked on 100 dates and must stay under
// 0.2" for every body.
func TestTruncationError(t *testing.T) {
	full, err := New(J2000, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 100
	thresholds := []float64{DefaultThreshold}
	if os.Getenv("VSOP87_TRUNCATION_TABLE") != "" {
		n = 2000
		thresholds = []float64{1e-9, 2e-9, 5e-9, 1e-8, 2e-8, 5e-8, 1e-7, 1e-6}
	}
	for _, eps := range thresholds {
		th, err := New(J2000, eps)
		if err != nil {
			t.Fatal(err)
		}
		w := truncationErrors(th, full, 1800, 2200, n)
		var sb strings.Builder
		for b := Mercury; b <= Neptune; b++ {
			fmt.Fprintf(&sb, " %s %d/%.4f\"", b.String()[:2], th.BodyTerms(b), w[b])
			if eps == DefaultThreshold && w[b] > 0.2 {
				t.Errorf("%v: default truncation error %.3f\" > 0.2\"", b, w[b])
			}
		}
		t.Logf("eps %-6g terms %5d:%s", eps, th.Terms(), sb.String())
	}
}
