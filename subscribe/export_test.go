package subscribe

// Exported for the external tests (mix_test.go).
var (
	ThreadCPU       = threadCPU
	BenchSizeWanted = benchSizeWanted
	MatchText       = matchText
)

// DiagPostings counts the postings and keys of the sky and string indexes.
func DiagPostings(m *Matcher) (cover, anc, str, coverKeys, ancKeys, groups int) {
	m.cover.each(func(_ uint64, l []skyPost) { cover += len(l) })
	m.anc.each(func(_ uint64, l []skyPost) { anc += len(l) })
	m.str.each(func(_ uint64, l []post) { str += len(l) })
	return cover, anc, str, m.cover.len(), m.anc.len(), len(m.byKey)
}

// RaceEnabled reports whether the race detector is on.
func RaceEnabled() bool { return raceEnabled }
