// Package erfacheck cross-checks package astro against ERFA (the open twin
// of the IAU SOFA library) in-process through cgo, and benchmarks both side
// by side. Everything lives behind the build tag "erfa" and needs Debian's
// liberfa-dev:
//
//	apt-get install -y liberfa-dev
//	go test -tags erfa ./astro/internal/erfacheck/
//	go test -tags erfa -run '^$' -bench . ./astro/internal/erfacheck/
//
// Without the tag this package is empty.
package erfacheck
