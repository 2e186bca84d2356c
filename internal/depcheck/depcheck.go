// Package depcheck holds the light-core budget of the SDK as tests: a
// program that imports a connector must not link SQLite, NATS, the
// planetary theories or the root package (which wires a whole node), must
// stay under 10 MB, and the SDK's packages must allocate under 100 kB in
// their init. The "tiny program" is testdata/geminiparse, which only
// parses a recorded Gemini reply.
//
// Reproduce the figures by hand:
//
//	go list -deps ./internal/depcheck/testdata/geminiparse | wc -l
//	go build -o /tmp/geminiparse ./internal/depcheck/testdata/geminiparse && ls -l /tmp/geminiparse
//	GODEBUG=inittrace=1 /tmp/geminiparse connectors/gemini/testdata/m101.json 2>&1 >/dev/null | grep arcsecond
package depcheck
