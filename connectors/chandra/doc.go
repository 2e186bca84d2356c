// Package chandra reads the done and scheduled observations of the Chandra X-ray
// Observatory from the Chandra Data Archive's TAP service, as NASA's ACROSS
// does (NASA-ACROSS/across-data-ingestion chandra/high_fidelity_planned.py):
//
//	SELECT o.obsid, o.start_date, o.ra, o.dec, o.instrument, o.grating, o.exposure_mode
//	FROM cxc.observation o
//	WHERE o.start_date >= '{start - 3 d}' AND o.start_date < '{end}' AND o.status = 'scheduled'
//	ORDER BY o.start_date
//
// then, for the obsids found, the exposure time and target name from the
// same service's ObsLocTAP table:
//
//	SELECT obs_id, target_name, t_plan_exptime FROM ivoa.obsplan WHERE obs_id IN ('...')
//
// Each scheduled observation becomes a planned activity of high fidelity
// (the uploaded short-term schedule), ID chandra:{obsid}, pointing and
// target at (ra, dec), instrument ACIS-I/ACIS-S/HRC-I/HRC-S, filter the
// grating (HETG, LETG; none for NONE), mode the exposure mode (TE, CC), and
// the bandpass of the configuration as ACROSS gives it (ACIS 0.1-10 keV,
// HETG 0.6-10 keV, LETG 0.1-6 keV, HRC 0.1-10 keV). The end is the start
// plus t_plan_exptime, when the ObsLocTAP row gives it. cxc.observation
// gives no roll: the pointing's roll is unknown and no footprint is drawn.
//
// The observations done (as flown) come first, as ACROSS's as-flown
// ingestion reads them (chandra/as_flown.py), with the status to tell
// observed from archived ones:
//
//	SELECT o.obsid, o.start_date, o.ra, o.dec, o.instrument, o.grating, o.exposure_mode,
//	       o.status, o.target_name, o.exposure_time, o.proposal_number
//	FROM cxc.observation o
//	WHERE o.status IN ('observed', 'archived') AND o.start_date >= ... AND o.start_date < ...
//
// Each becomes a completed (observed) or archived activity of the same ID
// as its scheduled one, so it supersedes it, with its target name, proposal
// number as programme, and exposure from exposure_time (ks) ending it. A
// scheduled row of an observation the as-flown rows list is not listed
// again. Options.NoAsFlown (setting asflown=false) lists the scheduled
// observations only.
//
// The service is public (no credentials); ACROSS reads it weekly. A reply
// cut at MAXREC ends with an error matching connectors.ErrTruncated.
package chandra
