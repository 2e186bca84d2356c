package series

// Block is the terms of a Group that have the same number of factors NF.
type Block struct {
	NF   int       // factors per term
	Coef []float64 // s, c pairs, one per term
	Idx  []uint16  // NF indices per term into the exp(i·k·λ) table
}

// Group is the terms of one variable and one power of time, each
// s·sin φ + c·cos φ with exp(iφ) the product of the table entries its indices
// name. Blocks are in increasing NF; within a block, terms keep the order in
// which they were added (so the floating-point sum is reproducible).
type Group struct {
	Blocks []Block
}

// GroupBuilder collects terms into a Group. The zero value is ready to use.
type GroupBuilder struct {
	byNF  map[int]*Block
	maxNF int
}

// Add appends the term s·sin φ + c·cos φ, exp(iφ) = Π tab[idx[j]]. idx must
// not be empty (a constant term names the table's exp(0) = 1 entry).
func (gb *GroupBuilder) Add(s, c float64, idx []uint16) {
	if gb.byNF == nil {
		gb.byNF = map[int]*Block{}
		gb.maxNF = 1
	}
	b := gb.byNF[len(idx)]
	if b == nil {
		b = &Block{NF: len(idx)}
		gb.byNF[len(idx)] = b
	}
	gb.maxNF = max(gb.maxNF, len(idx))
	b.Coef = append(b.Coef, s, c)
	b.Idx = append(b.Idx, idx...)
}

// Group returns the terms added so far, blocks in increasing number of
// factors.
func (gb *GroupBuilder) Group() Group {
	var g Group
	for nf := 1; nf <= gb.maxNF; nf++ {
		if b := gb.byNF[nf]; b != nil {
			g.Blocks = append(g.Blocks, *b)
		}
	}
	return g
}

// Sum evaluates Σ s·sin φ + c·cos φ over the group's terms, reading the
// exp(i·k·λ) factors from tab.
func (g *Group) Sum(tab []complex128) float64 {
	acc := 0.0
	for bi := range g.Blocks {
		b := &g.Blocks[bi]
		coef, idx := b.Coef, b.Idx
		switch b.NF {
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
			nf := b.NF
			for i := 0; 2*i+1 < len(coef) && nf*i+nf <= len(idx); i++ {
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
