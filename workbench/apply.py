"""Test environment first: load a change set into a copy of the snapshot, and undo it again."""
from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import duckdb
import pandas as pd

from workbench.atomic import atomic_path
from workbench.errors import WorkbenchError
from workbench.fields import CRM_TABLES
from workbench.not_snapshot import refuse_snapshot

log = logging.getLogger("workbench")
_ORDER = (("organisations", "insert"), ("persons", "insert"), ("contacts", "insert"),
          ("organisations", "update"), ("persons", "update"), ("contacts", "update"))
_BOOK = """
CREATE TABLE IF NOT EXISTS workbench_applied (run_id VARCHAR PRIMARY KEY, applied_at TIMESTAMP,
    out_dir VARCHAR);
CREATE TABLE IF NOT EXISTS address_history (entity VARCHAR, record_id VARCHAR, street VARCHAR,
    house_number VARCHAR, house_number_addition VARCHAR, postcode VARCHAR, city VARCHAR,
    country VARCHAR, valid_from VARCHAR, valid_to VARCHAR, run_id VARCHAR, source_row VARCHAR);
CREATE TABLE IF NOT EXISTS workbench_undo (run_id VARCHAR, seq INTEGER, table_name VARCHAR,
    record_id VARCHAR, action VARCHAR, before_json VARCHAR);
"""


def _read(out_dir: Path, table: str, action: str) -> pd.DataFrame:
    path = out_dir / f"{table}_{action}.parquet"
    if not path.exists():
        return pd.DataFrame(columns=list(CRM_TABLES[table]))
    with duckdb.connect() as con:
        frame = con.execute("SELECT * FROM read_parquet(?)", [str(path)]).df()
    return frame.astype(object).where(frame.notna(), None)


def _refresh_match_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the standardised match tables so the test environment works as a snapshot."""
    from workbench.snapshot import _org_match_table, _person_match_table

    orgs = con.execute("SELECT * FROM organisations").df().astype(object)
    persons = con.execute("SELECT * FROM persons").df().astype(object)
    contacts = con.execute("SELECT * FROM contacts").df().astype(object)
    frames = {"org_match": _org_match_table(orgs.where(orgs.notna(), None)),
              "person_match": _person_match_table(persons.where(persons.notna(), None),
                                                  contacts.where(contacts.notna(), None))}
    for name, frame in frames.items():
        con.register("frame_view", frame)
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM frame_view")
        con.unregister("frame_view")


def _test_environment(out_dir: Path, crm_path: Path, into: Path) -> str:
    """Check the run folder and the target; copy the snapshot when the target is new. The run id."""
    refuse_snapshot(into, crm_path, "--into",
                    "; give a new file name and apply makes the copy itself")
    manifest_path = out_dir / "manifest.json"
    if not manifest_path.exists():
        raise WorkbenchError("no manifest.json: this is not the output folder of a run",
                             file=str(out_dir))
    run_id = json.loads(manifest_path.read_text(encoding="utf-8"))["run_id"]
    if not into.exists():
        if not crm_path.exists():
            raise WorkbenchError("the CRM snapshot does not exist", file=str(crm_path))
        with atomic_path(into) as tmp:
            shutil.copyfile(crm_path, tmp)
    return run_id


def _apply_record(con: duckdb.DuckDBPyConnection, table: str, action: str, rec: dict,
                  into: Path) -> str | None:
    """Insert or update one record; the "before" values of an update, as JSON."""
    key, columns = CRM_TABLES[table][0], list(CRM_TABLES[table])
    if action == "insert":
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                    f"({', '.join('?' * len(columns))})", [rec.get(c) for c in columns])
        return None
    old = con.execute(f"SELECT * FROM {table} WHERE {key} = ?", [rec[key]]).df()
    if old.empty:
        raise WorkbenchError(f"{table} record {rec[key]} to update is not in the test "
                             "environment", file=str(into))
    changed = [c for c in str(rec.get("changed_fields") or "").split(",") if c]
    for col in changed:
        con.execute(f"UPDATE {table} SET {col} = ? WHERE {key} = ?", [rec.get(col), rec[key]])
    return json.dumps({c: _plain(old.iloc[0][c]) for c in changed})


def _apply_history(con: duckdb.DuckDBPyConnection, out_dir: Path) -> int | None:
    """Add the address history of moved organisations, kept by run id; how many rows."""
    history = out_dir / "address_history.parquet"
    if not history.exists():
        return None
    con.execute("INSERT INTO address_history SELECT entity, record_id, street, house_number, "
                "house_number_addition, postcode, city, country, valid_from, valid_to, run_id, "
                "source_row FROM read_parquet(?)", [str(history)])
    return con.execute("SELECT count(*) FROM read_parquet(?)", [str(history)]).fetchone()[0]


def apply_changeset(out_dir: str | Path, crm_path: str | Path, into: str | Path) -> dict[str, int]:
    """Load the change set of ``out_dir`` into ``into`` (a copy of the snapshot made when missing)."""
    out_dir, crm_path, into = Path(out_dir), Path(crm_path), Path(into)
    run_id = _test_environment(out_dir, crm_path, into)

    # NEW-… ids are numbered per run: the test environment gives them ids of its own, as the
    # CRM would on load (NEW-ORG-000001 -> TEST-<run id>-ORG-000001)
    def new_id(value: object) -> object:
        if isinstance(value, str) and value.startswith("NEW-"):
            return f"TEST-{run_id}-{value[4:]}"
        return value

    counts: dict[str, int] = {}
    with duckdb.connect(str(into)) as con:
        con.execute(_BOOK)
        # a test copy of a snapshot built before persons had a BSN column gets it (empty)
        con.execute("ALTER TABLE persons ADD COLUMN IF NOT EXISTS bsn VARCHAR")
        if con.execute("SELECT 1 FROM workbench_applied WHERE run_id = ?", [run_id]).fetchone():
            raise WorkbenchError(f"run {run_id} is already applied here", file=str(into))
        con.execute("BEGIN TRANSACTION")
        seq = 0
        for table, action in _ORDER:
            frame = _read(out_dir, table, action)
            for col in (CRM_TABLES[table][0], "org_id", "person_id"):
                if col in frame:
                    frame[col] = frame[col].map(new_id)
            counts[f"{table}_{action}"] = len(frame)
            for rec in frame.to_dict("records"):
                seq += 1
                before = _apply_record(con, table, action, rec, into)
                con.execute("INSERT INTO workbench_undo VALUES (?, ?, ?, ?, ?, ?)",
                            [run_id, seq, table, rec[CRM_TABLES[table][0]], action, before])
        history = _apply_history(con, out_dir)
        if history is not None:
            counts["address_history"] = history
        con.execute("INSERT INTO workbench_applied VALUES (?, now(), ?)",
                    [run_id, str(out_dir.resolve())])  # undo finds its manifest from anywhere
        _refresh_match_tables(con)
        con.execute("COMMIT")
    _note_in_state(out_dir, "applied", run_id, into)
    return counts


def _note_in_state(out_dir: Path, what: str, run_id: str, test_copy: Path) -> None:
    """Note the apply or undo in the run's state file (its import history, `workbench runs`);
    the test copy is the truth, so a state file that cannot take it only costs a warning."""
    from workbench.state import record_applied, record_undone

    try:
        state = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))["state"]
        (record_applied if what == "applied" else record_undone)(state, run_id, test_copy)
    except (WorkbenchError, duckdb.Error, OSError, KeyError, ValueError) as exc:
        log.warning("run %s %s in %s, but its state file could not note it: %s", run_id, what,
                    test_copy, exc)


def _plain(value: object) -> object:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) or \
        value is pd.NA else value


def undo_run(run_id: str, db_path: str | Path) -> dict[str, int]:
    """Remove what run ``run_id`` inserted into a test environment and restore what it updated."""
    db_path = Path(db_path)
    if not db_path.exists():
        raise WorkbenchError("the test environment does not exist", file=str(db_path))
    with duckdb.connect(str(db_path)) as con:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
        if "workbench_applied" not in tables:
            raise WorkbenchError("this is not a test environment made by 'workbench apply' "
                                 "(the snapshot itself is never changed)", file=str(db_path))
        if not con.execute("SELECT 1 FROM workbench_applied WHERE run_id = ?",
                           [run_id]).fetchone():
            known = [r[0] for r in con.execute("SELECT run_id FROM workbench_applied").fetchall()]
            raise WorkbenchError(f"run {run_id} was not applied here (applied: "
                                 f"{', '.join(known) or 'none'})", file=str(db_path))
        later = _later_runs_on_same_records(con, run_id)
        if later:
            raise WorkbenchError(f"run {later[0]}, applied later, changed records of run {run_id}: "
                                 f"undo {' then '.join(later)} first", file=str(db_path))
        out_dir = con.execute("SELECT out_dir FROM workbench_applied WHERE run_id = ?",
                              [run_id]).fetchone()[0]
        steps = con.execute("SELECT table_name, record_id, action, before_json FROM workbench_undo "
                            "WHERE run_id = ? ORDER BY seq DESC", [run_id]).fetchall()
        counts: dict[str, int] = {}
        con.execute("BEGIN TRANSACTION")
        for table, record_id, action, before in steps:
            key = CRM_TABLES[table][0]
            if action == "insert":
                con.execute(f"DELETE FROM {table} WHERE {key} = ?", [record_id])
            else:
                for col, value in json.loads(before).items():
                    con.execute(f"UPDATE {table} SET {col} = ? WHERE {key} = ?",
                                [value, record_id])
            counts[f"{table}_{action}"] = counts.get(f"{table}_{action}", 0) + 1
        con.execute("DELETE FROM workbench_undo WHERE run_id = ?", [run_id])
        con.execute("DELETE FROM address_history WHERE run_id = ?", [run_id])
        con.execute("DELETE FROM workbench_applied WHERE run_id = ?", [run_id])
        _refresh_match_tables(con)
        con.execute("COMMIT")
    _note_in_state(Path(out_dir), "undone", run_id, db_path)
    return counts


_LATER = """
WITH mine AS (SELECT table_name, record_id, action FROM workbench_undo WHERE run_id = $run),
later AS (SELECT run_id, applied_at FROM workbench_applied WHERE applied_at >
          (SELECT applied_at FROM workbench_applied WHERE run_id = $run)),
touched AS (
    SELECT u.run_id FROM workbench_undo u JOIN mine USING (table_name, record_id)
    UNION  -- a later contact of an organisation or person this run inserted
    SELECT u.run_id FROM workbench_undo u JOIN contacts c ON u.table_name = 'contacts'
        AND c.contact_id = u.record_id
    JOIN mine ON mine.action = 'insert' AND mine.table_name IN ('organisations', 'persons')
        AND mine.record_id IN (c.org_id, c.person_id))
SELECT later.run_id FROM later JOIN touched USING (run_id) ORDER BY later.applied_at DESC
"""


def _later_runs_on_same_records(con: duckdb.DuckDBPyConnection, run_id: str) -> list[str]:
    """Runs applied after ``run_id`` that changed its records, the last applied first."""
    return [r[0] for r in con.execute(_LATER, {"run": run_id}).fetchall()]
