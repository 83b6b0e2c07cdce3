"""Read a CRM export's files into DuckDB tables under canonical names, codes and checks.

Large CSV exports and Parquet files are read by DuckDB's own readers, so a snapshot of ten
million organisations builds without a Python row loop or a whole table in pandas; XLSX and
small CSV files go through the reader of incoming lists (encodings, delimiters, header search).
"""
from __future__ import annotations

import codecs
import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb

from workbench.crm.model import CrmLayout
from workbench.errors import SnapshotError
from workbench.fields import CRM_TABLES

EXTENSIONS = (".csv", ".txt", ".parquet", ".xlsx")
EXTRA_COLUMNS = ("table_name", "record_id", "column_name", "value")
# CSV exports from this size on are read by DuckDB's CSV reader (the incoming-list reader keeps
# every row in Python: fine for a list, hours and gigabytes for a national register)
DUCKDB_CSV_BYTES = 64 * 1024**2
_BLOCK = 1 << 22


def find_export(export_dir: Path, files: tuple[str, ...]) -> Path | None:
    """The first export file whose name (without extension, any case) the layout gives."""
    present = {p.stem.casefold(): p for p in sorted(export_dir.iterdir())
               if p.suffix.lower() in EXTENSIONS}
    for stem in files:
        if stem.casefold() in present:
            return present[stem.casefold()]
    return None


def _q(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _utf8_copy(path: Path, encoding: str, folder: str) -> Path:
    """A UTF-8 copy of a text file in another encoding, converted block by block."""
    target = Path(folder) / "export.csv"
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    with path.open("rb") as src, target.open("w", encoding="utf-8", newline="") as dst:
        while block := src.read(_BLOCK):
            dst.write(decoder.decode(block))
        dst.write(decoder.decode(b"", final=True))
    return target


@contextlib.contextmanager
def export_view(con: duckdb.DuckDBPyConnection, path: Path, name: str,
                csv_bytes: int = DUCKDB_CSV_BYTES) -> Iterator[None]:
    """The export file as view ``name``: text columns, empty cells NULL, ``source_row`` the row
    in the file (header = 1)."""
    suffix = path.suffix.lower()
    with tempfile.TemporaryDirectory(prefix="workbench-export-") as folder:
        if suffix == ".parquet":
            con.execute(f"CREATE TEMP VIEW {name} AS SELECT row_number() OVER () + 1 AS "
                        f"source_row, * FROM read_parquet('{_sql_text(path)}')")
        elif suffix != ".xlsx" and path.stat().st_size >= csv_bytes:
            _csv_view(con, path, name, folder)
        else:
            from workbench.read import read_table

            frame = read_table(path, empty_ok=True)  # a CRM may hold no records of a kind yet
            frame["source_row"] = frame["source_row"] + 1
            con.register(f"{name}_frame", frame)
            con.execute(f"CREATE TEMP VIEW {name} AS SELECT * FROM {name}_frame")
        try:
            yield
        finally:
            con.execute(f"DROP VIEW IF EXISTS {name}")
            con.execute(f"DROP TABLE IF EXISTS {name}_raw")
            with contextlib.suppress(duckdb.Error):
                con.unregister(f"{name}_frame")


def _sql_text(path: Path | str) -> str:
    return str(path).replace("'", "''")


def _csv_view(con: duckdb.DuckDBPyConnection, path: Path, name: str, folder: str) -> None:
    """A big CSV export as a view, read by DuckDB with the incoming reader's encoding and
    delimiter; values trimmed, empty ones NULL, as that reader gives them."""
    from workbench.read.text import SAMPLE_CHARS, _detect_delimiter, detect_encoding

    encoding = detect_encoding(path)
    with path.open(encoding=encoding, newline="") as fh:
        sample = fh.read(SAMPLE_CHARS + 1)
    delimiter = _detect_delimiter(sample[:SAMPLE_CHARS], len(sample) > SAMPLE_CHARS)
    source = path if encoding in ("utf-8", "utf-8-sig") else _utf8_copy(path, encoding, folder)
    reader = (f"read_csv('{_sql_text(source)}', header=true, all_varchar=true, "
              f"delim='{_sql_text(delimiter)}', quote='\"', escape='\"', null_padding=true, "
              f"strict_mode=false)")
    try:
        columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()]
        # the view is read again by each step; a temporary table reads (and checks) it once
        # read (and checked) once: a table in the snapshot file, dropped when the export's
        # table is built (a temporary one would hold ten million rows in memory)
        con.execute(f"CREATE TABLE {name}_raw AS SELECT row_number() OVER () + 1 AS "
                    f"source_row, {', '.join(_trimmed(c) for c in columns)} FROM {reader}")
    except duckdb.Error as exc:
        raise SnapshotError(f"cannot read the export ({str(exc).splitlines()[0]})",
                            file=str(path)) from None
    con.execute(f"CREATE TEMP VIEW {name} AS SELECT * FROM {name}_raw")


def _trimmed(column: str) -> str:
    return f"NULLIF(trim({_q(column)}), '') AS {_q(column)}"


def view_columns(con: duckdb.DuckDBPyConnection, view: str) -> list[str]:
    """The export's column names (without ``source_row``)."""
    rows = con.execute(f"DESCRIBE SELECT * FROM {view}").fetchall()
    return [r[0] for r in rows if r[0] != "source_row"]


def _code_sql(value: str, back: dict[str, str]) -> str:
    """The value with the system's codes turned into canonical ones (any case)."""
    if not back:
        return value
    cases = " ".join(f"WHEN '{_sql_text(k)}' THEN '{_sql_text(v)}'" for k, v in back.items())
    return f"CASE lower(trim({value})) {cases} ELSE {value} END"


def canonical_table(con: duckdb.DuckDBPyConnection, table: str, view: str, path: Path,
                    layout: CrmLayout) -> tuple[str, ...]:
    """Create ``table`` from the export view under canonical names with canonical codes, check
    its ids and add the unknown columns' values to ``extra``; the unknown column names."""
    intake = layout.intake[table]
    found = view_columns(con, view)
    by_folded = {str(c).strip().casefold(): c for c in found}
    source = {canonical: by_folded.get(column.strip().casefold())
              for canonical, column in intake.columns.items()}
    for canonical in intake.required:
        if source.get(canonical) is None:
            raise SnapshotError(
                f"the {table} export has no '{intake.columns[canonical]}' column ({canonical}); "
                f"its columns are: {', '.join(map(str, found))}", file=str(path),
                column=intake.columns[canonical])
    select = []
    for canonical in CRM_TABLES[table]:
        column = source.get(canonical)
        value = f"CAST({_q(column)} AS VARCHAR)" if column is not None else "NULL::VARCHAR"
        if canonical in layout.codes and column is not None:
            value = _code_sql(value, layout.to_canonical(canonical))
        select.append(f"{value} AS {_q(canonical)}")
    con.execute(f"CREATE TABLE {table} AS SELECT {', '.join(select)} FROM {view} "
                "ORDER BY source_row")
    key = CRM_TABLES[table][0]
    _check_ids(con, key, source[key], view, path)
    known = {c for c in source.values() if c is not None}
    unknown = tuple(str(c) for c in found if c not in known)
    if unknown:
        _add_extra(con, table, view, source[key], unknown)
    return unknown


def _add_extra(con: duckdb.DuckDBPyConnection, table: str, view: str, key_column: str,
               unknown: tuple[str, ...]) -> None:
    """The unknown columns' filled values as (table, record id, column, value) lines, column by
    column as the export has them, then row by row."""
    cols = ", ".join(f"CAST({_q(c)} AS VARCHAR) AS {_q(c)}" for c in unknown)
    order = " ".join(f"WHEN '{_sql_text(c)}' THEN {i}" for i, c in enumerate(unknown))
    con.execute(
        f"INSERT INTO extra SELECT '{table}', record_id, column_name, value FROM "
        f"(UNPIVOT (SELECT source_row, CAST({_q(key_column)} AS VARCHAR) AS record_id, {cols} "
        f"FROM {view}) ON {', '.join(_q(c) for c in unknown)} "
        f"INTO NAME column_name VALUE value) WHERE value <> '' "
        f"ORDER BY CASE column_name {order} END, source_row")


def _check_ids(con: duckdb.DuckDBPyConnection, key: str, column: str, view: str,
               path: Path) -> None:
    """Every record has an id, and no id appears twice (the error names the first such row)."""
    ids = (f"SELECT source_row, NULLIF(trim(CAST({_q(column)} AS VARCHAR)), '') AS id "
           f"FROM {view}")
    empty = con.execute(f"SELECT min(source_row) FROM ({ids}) WHERE id IS NULL").fetchall()[0][0]
    if empty is not None:
        raise SnapshotError(f"{key} is empty", file=str(path), row=int(empty), column=key)
    dup = con.execute(
        f"SELECT source_row, id FROM (SELECT source_row, id, row_number() OVER "
        f"(PARTITION BY id ORDER BY source_row) AS nth FROM ({ids})) WHERE nth = 2 "
        "ORDER BY source_row LIMIT 1").fetchall()
    if dup:
        raise SnapshotError(f"{key} '{dup[0][1]}' appears twice", file=str(path),
                            row=int(dup[0][0]), column=key)


def empty_table(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """A table of the export with no file (no records of that kind): its columns, as text."""
    cols = ", ".join(f"{_q(c)} VARCHAR" for c in CRM_TABLES[table])
    con.execute(f"CREATE TABLE {table} ({cols})")


def create_extra(con: duckdb.DuckDBPyConnection) -> None:
    """The table of the export's columns the layout does not know, one value per line."""
    con.execute(f"CREATE TABLE extra ({', '.join(f'{c} VARCHAR' for c in EXTRA_COLUMNS)})")
