package vsop87

// The series are evaluated as sums of s·sin φ + c·cos φ with φ = Σ k_j·λ_j,
// φ expanded as a product of exp(i·k·λ_j) factors taken from a table built by
// recurrence (one sincos per mean longitude per evaluation).

// group is the terms of one variable and one power α ≥ 1 of time, each
// s·sin φ + c·cos φ with φ = Σ k_j·arg_j, φ expanded as a product of
// precomputed exp(i·k·arg) factors. Terms are stored in blocks by number of
// factors so that the inner loops have fixed trip counts.
type group struct {
	blocks []block
}

type block struct {
	nf   int       // factors per term
	coef []float64 // s, c pairs
	idx  []uint16  // nf indices per term into the exp(i·k·arg) table
}

// block0 holds α = 0 terms with nf factors, one entry per distinct argument:
// coef has 6 values per entry (s, c for L, B, R; zero
// where a variable has no term with that argument), so the product of the
// factors is computed once for the three coordinates.
type block0 struct {
	nf   int
	coef []float64
	idx  []uint16
}

// sum0 evaluates the merged α = 0 blocks into L, B, R.
func sum0(blocks []block0, tab []complex128) [3]float64 {
	var l, b, d float64
	for bi := range blocks {
		bl := &blocks[bi]
		coef, idx := bl.coef, bl.idx
		n := len(coef) / 6
		switch bl.nf {
		case 1:
			idx = idx[:n]
			for i := range n {
				z := tab[idx[i]]
				c := coef[6*i : 6*i+6 : 6*i+6]
				l += c[0]*imag(z) + c[1]*real(z)
				b += c[2]*imag(z) + c[3]*real(z)
				d += c[4]*imag(z) + c[5]*real(z)
			}
		case 2:
			idx = idx[:2*n]
			for i := range n {
				z := tab[idx[2*i]] * tab[idx[2*i+1]]
				c := coef[6*i : 6*i+6 : 6*i+6]
				l += c[0]*imag(z) + c[1]*real(z)
				b += c[2]*imag(z) + c[3]*real(z)
				d += c[4]*imag(z) + c[5]*real(z)
			}
		case 3:
			idx = idx[:3*n]
			for i := range n {
				z := tab[idx[3*i]] * tab[idx[3*i+1]] * tab[idx[3*i+2]]
				c := coef[6*i : 6*i+6 : 6*i+6]
				l += c[0]*imag(z) + c[1]*real(z)
				b += c[2]*imag(z) + c[3]*real(z)
				d += c[4]*imag(z) + c[5]*real(z)
			}
		case 4:
			idx = idx[:4*n]
			for i := range n {
				z := tab[idx[4*i]] * tab[idx[4*i+1]] * tab[idx[4*i+2]] * tab[idx[4*i+3]]
				c := coef[6*i : 6*i+6 : 6*i+6]
				l += c[0]*imag(z) + c[1]*real(z)
				b += c[2]*imag(z) + c[3]*real(z)
				d += c[4]*imag(z) + c[5]*real(z)
			}
		default:
			nf := bl.nf
			idx = idx[:nf*n]
			for i := range n {
				f := idx[nf*i : nf*i+nf]
				z := tab[f[0]]
				for _, j := range f[1:] {
					z *= tab[j]
				}
				c := coef[6*i : 6*i+6 : 6*i+6]
				l += c[0]*imag(z) + c[1]*real(z)
				b += c[2]*imag(z) + c[3]*real(z)
				d += c[4]*imag(z) + c[5]*real(z)
			}
		}
	}
	return [3]float64{l, b, d}
}

func (g *group) sum(tab []complex128) float64 {
	acc := 0.0
	for bi := range g.blocks {
		b := &g.blocks[bi]
		coef, idx := b.coef, b.idx
		switch b.nf {
		case 1:
			for i := 0; i < len(idx) && 2*i+1 < len(coef); i++ {
				z := tab[idx[i]]
				acc += coef[2*i]*imag(z) + coef[2*i+1]*real(z)
			}
		case 2:
			for i := 0; 2*i+1 < len(idx) && 2*i+1 < len(coef); i++ {
				z := tab[idx[2*i]] * tab[idx[2*i+1]]
				acc += coef[2*i]*imag(z) + coef[2*i+1]*real(z)
			}
		case 3:
			for i := 0; 3*i+2 < len(idx) && 2*i+1 < len(coef); i++ {
				z := tab[idx[3*i]] * tab[idx[3*i+1]] * tab[idx[3*i+2]]
				acc += coef[2*i]*imag(z) + coef[2*i+1]*real(z)
			}
		case 4:
			for i := 0; 4*i+3 < len(idx) && 2*i+1 < len(coef); i++ {
				z := tab[idx[4*i]] * tab[idx[4*i+1]] * tab[idx[4*i+2]] * tab[idx[4*i+3]]
				acc += coef[2*i]*imag(z) + coef[2*i+1]*real(z)
			}
		default:
			nf := b.nf
			for i := 0; 2*i+1 < len(coef); i++ {
				f := idx[nf*i : nf*i+nf]
				z := tab[f[0]]
				for _, j := range f[1:] {
					z *= tab[j]
				}
				acc += coef[2*i]*imag(z) + coef[2*i+1]*real(z)
			}
		}
	}
	return acc
}
