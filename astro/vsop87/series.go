package vsop87

// The series are evaluated as sums of s·sin φ + c·cos φ with φ = Σ k_j·λ_j,
// φ expanded as a product of exp(i·k·λ_j) factors taken from a table built by
// recurrence (one sincos per mean longitude per evaluation).

// block0 holds merged terms with nf factors, one entry per distinct
// argument: coef has width values per entry, the s, c pairs of L, B, R for
// α = 0 (width 6) and, in blocks of width 12, also for α = 1 (zero where a
// series has no term with that argument), so the product of the factors is
// computed once for up to six series.
type block0 struct {
	nf, width int
	coef      []float64
	idx       []uint16
}

// sumMerged evaluates the merged blocks into L, B, R for α = 0 (v[0:3]) and
// α = 1 (v[3:6]).
func sumMerged(blocks []block0, tab []complex128) (v [6]float64) {
	var l0, b0, r0, l1, b1, r1 float64
	for bi := range blocks {
		bl := &blocks[bi]
		nf, w := bl.nf, bl.width
		coef, idx := bl.coef, bl.idx
		n := len(coef) / w
		idx = idx[:nf*n]
		for i := 0; i < n; i++ {
			f := idx[nf*i : nf*i+nf : nf*i+nf]
			var z complex128
			switch nf {
			case 1:
				z = tab[f[0]]
			case 2:
				z = tab[f[0]] * tab[f[1]]
			case 3:
				z = tab[f[0]] * tab[f[1]] * tab[f[2]]
			case 4:
				z = tab[f[0]] * tab[f[1]] * tab[f[2]] * tab[f[3]]
			default:
				z = tab[f[0]]
				for _, j := range f[1:] {
					z *= tab[j]
				}
			}
			im, re := imag(z), real(z)
			c := coef[w*i : w*i+w : w*i+w]
			l0 += c[0]*im + c[1]*re
			b0 += c[2]*im + c[3]*re
			r0 += c[4]*im + c[5]*re
			if w == 12 {
				l1 += c[6]*im + c[7]*re
				b1 += c[8]*im + c[9]*re
				r1 += c[10]*im + c[11]*re
			}
		}
	}
	return [6]float64{l0, b0, r0, l1, b1, r1}
}
