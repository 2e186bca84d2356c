package subscribe

// Exported for the external tests (mix_test.go).
var (
	ThreadCPU       = threadCPU
	BenchSizeWanted = benchSizeWanted
)
