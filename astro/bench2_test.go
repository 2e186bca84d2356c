package astro

import "testing"

var benchSink BodyPosition

func benchApparent(b *testing.B, body Body) {
	t := MustTime(TT, 2460000.5, 0.123)
	if _, err := ApparentPosition(body, t); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, _ := ApparentPosition(body, t.Add(float64(i)))
		benchSink = p
	}
}

func BenchmarkApparentSun(b *testing.B)  { benchApparent(b, Sun) }
func BenchmarkApparentMoon(b *testing.B) { benchApparent(b, Moon) }
func BenchmarkApparentMars(b *testing.B) { benchApparent(b, Mars) }

func BenchmarkNewGeocentric(b *testing.B) {
	t := MustTime(TT, 2460000.5, 0.123)
	for i := 0; i < b.N; i++ {
		a, _ := NewGeocentric(t.Add(float64(i)))
		_ = a
	}
}

var benchEv Events

func benchRise(b *testing.B, tg Target) {
	from, _ := NewUTC(2024, 3, 20, 0, 0, 0)
	site := Site{Lon: Deg(-70.4), Lat: Deg(-24.6), Height: 2635}
	if _, err := RiseTransitSet(tg, site, from); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		benchEv, _ = RiseTransitSet(tg, site, from.Add(float64(i%100)*86400))
	}
}

func BenchmarkRiseTransitSetSun(b *testing.B)  { benchRise(b, Sun) }
func BenchmarkRiseTransitSetMoon(b *testing.B) { benchRise(b, Moon) }
func BenchmarkRiseTransitSetStar(b *testing.B) {
	benchRise(b, Star{RA: Hours(18.615649), Dec: Deg(38.783689)})
}
