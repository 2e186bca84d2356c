// Package nustar reads NuSTAR's two schedules, as NASA's ACROSS does:
//
//   - the planned schedule, the table of the NuSTAR Science Operations
//     Center's page
//     https://nustarsoc.caltech.edu/NuSTAR_Public/NuSTAROperationSite/Schedule.php
//     (obs_start, obs_end as YYYY:DOY:hh:mm:ss, sequenceID, Name, J2000 RA,
//     J2000 Dec, Exp in ks, Notes): planned activities of low fidelity;
//   - the as-flown observations, from HEASARC's NuSTAR master catalogue
//     numaster through HEASARC's TAP service
//     (https://heasarc.gsfc.nasa.gov/xamin/vo/tap): completed activities
//     with the roll angle; slews and other non-SCIENCE rows are counted
//     skips.
//
// Both key activities on the sequence ID (obsid), so an as-flown record
// replaces the planned one under the same ID with a higher revision; an
// as-flown row carries the 10′ × 10′ field ([FieldOfView]) rotated by its
// roll as a footprint. The
// bandpass is ACROSS's NuSTAR band, 3-78.4 keV; the exposure, as ACROSS
// computes it, is Exp (ks) for plans and end_time − time for the as-flown
// rows. Both services are public.
//
// The recorded replies in testdata are not raw HTTP bodies: the planned
// table was re-serialized as CSV by pandas, the numaster rows written by
// astropy as an ASCII table. [ParsePlanned] reads the page's HTML table or
// that CSV; [ParseAsFlown] reads a TAP VOTable or that ASCII table.
package nustar
