package catalogs

import "github.com/arcsecond-go/arcsecond/astro"

// toJ2000 converts published coordinates in degrees to ICRS/J2000. B1950
// positions are FK4 (with E-terms, as FK4 catalogues list them) of epoch
// B1950.0; astro.FK4ToFK5 converts them to FK5 J2000.0 assuming zero proper
// motion in FK5 (Standish 1982; ERFA fk45z), the usual convention when the
// proper motion is unknown. FK5 J2000 and ICRS agree to about 20 mas.
func toJ2000(eq Equinox, ra, dec float64) (float64, float64) {
	if eq != B1950 {
		return ra, dec
	}
	r, d := astro.FK4ToFK5(astro.Deg(ra), astro.Deg(dec))
	lon := r.Deg()
	if lon < 0 {
		lon += 360
	}
	if lon >= 360 {
		lon -= 360
	}
	return lon, d.Deg()
}
