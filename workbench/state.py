"""The workbench's own state (runs and review decisions) in a DuckDB file separate from the CRM."""
from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from workbench.errors import WorkbenchError
from workbench.not_snapshot import refuse_snapshot

log = logging.getLogger("workbench")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY, started_at TIMESTAMP, finished_at TIMESTAMP,
    input_path VARCHAR, input_sha256 VARCHAR, rows INTEGER, out_dir VARCHAR, status VARCHAR);
-- state files written before runs recorded their failures
ALTER TABLE runs ADD COLUMN IF NOT EXISTS error VARCHAR;
-- the run's counts per status and action (manifest "counts"), as JSON; empty before they were kept
ALTER TABLE runs ADD COLUMN IF NOT EXISTS counts_json VARCHAR;
-- where a run's change set was tried (`workbench apply`) and when it was undone again
CREATE TABLE IF NOT EXISTS applied (
    run_id VARCHAR, test_copy VARCHAR, applied_at TIMESTAMP, undone_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS decisions (
    level VARCHAR, fingerprint VARCHAR, candidate VARCHAR, decision VARCHAR,
    decided_at TIMESTAMP, run_id VARCHAR, source_row INTEGER, score DOUBLE,
    PRIMARY KEY (level, fingerprint, candidate));
-- the pair's names as the analyst saw them, so the decisions view can show decisions of other lists
ALTER TABLE decisions ADD COLUMN IF NOT EXISTS names VARCHAR;
"""
DECISIONS = ("same", "different")
RUN_STATUSES = ("finished", "failed")


def default_state_path(crm_path: str | Path) -> Path:
    """The state file beside the snapshot: ``crm.duckdb`` -> ``crm.workbench-state.duckdb``."""
    crm_path = Path(crm_path)
    return crm_path.with_name(f"{crm_path.stem}.workbench-state.duckdb")


def _unusable(path: Path) -> str | None:
    """What makes ``path`` unusable as a state file, found before DuckDB is asked."""
    if path.is_dir():
        return "the state file is a folder, not a file"
    if not path.exists():
        return None
    mode = path.stat().st_mode
    # the permission bits too: root may write anything, but a file made read-only is meant so
    if not os.access(path, os.R_OK) or not mode & 0o444:
        return "the state file cannot be read (no read permission)"
    if not os.access(path, os.W_OK) or not mode & 0o222:
        return "the state file is read-only; the workbench writes runs and decisions to it"
    return None


def _connect(path: Path) -> duckdb.DuckDBPyConnection | None:
    """A connection, or None while another process holds DuckDB's lock on the file."""
    try:
        return duckdb.connect(str(path))
    except duckdb.Error as exc:
        text = str(exc)
        if "Could not set lock" in text or "Conflicting lock" in text:
            return None
        reason = text.split("Error: ", 1)[-1].split("\n")[0]
        raise WorkbenchError(f"the state file cannot be opened ({reason})",
                             file=str(path)) from None


def _check_tables(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a CRM snapshot or test environment given as the state file."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables")
              .fetchall()}
    if {"organisations", "org_match"} <= tables:
        raise WorkbenchError("this is a CRM snapshot or test environment, not a state file",
                             file=str(path))


@contextlib.contextmanager
def open_state(path: str | Path, wait_seconds: float = 30.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open (and create) the state file; waits a bounded time only while another run holds it."""
    path = Path(path)
    problem = _unusable(path)
    if problem:
        raise WorkbenchError(problem, file=str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbenchError(f"cannot make the state file's folder ({exc.strerror})",
                             file=str(path)) from None
    deadline = time.monotonic() + wait_seconds
    told = False
    while (con := _connect(path)) is None:
        if not told:
            log.warning("the state file %s is in use by another run; waiting up to %.0f s",
                        path, wait_seconds)
            told = True
        if time.monotonic() > deadline:
            raise WorkbenchError("the state file is in use by another run (still locked after "
                                 f"{wait_seconds:.0f} s)", file=str(path))
        time.sleep(0.2)
    try:
        _check_tables(con, path)
        con.execute(_SCHEMA)
        yield con
    finally:
        con.close()


def check_state(path: str | Path, crm_path: str | Path) -> None:
    """Before a run does any work: the state file is not the snapshot and can be used."""
    refuse_snapshot(path, crm_path, "--state")
    if Path(path).exists():
        with open_state(path):  # corrupt, read-only or a folder: said now, not after the work
            pass


def load_decisions(path: str | Path) -> dict[tuple[str, str, str], str]:
    """Every stored review decision, keyed by (level, record fingerprint, candidate)."""
    if not Path(path).exists():
        return {}
    with open_state(path) as con:
        rows = con.execute("SELECT level, fingerprint, candidate, decision FROM decisions").fetchall()
    return {(lvl, fp, cand): dec for lvl, fp, cand, dec in rows}


def save_decision(path: str | Path, level: str, fingerprint: str, candidate: str, decision: str,
                  *, run_id: str | None = None, source_row: int | None = None,
                  score: float | None = None, names: str | None = None) -> None:
    """Store (or replace) one review decision."""
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {DECISIONS}, not {decision!r}")
    with open_state(path) as con:
        con.execute("INSERT OR REPLACE INTO decisions (level, fingerprint, candidate, decision, "
                    "decided_at, run_id, source_row, score, names) "
                    "VALUES (?, ?, ?, ?, now(), ?, ?, ?, ?)",
                    [level, fingerprint, str(candidate), decision, run_id, source_row, score, names])


def record_run(path: str | Path, run_id: str, *, started_at: datetime, input_path: str,
               status: str, input_sha256: str | None = None, rows: int | None = None,
               out_dir: str | None = None, error: str | None = None,
               counts: dict | None = None) -> None:
    """Record a run that ended: its start, its end (now), its input and status (finished, failed)."""
    if status not in RUN_STATUSES:
        raise ValueError(f"run status must be one of {RUN_STATUSES}, not {status!r}")
    with open_state(path) as con:
        con.execute("DELETE FROM runs WHERE run_id = ?", [run_id])
        con.execute("INSERT INTO runs (run_id, started_at, finished_at, input_path, input_sha256, "
                    "rows, out_dir, status, error, counts_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [run_id, _utc(started_at), _utc(datetime.now(UTC)), input_path, input_sha256,
                     rows, out_dir, status, error,
                     json.dumps(counts) if counts is not None else None])


def record_failed_run(path: str | Path, run_id: str, *, started_at: datetime, input_path: str,
                      error: BaseException) -> None:
    """Record a failed run with the first line of its error; a state file that cannot take it
    is logged, so the run's own error is the one the analyst sees."""
    message = f"{type(error).__name__}: {error}".splitlines()[0]
    try:
        record_run(path, run_id, started_at=started_at, input_path=input_path, status="failed",
                   error=message)
    except (WorkbenchError, duckdb.Error, OSError) as exc:
        log.warning("run %s could not be recorded as failed in %s: %s", run_id, path, exc)


def record_applied(path: str | Path, run_id: str, test_copy: str | Path) -> None:
    """Note that run ``run_id`` was applied to the test copy ``test_copy`` (now)."""
    with open_state(path) as con:
        con.execute("INSERT INTO applied VALUES (?, ?, ?, NULL)",
                    [run_id, str(Path(test_copy).resolve()), _utc(datetime.now(UTC))])


def record_undone(path: str | Path, run_id: str, test_copy: str | Path) -> None:
    """Note that run ``run_id`` was undone in the test copy ``test_copy`` (now)."""
    with open_state(path) as con:
        con.execute("UPDATE applied SET undone_at = ? WHERE run_id = ? AND test_copy = ? "
                    "AND undone_at IS NULL",
                    [_utc(datetime.now(UTC)), run_id, str(Path(test_copy).resolve())])


def _utc(moment: datetime) -> datetime:
    """A moment as a naive UTC time, as the state file's TIMESTAMP columns hold it."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
