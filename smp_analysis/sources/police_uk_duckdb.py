"""DuckDB I/O for data.police.uk files: the ``read_csv`` call, connections, rejected rows.

Every column is read as text (:func:`read_csv_sql`) so that validation, not DuckDB's
type sniffing, decides what a value means; rows DuckDB cannot parse are kept in its
``reject_errors`` table and turned into one :class:`~smp_analysis.errors.InputError`
naming file, line and column (:func:`raise_rejects`). :func:`scan_all` reads the staged
files of one kind into a frame of text columns for the record-level readers;
:func:`smp_analysis.aggregate.build_cube` aggregates inside DuckDB instead.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

import duckdb
import pandas as pd

from ..errors import InputError
from .police_uk_format import COLUMNS, PoliceFile

__all__ = ["read_csv_sql", "quiet_connect", "sql_str", "raise_rejects", "scan_all"]


def read_csv_sql(kind: str, files: Sequence[str]) -> str:
    """The DuckDB ``read_csv`` call for files of one kind: all columns as text.

    Rows that cannot be parsed are stored in DuckDB's ``reject_errors`` table (see
    :func:`raise_rejects`) instead of stopping the scan.

    Examples
    --------
    >>> "all_varchar" in read_csv_sql("street", ["a.csv"]) or "VARCHAR" in read_csv_sql(
    ...     "street", ["a.csv"])
    True
    """
    cols = ", ".join(f"{sql_str(c)}: 'VARCHAR'" for c in COLUMNS[kind])
    file_list = "[" + ", ".join(sql_str(f) for f in files) + "]"
    return (
        f"read_csv({file_list}, header=true, auto_detect=false, delim=',', quote='\"', "
        f"escape='\"', columns={{{cols}}}, filename=true, store_rejects=true)"
    )


def quiet_connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection without a progress bar on the terminal.

    Inside a Jupyter kernel without ipywidgets DuckDB refuses to change the progress-bar
    setting (it raises ``InvalidInputException``) and shows no bar anyway, so the refusal is
    ignored there.

    Examples
    --------
    >>> quiet_connect().execute("SELECT 1").fetchall()
    [(1,)]
    """
    con = duckdb.connect()
    with contextlib.suppress(duckdb.Error):
        con.execute("SET enable_progress_bar = false")
    return con


def sql_str(text: str) -> str:
    """Quote text as a SQL string literal.

    Examples
    --------
    >>> sql_str("King's Lynn")
    "'King''s Lynn'"
    """
    return "'" + str(text).replace("'", "''") + "'"


_REJECT_TEXT = {
    "MISSING COLUMNS": (
        "row has fewer fields than the header (a truncated row)",
        "download the file again; a row cut short usually means an interrupted download",
    ),
    "TOO MANY COLUMNS": (
        "row has more fields than the header",
        "quote values that contain commas, or download the file again",
    ),
    "UNQUOTED VALUE": (
        "a quoted value is not closed",
        "close the quote, or download the file again",
    ),
    "INVALID ENCODING": (
        "the row has bytes that are not UTF-8 text",
        'save the file as UTF-8 (in Excel: "CSV UTF-8"), or download it again',
    ),
    "LINE SIZE OVER MAXIMUM": (
        "the line is too long (a quote opened and never closed?)",
        "download the file again",
    ),
}


def raise_rejects(con: duckdb.DuckDBPyConnection, local: dict[str, PoliceFile]) -> None:
    """Raise :class:`InputError` for the first row DuckDB could not parse, if any.

    Examples
    --------
    >>> raise_rejects(duckdb.connect(), {}) is None
    True
    """
    try:
        rows = con.execute(
            "SELECT s.file_path, e.line, e.column_name, e.error_type, e.error_message "
            "FROM reject_errors e JOIN reject_scans s USING (scan_id, file_id) "
            "ORDER BY s.file_path, e.line"
        ).fetchall()
    except duckdb.Error:
        return
    if not rows:
        return
    file_path, line, column, etype, msg = rows[0]
    f = local.get(file_path)
    where = f.display if f is not None else file_path
    problem, fix = _REJECT_TEXT.get(str(etype), (str(msg), "download the file again"))
    more = len({(r[0], r[1]) for r in rows}) - 1
    if more:
        problem += f" (and {more} more unreadable row{'s' if more > 1 else ''})"
    raise InputError(problem, path=where, line=int(line), column=column or None, fix=fix)


def scan_all(kind: str, with_rows: Sequence[str], local: dict[str, PoliceFile]) -> pd.DataFrame:
    """Read the staged files of one kind, every column as text, plus ``filename``.

    Raises :class:`InputError` for the first row DuckDB could not parse.
    """
    if not with_rows:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in [*COLUMNS[kind], "filename"]})
    con = quiet_connect()
    try:
        table = con.sql(f"SELECT * FROM {read_csv_sql(kind, with_rows)}").to_arrow_table()
        raise_rejects(con, local)
    finally:
        con.close()
    return table.to_pandas()
