package archive

import (
	"sync"

	"github.com/arcsecond-go/arcsecond/catalogs"
)

var fovCache sync.Map // source + "\x00" + name -> float64 (0: unknown)

// CatalogFOV returns the field-of-view radius in degrees that the project's
// instrument table (catalogs.Instrument) gives for an archive's instrument
// name, and whether it gives a non-zero one. source is "ESO", "Gemini",
// "HST" or "Swift". Lookups are cached.
func CatalogFOV(source, name string) (float64, bool) {
	key := source + "\x00" + name
	if v, ok := fovCache.Load(key); ok {
		f := v.(float64)
		return f, f > 0
	}
	f := 0.0
	if in, err := catalogs.Instrument(source, name); err == nil && in.FOVRadiusDeg > 0 {
		f = in.FOVRadiusDeg
	}
	fovCache.Store(key, f)
	return f, f > 0
}
