package astro

import (
	"fmt"
	"math"
	"testing"
)

func TestAirmass(t *testing.T) {
	for m := SecZ; m <= Pickering; m++ {
		x, err := Airmass(m, Deg(90))
		if err != nil || math.Abs(x-1) > 0.003 {
			t.Errorf("%v at zenith: %v %v", m, x, err)
		}
		x30, _ := Airmass(m, Deg(30))
		if math.Abs(x30-2) > 0.01 {
			t.Errorf("%v at 30°: %v, want ≈ 2", m, x30)
		}
		if _, err := Airmass(m, Deg(-1)); err == nil {
			t.Errorf("%v below the horizon: no error", m)
		}
		if _, err := Airmass(m, Angle(math.NaN())); err == nil {
			t.Errorf("%v NaN: no error", m)
		}
		h, err := AltitudeForAirmass(m, 1.5)
		if err != nil {
			t.Fatal(err)
		}
		if x, _ := Airmass(m, h); math.Abs(x-1.5) > 1e-9 {
			t.Errorf("%v: inverse gives %v", m, x)
		}
	}
	// At the horizon the refraction-aware models give about 38 (Kasten &
	// Young 37.92, Young 1994 31.7 from its true zenith angle, Pickering 38.75).
	for m, want := range map[AirmassModel]float64{KastenYoung: 37.92, Young1994: 31.73, Pickering: 38.75} {
		if x, _ := Airmass(m, 0); math.Abs(x-want) > 0.05 {
			t.Errorf("%v at horizon: %v, want %v", m, x, want)
		}
	}
	if _, err := Airmass(SecZ, 0); err == nil {
		t.Error("sec z at the horizon: no error")
	}
	if _, err := Airmass(AirmassModel(9), Deg(40)); err == nil {
		t.Error("unknown model: no error")
	}
}

func ExampleAirmass() {
	for _, m := range []AirmassModel{SecZ, Hardie, Young1994, KastenYoung, Pickering} {
		x, _ := Airmass(m, Deg(20))
		fmt.Printf("%-14v %.3f\n", m, x)
	}
	// Output:
	// sec z          2.924
	// Hardie         2.904
	// Young 1994     2.895
	// Kasten & Young 2.903
	// Pickering      2.900
}
