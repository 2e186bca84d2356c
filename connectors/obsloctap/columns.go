package obsloctap

// Spec is the document every column below is defined in: the IVOA
// Recommendation "Observation Locator Table Access Protocol Version 1.0"
// (REC-ObsLocTAP-1.0-20210724), whose LaTeX source is
// ivoa-std/ObsLocTAP@3c6b99fd929e5358017c92b103737697faa074d7:ObsLocTAP.tex.
const Spec = "ivoa-std/ObsLocTAP@3c6b99fd929e5358017c92b103737697faa074d7:ObsLocTAP.tex"

// Column is one column of the ivoa.obsplan table that this package reads.
type Column struct {
	// Name as the table spells it.
	Name string
	// Unit in TAP_SCHEMA.columns ("d" is days, as MJD).
	Unit string
	// Required columns must be in a reply: their absence is schema drift.
	// The spec requires every column of the table (section 4.1: "MUST
	// include all the columns listed"), but only these carry what an
	// activity cannot do without.
	Required bool
	// Cite is where the spec defines the column: table
	// tab:obsplancolumns (section 4.1, "Observation Locator data model",
	// descriptions and null constraints) and the TAP_SCHEMA table of
	// section 4.4 (units).
	Cite string
	// Use says what the activity takes from it.
	Use string
}

// Columns are the columns of ivoa.obsplan this package relies on, in the
// order of the spec's table.
var Columns = []Column{
	{"t_planning", "d", true, "ObsLocTAP.tex tab:obsplancolumns row 2 (\"Time in MJD when this observation has been added or modified into the planning log\", not null); TAP_SCHEMA unit d", "Updated and Revision: a later row of the same observation replaces an earlier one"},
	{"target_name", "", false, "ObsLocTAP.tex tab:obsplancolumns row 3 (\"Astronomical object observed, if any\")", "Target.Name"},
	{"obs_id", "", true, "ObsLocTAP.tex tab:obsplancolumns row 4 (\"Observation ID\", not null)", "ID key and DatasetID"},
	{"s_ra", "deg", false, "ObsLocTAP.tex tab:obsplancolumns row 6 (\"Central right ascension, ICRS\"); TAP_SCHEMA unit deg", "Pointing.RA; Target.RA for sidereal tracking"},
	{"s_dec", "deg", false, "ObsLocTAP.tex tab:obsplancolumns row 7 (\"Central declination, ICRS\"); TAP_SCHEMA unit deg", "Pointing.Dec; Target.Dec for sidereal tracking"},
	{"s_fov", "deg", false, "ObsLocTAP.tex tab:obsplancolumns row 8 (\"Diameter (bounds) of the covered region\"); TAP_SCHEMA unit deg", "Target.FOVRadius = s_fov / 2"},
	{"s_region", "", false, "ObsLocTAP.tex tab:obsplancolumns row 9 (\"Sky region covered by the data product (expressed in ICRS frame)\"), serialized as DALI or STC-S (section 4.1)", "Footprints (polygons)"},
	{"t_min", "d", true, "ObsLocTAP.tex tab:obsplancolumns row 11 (\"Start time in MJD\", not null for execution_status Scheduled or Performed)", "Start"},
	{"t_max", "d", false, "ObsLocTAP.tex tab:obsplancolumns row 12 (\"Stop time in MJD\", not null for execution_status Scheduled or Performed)", "End"},
	{"t_exptime", "s", false, "ObsLocTAP.tex tab:obsplancolumns row 13 (\"Total exposure time\"); TAP_SCHEMA unit s", "Exposure"},
	{"em_min", "m", false, "ObsLocTAP.tex tab:obsplancolumns row 15 (\"Start in spectral coordinates\"); TAP_SCHEMA unit m, UCD em.wl;stat.min", "Bandpass.Min"},
	{"em_max", "m", false, "ObsLocTAP.tex tab:obsplancolumns row 16 (\"Stop in spectral coordinates\"); TAP_SCHEMA unit m, UCD em.wl;stat.max", "Bandpass.Max"},
	{"facility_name", "", true, "ObsLocTAP.tex tab:obsplancolumns row 21 (\"Name of the facility used for this observation\", not null)", "Facility"},
	{"instrument_name", "", false, "ObsLocTAP.tex tab:obsplancolumns row 22 (\"Name of the instrument used for this observation\")", "Instrument"},
	{"t_plan_exptime", "s", false, "ObsLocTAP.tex tab:obsplancolumns row 23 (\"Planned or scheduled exposure time\"); TAP_SCHEMA unit s", "Exposure when t_exptime is null"},
	{"execution_status", "", true, "ObsLocTAP.tex tab:obsplancolumns row 26 (\"One of the following values: Planned, Scheduled, Unscheduled, Performed, Aborted\", not null); life cycle in section 1 and section 4.1", "Kind and Fidelity"},
	{"tracking_type", "", false, "ObsLocTAP.tex tab:obsplancolumns row 27 (\"Sidereal, Solar-system-object-tracking, Fixed-az-el-transit\", not null); section 4.1: s_ra/s_dec are a representative or transit pointing for the last two", "whether s_ra/s_dec are also the target's position"},
}
