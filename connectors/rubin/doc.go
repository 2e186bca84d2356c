// Package rubin reads the predicted observing schedule of the Vera C.
// Rubin Observatory (the Simonyi Survey Telescope and LSSTCam) from Rubin's
// ObsLocTAP service, as NASA's ACROSS does:
//
//	GET https://usdf-rsp.slac.stanford.edu/obsloctap/schedule?start={MJD}&time={hours}
//
// The reply is a JSON array of ObsLocTAP obsplan rows plus Rubin's two
// columns rubin_rot_sky_pos and rubin_nexp (lsst-dm/obsloctap). Rows are
// read by package obsloctap, with two choices that Rubin's data need:
//
//   - the ID is obs_id and t_min: Rubin's obs_id is the survey region
//     ("lowdust", "dusty_plane"), shared by many visits, so a visit is
//     keyed by its predicted start (a visit the scheduler moves becomes a
//     new activity: the service gives no persistent visit identifier);
//   - the Scheduled rows are predictions of the scheduler
//     (logevent_predictedSchedule), graded low fidelity as ACROSS grades
//     them; Performed rows are completed exposures.
//
// rubin_rot_sky_pos is the pointing's roll; em_min/em_max the bandpass,
// from which the filter (u, g, r, i, z, y) is named with the filter edges
// of lsst-dm/obsloctap. The service is public (no credentials) and serves
// at most 48 hours from start; a longer window ends with an error
// matching connectors.ErrTruncated after the activities of the first 48 h.
package rubin
