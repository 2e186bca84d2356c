package astro

import (
	"fmt"
	"testing"
	"time"
)

func TestNight(t *testing.T) {
	paranal := Site{Lon: Deg(-70.4045), Lat: Deg(-24.6272), Height: 2635}
	n, err := Night(paranal, 2025, 6, 21)
	if err != nil {
		t.Fatal(err)
	}
	order := []Event{n.Sunset, n.CivilDusk, n.NauticalDusk, n.AstroDusk, n.AstroDawn, n.NauticalDawn, n.CivilDawn, n.Sunrise}
	for i, e := range order {
		if !e.OK {
			t.Fatalf("event %d missing: %+v", i, n)
		}
		if i > 0 && e.Time.Sub(order[i-1].Time) <= 0 {
			t.Errorf("event %d (%v) not after event %d (%v)", i, e, i-1, order[i-1])
		}
	}
	if n.Dark < 9*time.Hour || n.Dark > 12*time.Hour {
		t.Errorf("dark for %v at Paranal midwinter", n.Dark)
	}
	if n.MoonIllumination < 0 || n.MoonIllumination > 1 {
		t.Errorf("illumination %v", n.MoonIllumination)
	}
	// White night: Edinburgh (56° N) has no astronomical dusk at midsummer.
	ed, err := Night(Site{Lon: Deg(-3.19), Lat: Deg(55.95)}, 2025, 6, 21)
	if err != nil {
		t.Fatal(err)
	}
	if ed.AstroDusk.OK || ed.AstroDawn.OK || ed.Dark != 0 || !ed.Sunset.OK {
		t.Errorf("Edinburgh midsummer: %+v", ed)
	}
	// Polar night at 80° N in December: the Sun stays below the horizon
	// but rises above −18° around noon (−13.4°), so the dark hours are < 24.
	pn, err := Night(Site{Lon: Deg(15), Lat: Deg(80)}, 2025, 12, 21)
	if err != nil {
		t.Fatal(err)
	}
	if !pn.PolarNight || pn.Sunset.OK || pn.Dark < 12*time.Hour || pn.Dark > 20*time.Hour {
		t.Errorf("80° N December: %+v", pn)
	}
	if _, err := Night(paranal, 2025, 13, 1); err == nil {
		t.Error("month 13: no error")
	}
	if _, _, err := TwilightTimes(Twilight(7), paranal, n.Start, 0); err == nil {
		t.Error("bad twilight: no error")
	}
	dusk, dawn, err := TwilightTimes(Astronomical, paranal, n.Start, 0)
	if err != nil || !dusk.OK || !dawn.OK || dusk.Time.Sub(n.AstroDusk.Time) > 1e-3 {
		t.Errorf("TwilightTimes: %v %v %v", dusk, dawn, err)
	}
}

func ExampleNight() {
	paranal := Site{Lon: Deg(-70.4045), Lat: Deg(-24.6272), Height: 2635}
	n, _ := Night(paranal, 2025, 6, 21)
	hm := func(e Event) string {
		_, _, _, h, m, _ := e.Time.Date()
		return fmt.Sprintf("%02d:%02d", h, m)
	}
	fmt.Println("sunset", hm(n.Sunset), "UTC; astronomical night", hm(n.AstroDusk), "to", hm(n.AstroDawn))
	fmt.Printf("dark for %.1f h, Moon %.0f%% lit\n", n.Dark.Hours(), 100*n.MoonIllumination)
	// Output:
	// sunset 22:01 UTC; astronomical night 23:23 to 10:04
	// dark for 10.7 h, Moon 15% lit
}
