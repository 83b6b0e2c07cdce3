"""The CRM snapshot: a DuckDB file built from a CRM export, opened read-only by every run."""
from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from workbench.atomic import atomic_path
from workbench.crm import CrmLayout, load_layout
from workbench.errors import SnapshotError
from workbench.fields import CRM_TABLES
from workbench.keys import org_keys, person_keys

_EXTENSIONS = (".csv", ".txt", ".parquet", ".xlsx")
EXTRA_COLUMNS = ("table_name", "record_id", "column_name", "value")


@dataclass(frozen=True)
class SnapshotSummary:
    """What a snapshot holds: records per table, and the export's columns the layout did not know
    (kept in the ``extra`` table, never dropped)."""

    counts: dict[str, int]
    unknown_columns: dict[str, tuple[str, ...]]
    layout: str


def _find_export(export_dir: Path, files: tuple[str, ...]) -> Path | None:
    """The first export file whose name (without extension, any case) the layout gives."""
    present = {p.stem.casefold(): p for p in sorted(export_dir.iterdir())
               if p.suffix.lower() in _EXTENSIONS}
    for stem in files:
        if stem.casefold() in present:
            return present[stem.casefold()]
    return None


def _read_export(con: duckdb.DuckDBPyConnection, path: Path) -> pd.DataFrame:
    """Read one export file as text columns, with the reader of incoming lists (encodings,
    delimiters, XLSX), so a Dutch Excel CSV (Windows-1252, semicolons) loads as well."""
    if path.suffix.lower() == ".parquet":
        frame = con.execute("SELECT * FROM read_parquet(?)", [str(path)]).df()
        frame = frame.astype("string").astype(object).where(frame.notna(), None)
        frame.insert(0, "source_row", range(2, len(frame) + 2))
        return frame
    from workbench.read import read_table

    return read_table(path, empty_ok=True)  # a CRM may hold no records of a kind yet


def _to_canonical(table: str, frame: pd.DataFrame, path: Path, layout: CrmLayout
                  ) -> tuple[pd.DataFrame, pd.DataFrame, tuple[str, ...]]:
    """The export's columns under canonical names with canonical codes; the columns the layout
    does not know as (table, record id, column, value) lines."""
    intake = layout.intake[table]
    found = [c for c in frame.columns if c != "source_row"]
    by_folded = {str(c).strip().casefold(): c for c in found}
    source = {canonical: by_folded.get(column.strip().casefold())
              for canonical, column in intake.columns.items()}
    for canonical in intake.required:
        if source.get(canonical) is None:
            raise SnapshotError(
                f"the {table} export has no '{intake.columns[canonical]}' column ({canonical}); "
                f"its columns are: {', '.join(map(str, found))}", file=str(path),
                column=intake.columns[canonical])
    out = pd.DataFrame(index=frame.index)
    for canonical in CRM_TABLES[table]:
        column = source.get(canonical)
        values = frame[column] if column is not None else pd.Series(None, index=frame.index)
        out[canonical] = values.astype(object).where(values.notna(), None)
        if canonical in layout.codes and column is not None:
            back = layout.to_canonical(canonical)
            out[canonical] = out[canonical].map(
                lambda v, back=back: back.get(str(v).strip().casefold(), v) if v else v)
    _check_ids(table, out, frame["source_row"], path)
    known = {c for c in source.values() if c is not None}
    unknown = tuple(str(c) for c in found if c not in known)
    extra = frame[list(unknown)].assign(record_id=out[CRM_TABLES[table][0]]).melt(
        id_vars="record_id", var_name="column_name", value_name="value")
    extra = extra[extra["value"].notna() & (extra["value"].astype(str) != "")]
    extra.insert(0, "table_name", table)
    return out.reset_index(drop=True), extra[list(EXTRA_COLUMNS)], unknown


def _check_ids(table: str, frame: pd.DataFrame, source_row: pd.Series, path: Path) -> None:
    key = CRM_TABLES[table][0]
    ids = frame[key].where(frame[key].astype(str).str.strip() != "", None)
    if ids.isna().any():
        row = int(source_row[ids.isna()].iloc[0])
        raise SnapshotError(f"{key} is empty", file=str(path), row=row, column=key)
    dup = ids.duplicated()
    if dup.any():
        row = int(source_row[dup].iloc[0])
        raise SnapshotError(f"{key} '{ids[dup].iloc[0]}' appears twice", file=str(path),
                            row=row, column=key)


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


def _read_tables(export_dir: Path, layout: CrmLayout
                 ) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, dict[str, tuple[str, ...]]]:
    """The canonical tables of an export folder, the unknown columns' values and their names."""
    frames: dict[str, pd.DataFrame] = {}
    extras, unknown = [], {}
    with duckdb.connect() as scratch:
        for table in CRM_TABLES:
            intake = layout.intake.get(table)
            path = _find_export(export_dir, intake.files) if intake else None
            if path is None:
                if table == "organisations":
                    names = ", ".join(f + e for f in intake.files for e in _EXTENSIONS)
                    raise SnapshotError(f"no {table} file ({names}) in the CRM export folder",
                                        file=str(export_dir))
                frames[table] = _empty(table)
                continue
            frames[table], extra, unknown[table] = _to_canonical(
                table, _read_export(scratch, path), path, layout)
            extras.append(extra)
    extra = pd.concat(extras, ignore_index=True) if extras else pd.DataFrame(
        columns=list(EXTRA_COLUMNS))
    return frames, extra.astype(object), {t: c for t, c in unknown.items() if c}


def snapshot_export(export_dir: str | Path, db_path: str | Path,
                    crm: str | Path | CrmLayout | None = None) -> SnapshotSummary:
    """Build the DuckDB snapshot from a CRM export folder in a CRM system's layout (the
    workbench's own by default); replaces an earlier snapshot atomically."""
    export_dir = Path(export_dir)
    if not export_dir.is_dir():
        raise SnapshotError("the CRM export folder does not exist", file=str(export_dir))
    layout = crm if isinstance(crm, CrmLayout) else load_layout(crm)
    frames, extra, unknown = _read_tables(export_dir, layout)
    org_match = _org_match_table(frames["organisations"])
    person_match = _person_match_table(frames["persons"], frames["contacts"])
    counts = {name: len(frame) for name, frame in frames.items()}
    with atomic_path(db_path) as tmp:
        tmp.unlink()  # DuckDB wants to create the file itself
        with duckdb.connect(str(tmp)) as con:
            for name, frame in {**frames, "org_match": org_match, "person_match": person_match,
                                "extra": extra}.items():
                con.register("frame_view", frame)
                # the export's tables are text, also a column no file filled (else type NULL)
                cols = ", ".join(f'CAST("{c}" AS VARCHAR) AS "{c}"' for c in frame.columns) \
                    if name in CRM_TABLES or name == "extra" else "*"
                con.execute(f"CREATE TABLE {name} AS SELECT {cols} FROM frame_view")
                con.unregister("frame_view")
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
