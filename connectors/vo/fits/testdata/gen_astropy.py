#!/usr/bin/python3
"""Writes the rows of every binary table of the FITS files in this folder,
as read by astropy.io.fits (Debian's python3-astropy 5.2.1), one JSON object
per line, to <file>.hdu<N>.jsonl. The Go test TestAgainstAstropy compares
the fits package's rows with them.

Usage: cd testdata && /usr/bin/python3 gen_astropy.py

It first writes, with astropy, the two synthetic files (not recordings):
synthetic_types.fits (every TFORM type L X B I J K A E D C M, TSCAL/TZERO
including the unsigned conventions, TNULL, TDIM) and synthetic_vla.fits (a
variable-length P column, which the Go reader refuses).

Conventions (those of the Go test's rowJSON): keys are the column names;
values are physical (TSCAL/TZERO applied, as astropy gives them); NaN and
masked values are null; arrays are lists in storage order; logicals are
true/false; strings have trailing spaces removed.
"""
import glob, json, math, os

import numpy as np
from astropy.io import fits

here = os.path.dirname(os.path.abspath(__file__))


def conv(v):
    if isinstance(v, np.ndarray):
        return [conv(x) for x in v.ravel(order="C").tolist()]
    if isinstance(v, (list, tuple)):
        return [conv(x) for x in v]
    if isinstance(v, (bytes, np.bytes_)):
        return bytes(v).decode("ascii", "replace").rstrip(" ")
    if isinstance(v, (str, np.str_)):
        return str(v).rstrip(" ")
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (complex, np.complexfloating)):
        c = complex(v)
        return [conv(c.real), conv(c.imag)]
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return None if math.isnan(f) else f
    return str(v)


# scaling cards added to synthetic_types.fits after astropy wrote the raw
# integers (astropy 5.2.1 cannot write scaled integer columns: a numpy
# casting error in _scale_back), as (column name, keyword, value)
SCALING = [
    ("sbyte", "TZERO", "-128"),
    ("ushort", "TZERO", "32768"),
    ("uint", "TZERO", "2147483648"),
    ("ulong", "TZERO", "9223372036854775808"),
    ("scaled", "TSCAL", "0.5"),
    ("scaled", "TZERO", "10.0"),
]


def add_cards(path, extra):
    """Inserts cards (keyword, value text) before END of HDU 1's header."""
    data = open(path, "rb").read()
    start = 2880
    cards, pos = [], start
    while True:
        card = data[pos:pos + 80]
        pos += 80
        if card[:8] == b"END     ":
            break
        cards.append(card)
    hdr_end = start + ((pos - start + 2879) // 2880) * 2880
    for kw, val in extra:
        cards.append(("%-8s= %20s" % (kw, val)).ljust(80).encode("ascii"))
    cards.append(b"END".ljust(80))
    hdr = b"".join(cards)
    hdr += b" " * ((2880 - len(hdr) % 2880) % 2880)
    open(path, "wb").write(data[:start] + hdr + data[hdr_end:])


def write_synthetic():
    n = 4
    cols = [
        fits.Column(name="flag", format="L", array=np.array([True, False, True, False])),
        fits.Column(name="flags3", format="3L", array=np.array([[True, False, True]] * n)),
        fits.Column(name="bits", format="11X", array=np.array([[1, 0, 1, 1, 0, 0, 0, 1, 1, 1, 0]] * n, dtype=bool)),
        fits.Column(name="ubyte", format="B", array=np.array([0, 7, 255, 99], dtype=np.uint8), null=99),
        fits.Column(name="sbyte", format="B", array=np.array([0, 127, 128, 255], dtype=np.uint8)),
        fits.Column(name="short", format="I", array=np.array([-32768, -2, 3, 32767], dtype=np.int16), null=-2),
        fits.Column(name="ushort", format="I", array=np.array([-32768, -32767, 7232, 32767], dtype=np.int16)),
        fits.Column(name="int", format="J", array=np.array([-5, 0, 2147483647, 123], dtype=np.int32)),
        fits.Column(name="uint", format="J", array=np.array([-2147483648, -2147483647, 852516352, 2147483647], dtype=np.int32)),
        fits.Column(name="long", format="K", array=np.array([-(2**63), -1, 2**62, 2**63 - 1], dtype=np.int64)),
        fits.Column(name="ulong", format="K", array=np.array([-(2**63), 0, 1, 2**63 - 1], dtype=np.int64)),
        fits.Column(name="scaled", format="I", array=np.array([0, 1, 2, -30], dtype=np.int16)),
        fits.Column(name="text", format="12A", array=np.array(["hello", "", "twelve chars", "a b  "])),
        fits.Column(name="grid", format="6A", dim="(3,2)", array=np.array([["ab", "cde"], ["x", ""], ["", "y"], ["abc", "def"]])),
        fits.Column(name="f32", format="E", array=np.array([1.5, np.nan, -0.0, 3.4e38], dtype=np.float32)),
        fits.Column(name="f64", format="D", unit="s", array=np.array([np.pi, np.nan, 1e-300, -2.5])),
        fits.Column(name="f64x3", format="3D", array=np.array([[1.0, 2.0, 3.0], [np.nan, 0.0, 1.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])),
        fits.Column(name="mat", format="6J", dim="(3,2)", array=np.arange(24, dtype=np.int32).reshape(n, 2, 3)),
        fits.Column(name="c64", format="C", array=np.array([1 + 2j, 3 - 4j, 0j, np.nan + 0j], dtype=np.complex64)),
        fits.Column(name="c128", format="2M", array=np.array([[1 + 1j, 2 + 2j]] * n, dtype=np.complex128)),
    ]
    hdu = fits.BinTableHDU.from_columns(cols, name="TYPES")
    path = os.path.join(here, "synthetic_types.fits")
    fits.HDUList([fits.PrimaryHDU(), hdu]).writeto(path, overwrite=True)
    names = [c.name for c in cols]
    add_cards(path, [("%s%d" % (kw, names.index(col) + 1), val) for col, kw, val in SCALING])
    vla = fits.Column(name="vla", format="PE()", array=np.array([np.array([1.0, 2.0], dtype=np.float32), np.array([3.0], dtype=np.float32)], dtype=object))
    idc = fits.Column(name="id", format="J", array=np.array([1, 2], dtype=np.int32))
    hdu2 = fits.BinTableHDU.from_columns([idc, vla], name="VLA")
    tail = fits.BinTableHDU.from_columns([fits.Column(name="after", format="J", array=np.array([42], dtype=np.int32))], name="AFTER")
    fits.HDUList([fits.PrimaryHDU(), hdu2, tail]).writeto(os.path.join(here, "synthetic_vla.fits"), overwrite=True)


def main():
    write_synthetic()
    for path in sorted(glob.glob(os.path.join(here, "*.fits"))):
        with fits.open(path) as hdul:
            for n, hdu in enumerate(hdul):
                if not isinstance(hdu, fits.BinTableHDU) or any(c.format.startswith(("P", "Q")) for c in hdu.columns):
                    continue
                data = hdu.data
                names = data.columns.names
                out = "%s.hdu%d.jsonl" % (path, n)
                with open(out, "w") as f:
                    for row in data:
                        obj = {name: conv(row[name]) for name in names}
                        f.write(json.dumps(obj) + "\n")
                print("wrote", os.path.basename(out), len(data), "rows")


if __name__ == "__main__":
    main()
