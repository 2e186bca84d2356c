// Package obsloctap turns any TAP service that publishes the IVOA
// ObsLocTAP 1.0 table ivoa.obsplan — what an observatory will observe, is
// observing and has observed — into a source of activities.
//
// The source runs, through the project's TAP client over its HTTP layer
// (deadlines, retries with backoff and Retry-After),
//
//	SELECT * FROM ivoa.obsplan
//	WHERE t_min < {end} AND (t_max >= {start} OR (t_max IS NULL AND t_min >= {start}))
//	ORDER BY t_min, t_planning
//
// (times as MJD; optionally restricted by facility_name, execution_status
// and t_planning), with MAXREC. Every column it reads is listed in
// [Columns] with the place the Recommendation defines it ([Spec]).
//
// The execution_status life cycle of the spec maps to activity kinds:
//
//	Planned      planned, fidelity low (no time allocated yet)
//	Scheduled    planned, fidelity high
//	Unscheduled  unscheduled
//	Performed    completed
//	Aborted      aborted
//
// A row's revision is its t_planning (the time the row was added to or
// changed in the planning log) in milliseconds, so that the latest state of
// an observation replaces the earlier ones, whatever they are (the spec
// lets an Aborted or Unscheduled observation return to Planned). A service
// that keeps its planning log as several rows per observation gives one
// activity per obs_id: the latest row (the others are counted as
// superseded). [KeyObsIDStart] keys activities on obs_id and t_min instead,
// for services that reuse obs_id across observations (Rubin).
//
// s_ra/s_dec become the pointing, and the target's position too when the
// tracking is sidereal; s_fov/2 the field radius; a polygon s_region (STC-S
// or DALI) a footprint; em_min/em_max the bandpass; t_exptime (else
// t_plan_exptime) the exposure.
//
// As in package obscore: schema drift is loud (a missing required column
// or text in a number column is an *connectors.SchemaError naming it), a
// result cut at MAXREC ends the listing with an error matching
// [connectors.ErrTruncated], and a bearer token (ARCSECOND_OBSLOCTAP_TOKEN) never
// appears in errors.
//
// [ParseReply] converts a recorded reply (VOTable, CSV, or a JSON array of
// rows) without a network: `arcsecond activities parse --source obsloctap`.
package obsloctap
