// Package fermi reads the Fermi Gamma-ray Space Telescope's predicted
// spacecraft pointing files (FT2 format), which the Fermi Science Support
// Center publishes one per mission week, preliminary about three weeks
// ahead and final about a week ahead, and NASA's ACROSS ingests weekly:
//
//	GET https://fermi.gsfc.nasa.gov/ssc/observations/timeline/ft2/files/FERMI_POINTING_{PRELIM|FINAL}_<week>_<YYYYDDD start>_<YYYYDDD end>_<version>.fits
//
// A file is an empty primary HDU and a binary table SC_DATA, read with
// connectors/vo/fits, one row per minute. The source is registered as
// "fermi-lat".
//
// # One activity per row
//
// Each row becomes one survey activity of the LAT, as ACROSS ingests it
// (one observation per row; rows are not merged into intervals): start and
// end are START and STOP (mission elapsed seconds, converted with the
// file's TIMESYS, MJDREFI and MJDREFF to UTC, leap seconds included); the
// pointing is the spacecraft z axis (RA_SCZ, DEC_SCZ) with the roll the
// position angle of the x axis (RA_SCX, DEC_SCX) seen from it; the
// footprint is the LAT's field of view, a cone of 2.4 sr about the z axis
// (a polygon of FOVVertices vertices); the exposure is STOP − START; the
// bandpass 20 MeV to 300 GeV. Rows inside the South Atlantic Anomaly
// (IN_SAA true), where the LAT takes no data, are counted skips, as ACROSS
// drops them. The ID is the row's START in whole mission seconds, so the
// final file's row replaces the preliminary file's row of the same minute
// (revision: planned, ranked by the file's DATE). Fidelity is low for a
// PRELIM file and high for a FINAL one, read from the FILENAME card.
//
// One activity per minute is what the file says and what a subscription
// needs to know whether a position was in the field at a given time; a
// merged interval would have to choose a tolerance on the drift of a
// pointing that rocks continuously through every orbit.
package fermi
