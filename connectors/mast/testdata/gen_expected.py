#!/usr/bin/python3
"""Independent reading of the recorded MAST replies in this folder: for
each row, the fields TestRows compares, with t_min converted by astropy
(Debian's python3-astropy 5.2.1) from MJD (UTC) to ISO time to the
microsecond, written to
expected.jsonl (one JSON object per row, in reply order).

Usage: cd testdata && /usr/bin/python3 gen_expected.py
"""
import json

from astropy.time import Time

with open("expected.jsonl", "w") as out:
    for name in ["advSearch.json", "advSearchPos.json", "caom.json"]:
        with open(name) as f:
            reply = json.load(f)
        for r in reply["data"]:
            out.write(json.dumps({
                "file": name, "collection": r["obs_collection"], "obs_id": r["obs_id"], "filters": r["filters"],
                "instrument": r["instrument_name"], "target": r["target_name"],
                "start": Time(r["t_min"], format="mjd", scale="utc", precision=6).isot, "exposure": r["t_exptime"],
                "ra": r["s_ra"], "dec": r["s_dec"],
                "proposal": "" if r["proposal_id"] is None else str(r["proposal_id"]),
            }) + "\n")
