"""The CRM snapshot: a DuckDB file built from a CRM export, opened read-only by every run."""
from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from workbench.atomic import atomic_path
from workbench.crm import CrmLayout, load_layout
from workbench.crm.export_read import (
    DUCKDB_CSV_BYTES,
    EXTENSIONS,
    canonical_table,
    create_extra,
    empty_table,
    export_view,
    find_export,
)
from workbench.errors import SnapshotError
from workbench.fields import CRM_TABLES
from workbench.keys import org_keys, person_keys

SNAPSHOT_MEMORY = "2GB"  # DuckDB's share while building (it spills to disk beyond it)
PART_ROWS = 250_000  # records standardised at a time while the match tables are built
WORKERS = 2  # processes standardising parts at once (at most one per core)


@dataclass(frozen=True)
class SnapshotSummary:
    """What a snapshot holds: records per table, and the export's columns the layout did not know
    (kept in the ``extra`` table, never dropped)."""

    counts: dict[str, int]
    unknown_columns: dict[str, tuple[str, ...]]
    layout: str


def _org_match_table(orgs: pd.DataFrame) -> pd.DataFrame:
    from workbench.standardise import standardise_frame

    mapped = pd.DataFrame({"source_row": range(1, len(orgs) + 1)})
    for col in CRM_TABLES["organisations"][1:]:
        mapped[f"org_{col}"] = orgs[col].to_numpy()
    std, _ = standardise_frame(mapped)
    keys = org_keys(std)
    keys.insert(0, "org_id", orgs["org_id"].to_numpy())
    return keys


def _person_match_table(persons: pd.DataFrame, contacts: pd.DataFrame) -> pd.DataFrame:
    """One row per person per organisation they are a contact of (org_id empty when none)."""
    links = contacts.loc[contacts["contact_type"].fillna("person") == "person",
                         ["org_id", "person_id", "email", "phone", "mobile"]]
    merged = persons.merge(links, on="person_id", how="left", suffixes=("", "_contact"))
    return _person_keys_table(merged)


# persons with the organisations they are a contact of, as _person_match_table merges them
_PERSON_LINKS = """
    SELECT p.*, l.org_id, l.email AS email_contact, l.phone AS phone_contact,
           l.mobile AS mobile_contact
    FROM (SELECT rowid AS p_row, * FROM persons) p
    LEFT JOIN (SELECT rowid AS c_row, org_id, person_id, email, phone, mobile FROM contacts
               WHERE coalesce(contact_type, 'person') = 'person') l USING (person_id)
    ORDER BY p_row, c_row"""


def _person_keys_table(merged: pd.DataFrame) -> pd.DataFrame:
    """The person match keys of persons merged with their contact links."""
    from workbench.standardise import standardise_frame

    mapped = pd.DataFrame({"source_row": range(1, len(merged) + 1)})
    for col in ("initials", "first_name", "name_prefix", "last_name", "gender", "birth_date",
                "bsn"):
        mapped[f"person_{col}"] = merged[col].to_numpy()
    for col in ("email", "phone", "mobile"):
        mapped[f"contact_{col}"] = merged[f"{col}_contact"].fillna(merged[col]).to_numpy()
    # the person's own (private) address, standardised as an address without an organisation
    for col in ("street", "house_number", "house_number_addition", "postcode", "city", "country"):
        mapped[f"org_{col}"] = merged[col].to_numpy()
    std, _ = standardise_frame(mapped)
    keys = person_keys(std)
    keys.insert(0, "org_id", merged["org_id"].to_numpy())
    keys.insert(0, "person_id", merged["person_id"].to_numpy())
    return keys


def _in_parts(con: duckdb.DuckDBPyConnection, source: str, target: str,
              keys: Callable[[pd.DataFrame], pd.DataFrame]) -> None:
    """Create ``target`` from the records of table ``source`` in parts of PART_ROWS, so memory
    stays flat however large the export is; with several parts, standardised by one process per
    core (standardising is Python, one core each), written in order."""
    total = con.execute(f"SELECT count(*) FROM {source}").fetchall()[0][0]
    starts = range(0, max(total, 1), PART_ROWS)

    def part(start: int) -> pd.DataFrame:
        frame = con.execute(f"SELECT * FROM {source} WHERE rowid >= ? AND rowid < ? "
                            "ORDER BY rowid", [start, start + PART_ROWS]).df()
        frame = frame.drop(columns=["p_row", "c_row"], errors="ignore").astype(object)
        return frame.where(frame.notna(), None)

    def write(start: int, frame: pd.DataFrame) -> None:
        con.register("part_view", frame)
        con.execute(f"INSERT INTO {target} BY NAME SELECT * FROM part_view" if start else
                    f"CREATE TABLE {target} AS SELECT * FROM part_view")
        con.unregister("part_view")

    workers = min(len(starts), os.cpu_count() or 1, WORKERS)
    if workers < 2:
        for start in starts:
            write(start, keys(part(start)))
        return
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    # spawn: a forked child would inherit DuckDB's threads and locks mid-flight
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        pending: list = []
        for start in starts:
            pending.append((start, pool.submit(keys, part(start))))
            if len(pending) > workers:  # at most one part waiting per worker in memory
                first, future = pending.pop(0)
                write(first, future.result())
        for first, future in pending:
            write(first, future.result())


def _read_tables(con: duckdb.DuckDBPyConnection, export_dir: Path, layout: CrmLayout,
                 csv_bytes: int) -> tuple[dict[str, int], dict[str, tuple[str, ...]]]:
    """The export's tables in the snapshot under canonical names; records per table and the
    unknown columns per table."""
    counts, unknown = {}, {}
    create_extra(con)
    for table in CRM_TABLES:
        intake = layout.intake.get(table)
        path = find_export(export_dir, intake.files) if intake else None
        if path is None:
            if table == "organisations":
                names = ", ".join(f + e for f in intake.files for e in EXTENSIONS)
                raise SnapshotError(f"no {table} file ({names}) in the CRM export folder",
                                    file=str(export_dir))
            empty_table(con, table)
        else:
            with export_view(con, path, "export_file", csv_bytes):
                if columns := canonical_table(con, table, "export_file", path, layout):
                    unknown[table] = columns
        counts[table] = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    return counts, unknown


def _match_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The standardised match keys of organisations and persons, built in parts."""
    _in_parts(con, "organisations", "org_match", _org_match_table)
    con.execute(f"CREATE TEMP TABLE person_links AS {_PERSON_LINKS}")
    _in_parts(con, "person_links", "person_match", _person_keys_table)
    con.execute("DROP TABLE person_links")


def snapshot_export(export_dir: str | Path, db_path: str | Path,
                    crm: str | Path | CrmLayout | None = None, *,
                    csv_bytes: int = DUCKDB_CSV_BYTES) -> SnapshotSummary:
    """Build the DuckDB snapshot from a CRM export folder in a CRM system's layout (the
    workbench's own by default); replaces an earlier snapshot atomically. CSV files of
    ``csv_bytes`` and more are read by DuckDB's CSV reader."""
    export_dir = Path(export_dir)
    if not export_dir.is_dir():
        raise SnapshotError("the CRM export folder does not exist", file=str(export_dir))
    layout = crm if isinstance(crm, CrmLayout) else load_layout(crm)
    with atomic_path(db_path) as tmp:
        tmp.unlink()  # DuckDB wants to create the file itself
        with duckdb.connect(str(tmp)) as con:
            con.execute(f"SET memory_limit = '{SNAPSHOT_MEMORY}'")
            counts, unknown = _read_tables(con, export_dir, layout, csv_bytes)
            _match_tables(con)
            con.execute("CREATE TABLE snapshot_info AS SELECT ? AS export_dir, now() AS built_at, "
                        "? AS crm_layout", [str(export_dir.resolve()), layout.name])
            con.execute("CHECKPOINT")
        wal = Path(f"{tmp}.wal")
        if wal.exists():
            os.remove(wal)
    return SnapshotSummary(counts=counts, unknown_columns=unknown, layout=layout.name)


def build_snapshot(export_dir: str | Path, db_path: str | Path,
                   crm: str | Path | CrmLayout | None = None) -> dict[str, int]:
    """Build the DuckDB snapshot from a CRM export folder; the records per table."""
    return snapshot_export(export_dir, db_path, crm).counts


_TABLES = {"organisations", "persons", "contacts", "org_match", "person_match"}


def connect_snapshot(db_path: str | Path) -> duckdb.DuckDBPyConnection:
    """Open the snapshot read-only, so a run can never change it; the caller closes it."""
    db_path = Path(db_path)
    if not db_path.exists():
        raise SnapshotError("the CRM snapshot does not exist; build it with "
                            "'workbench snapshot EXPORT_DIR --db FILE'", file=str(db_path))
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as exc:
        raise SnapshotError(f"cannot open the CRM snapshot ({exc})", file=str(db_path)) from None
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables")
              .fetchall()}
    if missing := _TABLES - tables:
        con.close()
        raise SnapshotError(f"this is not a workbench CRM snapshot (missing tables: "
                            f"{', '.join(sorted(missing))})", file=str(db_path))
    return con


@contextlib.contextmanager
def open_snapshot(db_path: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The snapshot opened read-only for a ``with`` block."""
    con = connect_snapshot(db_path)
    try:
        yield con
    finally:
        con.close()


def file_sha256(path: str | Path) -> str:
    """The sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
