"""Byte-exact CSV writing in the publishers' own conventions (quoting, BOM, line endings).

Examples
--------
>>> import pandas as pd
>>> csv_bytes(pd.DataFrame({"a": ["x,y"], "b": [1]}))
b'a,b\\n"x,y",1\\n'
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["csv_bytes", "write_bytes"]


def _plain(value: object, keep_numbers: bool) -> object:
    """Python scalars for the csv module (numbers stay numbers only when ``keep_numbers``)."""
    if isinstance(value, np.integer):
        value = int(value)
    elif isinstance(value, np.floating):
        value = float(value)
    if keep_numbers and isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return value if isinstance(value, str) else str(value)


def csv_bytes(
    frame: pd.DataFrame,
    *,
    quote_strings: bool = False,
    bom: bool = False,
    crlf: bool = False,
    final_newline: bool = True,
) -> bytes:
    """Encode a frame as CSV bytes exactly as a given publisher writes it.

    Parameters
    ----------
    frame : pandas.DataFrame
        Values are written with ``str()``; strings are written as they are.
    quote_strings : bool
        Quote every string (header included) and leave numbers bare, as Nomis does.
        Otherwise quote only fields that need it (data.police.uk, ONS, MHCLG).
    bom : bool
        Start with a UTF-8 byte-order mark (MHCLG's IMD files).
    crlf : bool
        End lines with CR LF instead of LF.
    final_newline : bool
        End the last line with a line break.

    Returns
    -------
    bytes
        UTF-8 encoded CSV.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"date": ["2011"], "n": [5]})
    >>> csv_bytes(df, quote_strings=True)
    b'"date","n"\\n"2011",5\\n'
    >>> csv_bytes(df, bom=True, crlf=True, final_newline=False)
    b'\\xef\\xbb\\xbfdate,n\\r\\n2011,5'
    """
    buf = io.StringIO()
    eol = "\r\n" if crlf else "\n"
    quoting = csv.QUOTE_NONNUMERIC if quote_strings else csv.QUOTE_MINIMAL
    writer = csv.writer(buf, quoting=quoting, lineterminator=eol)
    writer.writerow([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([_plain(v, quote_strings) for v in row])
    text = buf.getvalue()
    if not final_newline and text.endswith(eol):
        text = text[: -len(eol)]
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` (creating folders), replacing any file atomically.

    Parameters
    ----------
    path : pathlib.Path
        Destination.
    data : bytes
        Content.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_bytes(pathlib.Path(d) / "a" / "b.txt", b"hi")
    ...     p.read_bytes()
    b'hi'
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path
