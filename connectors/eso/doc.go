// Package eso is the activity source "eso": what ESO's telescopes observed,
// from the ESO archive's TAP service (https://archive.eso.org/tap_obs),
// through the project's TAP client and HTTP layer.
//
//   - Raw frames (the default, [Raw]) from dbo.raw: exp_start in the window
//     (optionally a cone, INTERSECTS(s_region, CIRCLE(...)) = 1 as ESO's own client
//     writes it, and a list of instruments), with
//     telescope, instrument, prog_id, prog_title, pi_coi, object/target,
//     ra, dec, exposure, filter_path, ins_mode, dp_id, access_url,
//     datalink_url and last_mod_date. Frames whose dp_cat is not SCIENCE
//     (CALIB, ACQUISITION, TECHNICAL, ...) are skipped and counted by
//     reason; an unknown dp_cat value is skipped and counted under its name.
//   - Processed products ([Processed]) from ivoa.ObsCore, read by the
//     obscore package with ESO's facility mapping.
//
// Telescope codes ("ESO-VLT-U4") map to facility and site through the
// embedded mapping.json (the catalogs package has instruments, not these
// codes); instruments map through catalogs.Instrument, which also gives
// the field of view. Activities are of kind archived, with ID "eso:" +
// dp_id (raw) or obs_publisher_did (processed).
//
// A result cut at MAXREC ends the listing with an error matching
// connectors.ErrTruncated; schema drift (a renamed column, a changed date
// format, text in a number column) is a *connectors.SchemaError naming the
// column. Processed products map obs_creator_name to the programme's PI
// (obscore.ESOProfile).
//
// Credentials: a ready id_token (Options.Token, or ARCSECOND_ESO_TOKEN), or
// an ESO User Portal login (Options.Username and Password, or
// ARCSECOND_ESO_USERNAME and ARCSECOND_ESO_PASSWORD) that [OIDC] exchanges
// at ESO's token endpoint for an id_token, cached until 10 minutes before
// it expires and renewed. The id_token is sent as Authorization: Bearer to
// the archive only; a refused login or token gives a *connectors.AuthError
// naming the variables, and neither password nor token appears in errors.
//
// Example:
//
//	src, err := eso.New(eso.Options{Instruments: []string{"MUSE"}})
//	if err != nil { ... }
//	w := activities.Window{Start: time.Now().Add(-6 * time.Hour)}
//	for a, err := range src.Activities(ctx, w) {
//		if err != nil { ... } // errors.Is(err, connectors.ErrTruncated): narrow w
//		fmt.Println(a.Facility, a.Instrument, a.Target.Name, a.Programme.ID)
//	}
//
// [ParseRaw] and [ParseProcessed] convert recorded replies (VOTable or
// CSV) without a network: `arcsecond activities parse --source eso`.
package eso
