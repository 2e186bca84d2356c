package version_test

import (
	"testing"

	"github.com/arcsecond-go/arcsecond"
	"github.com/arcsecond-go/arcsecond/internal/version"
)

func TestSameAsRoot(t *testing.T) {
	if version.Version != arcsecond.Version {
		t.Fatalf("internal/version says %q, arcsecond.Version %q", version.Version, arcsecond.Version)
	}
}
