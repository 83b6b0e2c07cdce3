"""The CRM snapshot: a DuckDB file built from a CRM export, opened read-only by every run."""
from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd

from workbench.atomic import atomic_path
from workbench.errors import SnapshotError
from workbench.fields import CRM_TABLES
from workbench.keys import org_keys, person_keys

_EXTENSIONS = (".csv", ".txt", ".parquet", ".xlsx")
_REQUIRED = {"organisations": True, "persons": False, "contacts": False}


def _find_export(export_dir: Path, table: str) -> Path | None:
    for ext in _EXTENSIONS:
        path = export_dir / f"{table}{ext}"
        if path.exists():
            return path
    return None


def _read_export(con: duckdb.DuckDBPyConnection, path: Path) -> pd.DataFrame:
    """Read one export file as text columns."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        frame = con.execute("SELECT * FROM read_parquet(?)", [str(path)]).df()
        return frame.astype("string").astype(object).where(frame.notna(), None)
    if suffix == ".xlsx":
        from workbench.read import read_table

        return read_table(path).drop(columns=["source_row"])
    try:
        rel = con.read_csv(str(path), header=True, all_varchar=True)
        return rel.df()
    except duckdb.Error as exc:
        raise SnapshotError(f"cannot read this CRM export as CSV ({exc})", file=str(path)) from None


def _check_table(table: str, frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    columns = CRM_TABLES[table]
    key = columns[0]
    if key not in frame.columns:
        raise SnapshotError(f"the export of {table} has no '{key}' column "
                            f"(its columns are: {', '.join(map(str, frame.columns))})",
                            file=str(path), column=key)
    ids = frame[key]
    if ids.isna().any():
        row = int(ids.isna().to_numpy().argmax()) + 1
        raise SnapshotError(f"{key} is empty", file=str(path), row=row, column=key)
    dup = ids.duplicated()
    if dup.any():
        row = int(dup.to_numpy().argmax()) + 1
        raise SnapshotError(f"{key} '{ids.iloc[row - 1]}' appears twice", file=str(path),
                            row=row, column=key)
    for column in columns:
        if column not in frame.columns:
            frame[column] = None
    return frame[list(columns)]


def _empty(table: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in CRM_TABLES[table]})


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
    from workbench.standardise import standardise_frame

    links = contacts.loc[contacts["contact_type"].fillna("person") == "person",
                         ["org_id", "person_id", "email", "phone", "mobile"]]
    merged = persons.merge(links, on="person_id", how="left", suffixes=("", "_contact"))
    mapped = pd.DataFrame({"source_row": range(1, len(merged) + 1)})
    for col in ("initials", "first_name", "name_prefix", "last_name", "gender", "birth_date"):
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


def build_snapshot(export_dir: str | Path, db_path: str | Path) -> dict[str, int]:
    """Build the DuckDB snapshot from a CRM export folder; replaces an earlier one atomically."""
    export_dir = Path(export_dir)
    if not export_dir.is_dir():
        raise SnapshotError("the CRM export folder does not exist", file=str(export_dir))
    frames: dict[str, pd.DataFrame] = {}
    with duckdb.connect() as scratch:
        for table, required in _REQUIRED.items():
            path = _find_export(export_dir, table)
            if path is None:
                if required:
                    raise SnapshotError(f"no {table} file ({', '.join(table + e for e in _EXTENSIONS)})"
                                        " in the CRM export folder", file=str(export_dir))
                frames[table] = _empty(table)
                continue
            frames[table] = _check_table(table, _read_export(scratch, path), path)
    org_match = _org_match_table(frames["organisations"])
    person_match = _person_match_table(frames["persons"], frames["contacts"])
    counts = {name: len(frame) for name, frame in frames.items()}
    with atomic_path(db_path) as tmp:
        tmp.unlink()  # DuckDB wants to create the file itself
        with duckdb.connect(str(tmp)) as con:
            for name, frame in {**frames, "org_match": org_match,
                                "person_match": person_match}.items():
                # CRM fields are text: an all-empty column would otherwise get DuckDB's type NULL,
                # into which `workbench apply` cannot insert a value
                con.register("frame_view", frame.astype("string") if name in frames else frame)
                con.execute(f"CREATE TABLE {name} AS SELECT * FROM frame_view")
                con.unregister("frame_view")
            con.execute("CREATE TABLE snapshot_info AS SELECT ? AS export_dir, now() AS built_at",
                        [str(export_dir.resolve())])
            con.execute("CHECKPOINT")
        wal = Path(f"{tmp}.wal")
        if wal.exists():
            os.remove(wal)
    return counts


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
