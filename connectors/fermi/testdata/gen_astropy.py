#!/usr/bin/python3
"""Independent reading of the FT2 pointing files in this folder with astropy
(Debian's python3-astropy 5.2.1), written to <file>.astropy.jsonl: one JSON
object per row the connector should keep (IN_SAA false), with the row's
START and STOP as UTC (astropy Time from the file's MJDREFI + MJDREFF in
the file's TIMESYS, plus the mission seconds), the z axis, and the position
angle of the x axis seen from the z axis (SkyCoord.position_angle, east of
north). TestAgainstAstropy compares the connector's activities with them.

Usage: cd testdata && /usr/bin/python3 gen_astropy.py
"""
import glob, json, os

import astropy.units as u
from astropy.coordinates import SkyCoord
from astropy.io import fits
from astropy.time import Time

here = os.path.dirname(os.path.abspath(__file__))

for path in sorted(glob.glob(os.path.join(here, "FERMI_POINTING_*.fits"))):
    with fits.open(path) as hdul:
        h = hdul["SC_DATA"].header
        mjdref = float(h["MJDREFI"]) + float(str(h["MJDREFF"]).replace("D", "E"))
        ref = Time(mjdref, format="mjd", scale=h["TIMESYS"].strip().lower())
        rows = []
        for r in hdul["SC_DATA"].data:
            if bool(r["IN_SAA"]):
                continue
            z = SkyCoord(float(r["RA_SCZ"]) * u.deg, float(r["DEC_SCZ"]) * u.deg, frame="icrs")
            x = SkyCoord(float(r["RA_SCX"]) * u.deg, float(r["DEC_SCX"]) * u.deg, frame="icrs")
            rows.append({
                "met": float(r["START"]),
                "start": (ref + float(r["START"]) * u.s).utc.isot,
                "stop": (ref + float(r["STOP"]) * u.s).utc.isot,
                "ra": float(r["RA_SCZ"]),
                "dec": float(r["DEC_SCZ"]),
                "roll": z.position_angle(x).deg,
                "exposure": float(r["STOP"] - r["START"]),
            })
    with open(path + ".astropy.jsonl", "w") as out:
        for row in rows:
            out.write(json.dumps(row) + "\n")
