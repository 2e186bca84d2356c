// Package mast reads the observations MAST (the Barbara A. Mikulski
// Archive for Space Telescopes) holds in its CAOM database, for any
// collection (obs_collection: HST, JWST, TESS, GALEX, ...):
//
//	POST https://mast.stsci.edu/api/v0/invoke
//	request={"service": "Mast.Caom.Filtered", "format": "json", "pagesize": N, "page": P,
//	         "params": {"columns": "*", "filters": [
//	             {"paramName": "obs_collection", "values": ["JWST"]},
//	             {"paramName": "t_min", "values": [{"min": MJD, "max": MJD}]}]}}
//
// as astroquery's mast client asks it. The request is re-POSTed while MAST
// answers EXECUTING; pages are followed up to Options.MaxPages, and a
// listing cut there ends with an error matching connectors.ErrTruncated.
// Each row becomes an archived activity: start t_min and end t_max (MJD,
// UTC), exposure t_exptime, target target_name at (s_ra, s_dec) with the
// s_region polygon, instrument_name, filters, proposal_id, proposal_pi,
// obs_title. The collection (see [Lookup] and collections.json) gives the
// observatory and facility, the instruments' fields of view where the
// project's instrument table has none, the calibration target names
// (skipped, with rows whose intentType is calibration) and a dataset page.
//
// The source is registered as "mast" (setting "collection", default HST).
// connectors/hst's "hst-mast" is this source with collection HST, named
// hst-mast, unchanged for its users. [ParseReply], the recorded-reply
// format "mast", keeps every row, each by its own obs_collection.
package mast
