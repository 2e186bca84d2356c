package series

import "slices"

// Merged is a block of terms of up to six series that share their
// arguments: one entry per distinct argument, with NF factor indices and
// Width coefficients — the s, c pairs of three series (Width 6), or of three
// and three more (Width 12, e.g. the α = 0 and α = 1 terms of L, B, R) —
// so that the product of the factors is computed once for all of them. A
// series without a term for some argument has zeros there.
type Merged struct {
	NF    int       // factors per entry
	Width int       // coefficients per entry: 6 or 12
	Coef  []float64 // Width values per entry
	Idx   []uint16  // NF indices per entry into the exp(i·k·λ) table
}

// SumMerged evaluates merged blocks: v[0:3] are the first three series of
// every block, v[3:6] the other three of the Width-12 blocks. Within a block
// the terms are added in their stored order.
func SumMerged(blocks []Merged, tab []complex128) (v [6]float64) {
	var a0, a1, a2, a3, a4, a5 float64
	for bi := range blocks {
		bl := &blocks[bi]
		coef, idx := bl.Coef, bl.Idx
		if bl.Width == 12 {
			n := min(len(coef)/12, len(idx)/max(bl.NF, 1))
			switch bl.NF {
			case 1:
				idx = idx[:n]
				for i := range n {
					z := tab[idx[i]]
					im, re := imag(z), real(z)
					c := coef[12*i : 12*i+12 : 12*i+12]
					a0 += c[0]*im + c[1]*re
					a1 += c[2]*im + c[3]*re
					a2 += c[4]*im + c[5]*re
					a3 += c[6]*im + c[7]*re
					a4 += c[8]*im + c[9]*re
					a5 += c[10]*im + c[11]*re
				}
			case 2:
				idx = idx[:2*n]
				for i := range n {
					z := tab[idx[2*i]] * tab[idx[2*i+1]]
					im, re := imag(z), real(z)
					c := coef[12*i : 12*i+12 : 12*i+12]
					a0 += c[0]*im + c[1]*re
					a1 += c[2]*im + c[3]*re
					a2 += c[4]*im + c[5]*re
					a3 += c[6]*im + c[7]*re
					a4 += c[8]*im + c[9]*re
					a5 += c[10]*im + c[11]*re
				}
			case 3:
				idx = idx[:3*n]
				for i := range n {
					z := tab[idx[3*i]] * tab[idx[3*i+1]] * tab[idx[3*i+2]]
					im, re := imag(z), real(z)
					c := coef[12*i : 12*i+12 : 12*i+12]
					a0 += c[0]*im + c[1]*re
					a1 += c[2]*im + c[3]*re
					a2 += c[4]*im + c[5]*re
					a3 += c[6]*im + c[7]*re
					a4 += c[8]*im + c[9]*re
					a5 += c[10]*im + c[11]*re
				}
			case 4:
				idx = idx[:4*n]
				for i := range n {
					z := tab[idx[4*i]] * tab[idx[4*i+1]] * tab[idx[4*i+2]] * tab[idx[4*i+3]]
					im, re := imag(z), real(z)
					c := coef[12*i : 12*i+12 : 12*i+12]
					a0 += c[0]*im + c[1]*re
					a1 += c[2]*im + c[3]*re
					a2 += c[4]*im + c[5]*re
					a3 += c[6]*im + c[7]*re
					a4 += c[8]*im + c[9]*re
					a5 += c[10]*im + c[11]*re
				}
			default:
				nf := bl.NF
				idx = idx[:nf*n]
				for i := range n {
					f := idx[nf*i : nf*i+nf]
					z := tab[f[0]]
					for _, j := range f[1:] {
						z *= tab[j]
					}
					im, re := imag(z), real(z)
					c := coef[12*i : 12*i+12 : 12*i+12]
					a0 += c[0]*im + c[1]*re
					a1 += c[2]*im + c[3]*re
					a2 += c[4]*im + c[5]*re
					a3 += c[6]*im + c[7]*re
					a4 += c[8]*im + c[9]*re
					a5 += c[10]*im + c[11]*re
				}
			}
			continue
		}
		n := min(len(coef)/6, len(idx)/max(bl.NF, 1))
		switch bl.NF {
		case 1:
			idx = idx[:n]
			for i := range n {
				z := tab[idx[i]]
				im, re := imag(z), real(z)
				c := coef[6*i : 6*i+6 : 6*i+6]
				a0 += c[0]*im + c[1]*re
				a1 += c[2]*im + c[3]*re
				a2 += c[4]*im + c[5]*re
			}
		case 2:
			idx = idx[:2*n]
			for i := range n {
				z := tab[idx[2*i]] * tab[idx[2*i+1]]
				im, re := imag(z), real(z)
				c := coef[6*i : 6*i+6 : 6*i+6]
				a0 += c[0]*im + c[1]*re
				a1 += c[2]*im + c[3]*re
				a2 += c[4]*im + c[5]*re
			}
		case 3:
			idx = idx[:3*n]
			for i := range n {
				z := tab[idx[3*i]] * tab[idx[3*i+1]] * tab[idx[3*i+2]]
				im, re := imag(z), real(z)
				c := coef[6*i : 6*i+6 : 6*i+6]
				a0 += c[0]*im + c[1]*re
				a1 += c[2]*im + c[3]*re
				a2 += c[4]*im + c[5]*re
			}
		case 4:
			idx = idx[:4*n]
			for i := range n {
				z := tab[idx[4*i]] * tab[idx[4*i+1]] * tab[idx[4*i+2]] * tab[idx[4*i+3]]
				im, re := imag(z), real(z)
				c := coef[6*i : 6*i+6 : 6*i+6]
				a0 += c[0]*im + c[1]*re
				a1 += c[2]*im + c[3]*re
				a2 += c[4]*im + c[5]*re
			}
		default:
			nf := bl.NF
			idx = idx[:nf*n]
			for i := range n {
				f := idx[nf*i : nf*i+nf]
				z := tab[f[0]]
				for _, j := range f[1:] {
					z *= tab[j]
				}
				im, re := imag(z), real(z)
				c := coef[6*i : 6*i+6 : 6*i+6]
				a0 += c[0]*im + c[1]*re
				a1 += c[2]*im + c[3]*re
				a2 += c[4]*im + c[5]*re
			}
		}
	}
	return [6]float64{a0, a1, a2, a3, a4, a5}
}

// MergedBuilder collects merged entries into blocks. The zero value is ready
// to use.
type MergedBuilder struct {
	by   map[[2]int]*Merged // by {Width, NF}
	keys [][2]int
}

// Add appends an entry with the coefficients coef (6 or 12 values: its
// length is the block Width) and the factor indices idx.
func (mb *MergedBuilder) Add(coef []float64, idx []uint16) {
	if mb.by == nil {
		mb.by = map[[2]int]*Merged{}
	}
	k := [2]int{len(coef), len(idx)}
	b := mb.by[k]
	if b == nil {
		b = &Merged{NF: len(idx), Width: len(coef)}
		mb.by[k] = b
		mb.keys = append(mb.keys, k)
	}
	b.Coef = append(b.Coef, coef...)
	b.Idx = append(b.Idx, idx...)
}

// Blocks returns the entries added so far, in blocks ordered by Width and
// then NF; within a block, entries keep the order in which they were added.
func (mb *MergedBuilder) Blocks() []Merged {
	keys := slices.Clone(mb.keys)
	slices.SortFunc(keys, func(a, b [2]int) int {
		if a[0] != b[0] {
			return a[0] - b[0]
		}
		return a[1] - b[1]
	})
	out := make([]Merged, 0, len(keys))
	for _, k := range keys {
		out = append(out, *mb.by[k])
	}
	return out
}
