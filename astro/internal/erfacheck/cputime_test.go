//go:build erfa

package erfacheck

import (
	"math"
	"os"
	"runtime"
	"sort"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/arcsecond-go/arcsecond/astro"
)

// TestSpeedReport measures ERFA and astro side by side in thread CPU time
// (clock_gettime CLOCK_THREAD_CPUTIME_ID on a locked OS thread), which stays meaningful
// on a shared, loaded machine where wall-clock benchmarks are not. It runs
// only when ASTRO_SPEED_REPORT=1:
//
//	ASTRO_SPEED_REPORT=1 go test -tags erfa -run SpeedReport -v ./astro/internal/erfacheck/
//
// Each figure is the median of 7 rounds; ERFA and astro rounds alternate.
func TestSpeedReport(t *testing.T) {
	if os.Getenv("ASTRO_SPEED_REPORT") != "1" {
		t.Skip("set ASTRO_SPEED_REPORT=1 to measure")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu := func() time.Duration {
		var ts syscall.Timespec
		// clock_gettime(CLOCK_THREAD_CPUTIME_ID): nanosecond thread CPU time
		// (getrusage is tick-sampled and too coarse for short rounds).
		if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, 3, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
			t.Fatal(e)
		}
		return time.Duration(ts.Nano())
	}
	measure := func(n int, f func(i int)) float64 {
		c0 := cpu()
		for i := 0; i < n; i++ {
			f(i)
		}
		return float64(cpu()-c0) / float64(n)
	}
	type pair struct {
		name       string
		n          int
		erfa, mine func(i int)
		peer       string
	}
	const mjd = 60431.125
	lon, lat, h := -70.4*math.Pi/180, -24.6*math.Pi/180, 2635.0
	stars := observedInputs(1000)
	u, _ := astro.FromMJD(astro.UTC, mjd)
	u = u.WithDUT1(100 * time.Millisecond)
	site := astro.Site{Lon: astro.Rad(lon), Lat: astro.Rad(lat), Height: h}
	w := &astro.Weather{PressureHPa: 740, TemperatureC: 10, RelativeHumidity: 0.2, WavelengthMicron: 0.55}
	out := make([]astro.Observed, len(stars))
	atco := func(i int) {
		s := stars[i%len(stars)]
		cd := math.Cos(float64(s.Dec))
		a, z, _, _, _, _ := Atco13(float64(s.RA), float64(s.Dec), s.PMRA*mas/cd, s.PMDec*mas, s.Parallax/1000, s.RV,
			2400000.5, mjd, 0.1, lon, lat, h, 0, 0, 740, 10, 0.2, 0.55)
		sink += a + z
	}
	pairs := []pair{
		{"IAU 2000A nutation", 400, func(i int) { a, b := Nut06a(dj00, 8000+float64(i)); sink += a + b },
			func(i int) {
				a, b := astro.Nutation(astro.MustTime(astro.TT, dj00, 8000+float64(i)))
				sink += float64(a + b)
			}, "nut06a"},
		{"IAU 2000B nutation", 4000, func(i int) { a, b := Nut00b(dj00, 8000+float64(i)); sink += a + b },
			func(i int) {
				a, b := astro.Nutation2000B(astro.MustTime(astro.TT, dj00, 8000+float64(i)))
				sink += float64(a + b)
			}, "nut00b"},
		{"precession-nutation matrix", 400, func(i int) { r := Pnm06a(dj00, 8000+float64(i)); sink += r[0][1] },
			func(i int) {
				p := astro.NewPrecessionNutation(astro.MustTime(astro.TT, dj00, 8000+float64(i)))
				sink += p.NPB[0][1]
			}, "pnm06a"},
		{"GMST (UT1 input)", 100000, func(i int) { sink += Gmst06(dj00, 8000.3, dj00, 8000.3008) },
			func(i int) { sink += float64(astro.GMST(astro.MustTime(astro.UT1, dj00, 8000.3))) }, "gmst06"},
		{"observed place, 1 star/epoch", 300, atco,
			func(i int) {
				ctx, _ := astro.NewTopocentric(u.Add(time.Duration(i)*time.Second), site, w)
				o := ctx.Observed(stars[i%len(stars)])
				sink += float64(o.Az)
			}, "atco13"},
		{"observed place, batch (per star)", 300, atco,
			func(i int) {
				if i%len(stars) == 0 {
					ctx, _ := astro.NewTopocentric(u, site, w)
					out = ctx.ObservedBatch(stars, out)
				}
				sink += float64(out[i%len(stars)].Az)
			}, "atco13"},
	}
	for _, p := range pairs {
		var e, m []float64
		for r := 0; r < 7; r++ {
			e = append(e, measure(p.n, p.erfa))
			n := p.n
			if p.name == "observed place, batch (per star)" {
				n = 10000
			}
			m = append(m, measure(n, p.mine))
		}
		sort.Float64s(e)
		sort.Float64s(m)
		t.Logf("%-34s ERFA %-7s %10.0f ns   astro %10.0f ns   ratio %.1f×", p.name, p.peer, e[3], m[3], e[3]/m[3])
	}
}
