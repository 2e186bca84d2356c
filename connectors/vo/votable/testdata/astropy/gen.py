#!/usr/bin/python3
"""Writes the rows of the first table of every valid VOTable in the shared
corpus, as read by astropy.io.votable, one JSON object per line.

Usage: /usr/bin/python3 gen.py ../../../../../../shared/fixtures/vo
(Debian's python3-astropy). Outputs go beside this script as
<path with / replaced by __>.jsonl; files astropy cannot read are listed in
astropy-failed.tsv with the exception. The Go test TestAgainstAstropy
compares its reader's rows with these, row for row.

Besides the valid files, EXTRA names invalid files whose reading the Go
tests also check against astropy (the defects of issue 15).

Conventions (the same as votable.Row.AppendJSON): keys are FIELD names (the
ID when there is no name), a key already taken being replaced by the
field's ID when that is free, else suffixed _2, _3, ... (Table.Keys); masked values and NaN are null; arrays are
flattened in VOTable order (first index fastest, which is numpy C order of
astropy's reversed shape); complex numbers are [re, im]; char values are
text.
"""
import gzip, io, json, math, os, sys, warnings

import numpy as np
from astropy.io.votable import parse

here = os.path.dirname(os.path.abspath(__file__))

# invalid files read all the same (issue 15: VALUES ref, duplicate names,
# an out-of-range unsignedByte)
EXTRA = {
    "astropy/astropy/io/votable/tests/data/regression.bin.tabledata.truth.1.1.xml",
    "astropy/astropy/io/votable/tests/data/regression.bin.tabledata.truth.1.3.xml",
    "astropy/astropy/io/votable/tests/data/regression.xml",
    "VOTables.jl/test/data/vectorcol.gz",
}


def unique_keys(fields):
    """The column keys of votable.Table.Keys."""
    keys, used = [], set()
    for f in fields:
        k = f.name if f.name else (f.ID or "")
        if k in used and f.ID and f.ID not in used:
            k = f.ID
        if k in used:
            n = 2
            while "%s_%d" % (k, n) in used:
                n += 1
            k = "%s_%d" % (k, n)
        used.add(k)
        keys.append(k)
    return keys


def conv(v, m=False):
    if m is True or (isinstance(m, np.bool_) and bool(m)):
        return None
    if v is np.ma.masked:
        return None
    if isinstance(v, np.ma.MaskedArray):
        data = v.data.ravel(order="C").tolist() if v.ndim else [v.data.item()]
        mask = np.ma.getmaskarray(v).ravel(order="C").tolist() if v.ndim else [bool(v.mask)]
        if v.dtype.kind in "SU" and v.ndim >= 1:
            return [conv(x, mm) for x, mm in zip(data, mask)]
        return [conv(x, mm) for x, mm in zip(data, mask)]
    if isinstance(v, np.ndarray):
        if v.dtype.kind in "SU":
            return [conv(x) for x in v.ravel(order="C").tolist()]
        return [conv(x) for x in v.ravel(order="C").tolist()]
    if isinstance(v, (bytes, np.bytes_)):
        return bytes(v).decode("utf-8", "replace")
    if isinstance(v, (str, np.str_)):
        return str(v)
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (complex, np.complexfloating)):
        c = complex(v)
        return [conv(c.real), conv(c.imag)]
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return None if math.isnan(f) or math.isinf(f) else f
    return str(v)


def main(corpus):
    failed = []
    n = 0
    with open(os.path.join(corpus, "MANIFEST.tsv")) as mf:
        rows = [l.rstrip("\n").split("\t") for l in mf][1:]
    for cols in rows:
        kind, validity, local = cols[6], cols[9], cols[4]
        rel = local[len("data/"):]
        if kind != "VOTable" or not (validity.startswith("valid") or rel in EXTRA):
            continue
        path = os.path.join(corpus, rel)
        out = os.path.join(here, rel.replace("/", "__") + ".jsonl")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                src = path
                if path.endswith(".gz"):
                    src = io.BytesIO(gzip.open(path).read())
                vot = parse(src, verify="ignore")
                table = next(iter(vot.iter_tables()))
                arr = table.array
                names = arr.dtype.names or ()
                keys = unique_keys(table.fields)
                lines = []
                for i in range(len(arr)):
                    obj = {}
                    for k, (key, col) in enumerate(zip(keys, names)):
                        v = arr[col][i]
                        m = np.ma.getmaskarray(arr[col])[i] if np.ma.isMaskedArray(arr[col]) else False
                        if isinstance(m, np.ndarray):
                            if isinstance(v, np.ndarray) and not isinstance(v, np.ma.MaskedArray):
                                v = np.ma.MaskedArray(v, mask=m)
                            m = False
                        obj[key] = conv(v, m)
                    lines.append(json.dumps(obj, ensure_ascii=False))
        except StopIteration:
            failed.append((rel, "no table"))
            continue
        except Exception as e:  # noqa: BLE001 - record why astropy fails
            failed.append((rel, "%s: %s" % (type(e).__name__, str(e).splitlines()[0][:150] if str(e) else "")))
            continue
        with open(out, "w") as f:
            for l in lines:
                f.write(l + "\n")
        n += 1
    with open(os.path.join(here, "astropy-failed.tsv"), "w") as f:
        f.write("# valid files astropy 5.2.1 could not read (no expected output)\n")
        for rel, why in failed:
            f.write("%s\t%s\n" % (rel, why))
    print("wrote", n, "files;", len(failed), "failed")


if __name__ == "__main__":
    main(sys.argv[1])
