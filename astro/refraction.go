package astro

import (
	"fmt"
	"math"
)

// Weather is the local atmosphere used for refraction.
type Weather struct {
	PressureHPa      float64 // station pressure, hPa (0: no refraction)
	TemperatureC     float64 // ambient temperature, °C
	RelativeHumidity float64 // 0 to 1
	WavelengthMicron float64 // effective wavelength, µm (0 means 0.55; > 100 µm: radio)
}

// Validate checks the weather's ranges.
func (w Weather) Validate() error {
	if !finite(w.PressureHPa, w.TemperatureC, w.RelativeHumidity, w.WavelengthMicron) {
		return fmt.Errorf("astro: weather has a non-finite value")
	}
	if w.PressureHPa < 0 || w.PressureHPa > 2000 {
		return fmt.Errorf("astro: pressure %v hPa out of range 0-2000", w.PressureHPa)
	}
	if w.TemperatureC < -150 || w.TemperatureC > 200 {
		return fmt.Errorf("astro: temperature %v °C out of range -150..200", w.TemperatureC)
	}
	if w.RelativeHumidity < 0 || w.RelativeHumidity > 1 {
		return fmt.Errorf("astro: relative humidity %v out of range 0-1", w.RelativeHumidity)
	}
	if w.WavelengthMicron < 0 {
		return fmt.Errorf("astro: wavelength %v µm is negative", w.WavelengthMicron)
	}
	return nil
}

// RefractionConstants returns A and B (radians) of the refraction model
// ΔZ = A tan Z + B tan³ Z (Z the unrefracted zenith distance) for the
// weather, after Green (1987) and Stone (1996), as ERFA refco: optical
// wavelengths use Hohenkerk & Sinclair's dispersion, > 100 µm the radio
// formula. Accurate to about 1% of the refraction down to 15° altitude.
func RefractionConstants(w Weather) (refa, refb float64) {
	wl := w.WavelengthMicron
	if wl == 0 {
		wl = 0.55
	}
	optic := wl <= 100
	t := math.Max(-150, math.Min(w.TemperatureC, 200))
	p := math.Max(0, math.Min(w.PressureHPa, 10000))
	r := math.Max(0, math.Min(w.RelativeHumidity, 1))
	wl = math.Max(0.1, math.Min(wl, 1e6))
	var pw float64
	if p > 0 {
		ps := math.Pow(10, (0.7859+0.03477*t)/(1+0.00412*t)) * (1 + p*(4.5e-6+6e-10*t*t))
		pw = r * ps / (1 - (1-r)*ps/p)
	}
	tk := t + 273.15
	var gamma float64
	if optic {
		wlsq := wl * wl
		gamma = ((77.53484e-6+(4.39108e-7+3.666e-9/wlsq)/wlsq)*p - 11.2684e-6*pw) / tk
	} else {
		gamma = (77.6890e-6*p - (6.3938e-6-0.375463/tk)*pw) / tk
	}
	beta := 4.4474e-6 * tk
	if !optic {
		beta -= 0.0074 * pw * beta
	}
	refa = gamma * (1 - beta)
	refb = -gamma * (beta - gamma/2)
	return
}

// refractVec applies the refraction model to a local (az/el Cartesian)
// unit vector (ERFA atioq): returns the observed vector.
func refractVec(x, y, z, refa, refb float64) (float64, float64, float64) {
	const celmin, selmin = 1e-6, 0.05
	r := math.Max(math.Sqrt(x*x+y*y), celmin)
	zz := math.Max(z, selmin)
	tz := r / zz
	w := refb * tz * tz
	del := (refa + w) * tz / (1 + (refa+3*w)/(zz*zz))
	cosdel := 1 - del*del/2
	f := cosdel - del*zz/r
	return x * f, y * f, cosdel*z + del*r
}

// RefractionFromTrue returns the refraction (to add to the true altitude to
// get the apparent one) from Sæmundsson's formula
// (Meeus eq. 16.4) for the true altitude h, at 1010 hPa and 10 °C; scaled
// by P/1010·283/(273+T) for other weather. Accuracy ~0.1′ above 0°.
func RefractionFromTrue(h Angle, pressureHPa, tempC float64) Angle {
	hd := h.Deg()
	if hd < -1 {
		hd = -1
	}
	r := 1.02 / math.Tan((hd+10.3/(hd+5.11))*d2r) // arcminutes
	if r < 0 {
		r = 0
	}
	r *= pressureHPa / 1010 * 283 / (273 + tempC)
	return Deg(r / 60)
}

// RefractionFromApparent returns the refraction R from Bennett's formula
// (Meeus eq. 16.3) for an apparent (observed) altitude h0, at 1010 hPa and
// 10 °C, scaled for other weather as RefractionFromTrue: true altitude =
// h0 − R. Accuracy 0.07′ for 0° to 90°; R is clamped at 0 near the zenith.
func RefractionFromApparent(h0 Angle, pressureHPa, tempC float64) Angle {
	hd := h0.Deg()
	if hd < -1 {
		hd = -1
	}
	r := 1 / math.Tan((hd+7.31/(hd+4.4))*d2r) // arcminutes
	if r < 0 {
		r = 0
	}
	r *= pressureHPa / 1010 * 283 / (273 + tempC)
	return Deg(r / 60)
}
