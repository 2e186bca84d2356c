// Package series holds what the analytical theories of package vsop87
// (planets) and package elpmpp02 (Moon) share: a fast, branch-free Sincos
// for the one sin/cos per mean argument each evaluation needs, Mod2Pi, and
// the evaluation of Poisson-series terms s·sin φ + c·cos φ in product form,
// where φ = Σ k_j·λ_j and exp(iφ) is the product of exp(i·k·λ_j) factors
// looked up in a table the caller fills once per evaluation.
//
// Terms are grouped by their number of factors, so that the inner loops have
// fixed trip counts:
//
//	var gb series.GroupBuilder
//	gb.Add(s, c, []uint16{i1, i2}) // s·sin φ + c·cos φ, exp(iφ) = tab[i1]·tab[i2]
//	g := gb.Group()
//	v := g.Sum(tab) // tab: the exp(i·k·λ) factors at the date
//
// The package is internal: it carries no data of its own, and its layout may
// change with the theories that use it.
package series
