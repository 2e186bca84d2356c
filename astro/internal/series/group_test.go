package series

import (
	"math"
	"math/cmplx"
	"testing"
)

// TestGroupSum checks Sum against a direct evaluation of Σ s·sin φ + c·cos φ
// for terms of 1 to 6 factors, added out of order.
func TestGroupSum(t *testing.T) {
	lam := []float64{0.3, 1.7, -2.2, 0.9, 2.5, -0.4}
	tab := make([]complex128, len(lam))
	for i, l := range lam {
		tab[i] = cmplx.Rect(1, l)
	}
	terms := []struct {
		s, c float64
		idx  []uint16
	}{
		{1.5, -0.5, []uint16{0, 1}},
		{0.25, 2, []uint16{3}},
		{-1, 0.75, []uint16{0, 1, 2, 3, 4, 5}},
		{0.5, 0.5, []uint16{2, 2, 4}},
		{2, -1, []uint16{5, 4, 3, 1}},
		{-0.125, 3, []uint16{1, 3, 5, 0, 2}},
		{0.7, 0.1, []uint16{4}},
	}
	var gb GroupBuilder
	want := 0.0
	for _, tm := range terms {
		gb.Add(tm.s, tm.c, tm.idx)
		phi := 0.0
		for _, j := range tm.idx {
			phi += lam[j]
		}
		want += tm.s*math.Sin(phi) + tm.c*math.Cos(phi)
	}
	g := gb.Group()
	for i := 1; i < len(g.Blocks); i++ {
		if g.Blocks[i].NF <= g.Blocks[i-1].NF {
			t.Fatalf("blocks not in increasing NF: %d after %d", g.Blocks[i].NF, g.Blocks[i-1].NF)
		}
	}
	if got := g.Sum(tab); math.Abs(got-want) > 1e-13 {
		t.Errorf("Sum = %.17g, want %.17g", got, want)
	}
	var empty GroupBuilder
	eg := empty.Group()
	if got := eg.Sum(tab); got != 0 {
		t.Errorf("empty group Sum = %v, want 0", got)
	}
}

func BenchmarkSincos(b *testing.B) {
	s := 0.0
	for i := 0; b.Loop(); i++ {
		x, y := Sincos(float64(i&1023) * 0.37)
		s += x + y
	}
	sink = s
}

var sink float64

// TestSumMerged checks SumMerged against Group.Sum of the same terms taken
// series by series, for blocks of width 6 and 12 added out of order.
func TestSumMerged(t *testing.T) {
	lam := []float64{0.3, 1.7, -2.2, 0.9, 2.5, -0.4}
	tab := make([]complex128, len(lam))
	for i, l := range lam {
		tab[i] = cmplx.Rect(1, l)
	}
	entries := []struct {
		coef []float64
		idx  []uint16
	}{
		{[]float64{1, 2, 3, 4, 5, 6}, []uint16{0, 1}},
		{[]float64{0.5, -1, 0, 0, 2, 0.25, 1, 1, -1, 0.5, 0, 3}, []uint16{2}},
		{[]float64{-1, 0.5, 0.25, 0, 1, -2}, []uint16{4}},
		{[]float64{0, 1, 1, 0, -0.5, 0.5, 2, 2, 0, 0, 1, -1}, []uint16{1, 3, 5, 0, 2}},
		{[]float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, []uint16{5, 4, 3}},
		{[]float64{3, -3, 1, 1, 0, 2}, []uint16{0, 1, 2, 3, 4, 5}},
		{[]float64{1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 1}, []uint16{3, 3, 1, 1}},
	}
	var mb MergedBuilder
	var gbs [6]GroupBuilder
	for _, e := range entries {
		mb.Add(e.coef, e.idx)
		for s := 0; 2*s+1 < len(e.coef); s++ {
			gbs[s].Add(e.coef[2*s], e.coef[2*s+1], e.idx)
		}
	}
	blocks := mb.Blocks()
	for i := 1; i < len(blocks); i++ {
		p, q := blocks[i-1], blocks[i]
		if q.Width < p.Width || q.Width == p.Width && q.NF <= p.NF {
			t.Fatalf("blocks out of order: (%d, %d) after (%d, %d)", q.Width, q.NF, p.Width, p.NF)
		}
	}
	got := SumMerged(blocks, tab)
	for s := range got {
		g := gbs[s].Group()
		if want := g.Sum(tab); math.Abs(got[s]-want) > 1e-13 {
			t.Errorf("series %d: SumMerged %.17g, Group.Sum %.17g", s, got[s], want)
		}
	}
	if z := SumMerged(nil, tab); z != [6]float64{} {
		t.Errorf("no blocks: %v", z)
	}
}
