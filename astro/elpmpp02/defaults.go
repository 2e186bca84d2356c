package elpmpp02

// DefaultThreshold is the truncation threshold (arcseconds) of Default and
// Geocentric.
//
// The truncation error against the full series (DE405 constants), measured
// by TestTruncationError with ELPMPP02_TRUNCATION_TABLE=1 as the worst angle
// and the worst distance difference over 2,000 dates per span, is:
//
//	eps      terms   1900–2100           1500–2500
//	1e-4     9,771   0.011"  0.014 km    0.026"  0.026 km
//	3e-4     5,704   0.034"  0.035 km    0.061"  0.059 km
//	1e-3     3,154   0.087"  0.077 km    0.110"  0.151 km
//	3e-3     1,837   0.175"  0.206 km    0.316"  0.301 km   (default)
//	1e-2     1,043   0.529"  0.447 km    0.687"  0.634 km
//	3e-2       654   1.063"  1.146 km    1.323"  1.485 km
//	0.1        375   2.223"  2.837 km    2.845"  3.212 km
//
// The project's gate for the final apparent Moon is 2" and 5 km against
// Swiss Ephemeris (JPL DE431); the full series is within 0.024 km of it in
// distance over 1900–2100 (TestMoonDistanceVsSwissEphemeris), and the
// default within 0.08 km.
const DefaultThreshold = 3e-3

// FastThreshold is a coarser truncation for speed (1,043 terms, 0.53" and
// 0.45 km over 1900–2100, about 0.7 of the default's time).
const FastThreshold = 1e-2
