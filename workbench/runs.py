"""The import history (`workbench runs`): the runs a state file holds, their counts, the test
copies they were applied to, and undoing one from there."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from workbench.errors import WorkbenchError

RUN_COLUMNS = ["run_id", "started_at", "finished_at", "input_path", "input_sha256", "rows",
               "out_dir", "status", "error", "counts_json"]
APPLIED_COLUMNS = ["run_id", "test_copy", "applied_at", "undone_at"]
# the history's count columns: (header, section of the run's counts, key in it)
COUNTS = (("accepted", "status", "accepted"), ("rejected", "status", "rejected"),
          ("skipped", "status", "skipped"), ("merged", "status", "in_file_duplicate"),
          ("org new", "org_action", "insert"), ("org upd", "org_action", "update"),
          ("person new", "person_action", "insert"), ("person upd", "person_action", "update"))


@dataclass(frozen=True)
class History:
    """What a state file holds about runs: one row per run, one per apply to a test copy."""

    runs: pd.DataFrame
    applied: pd.DataFrame

    @property
    def empty(self) -> bool:
        """No run recorded."""
        return self.runs.empty


def _table(con: duckdb.DuckDBPyConnection, name: str, columns: list[str]) -> pd.DataFrame:
    """A table of the state file with the columns asked for (empty ones where an older state
    file lacks them, None where it lacks the table)."""
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables").fetchall()}
    if name not in tables:
        return pd.DataFrame(columns=columns)
    return con.execute(f"SELECT * FROM {name}").df().reindex(columns=columns)


def read_history(state_path: str | Path) -> History:
    """The runs and applies of a state file, read without changing it (none yet: empty)."""
    path = Path(state_path)
    if not path.is_file() or path.stat().st_size == 0:
        return History(pd.DataFrame(columns=RUN_COLUMNS), pd.DataFrame(columns=APPLIED_COLUMNS))
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        text = str(exc)
        reason = "it is in use by another run; try again when it has finished" \
            if "lock" in text.lower() else text.split("Error: ", 1)[-1].split("\n")[0]
        raise WorkbenchError(f"the state file cannot be read ({reason})", file=str(path)) from None
    with con:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
        if {"organisations", "org_match"} <= tables:
            raise WorkbenchError("this is a CRM snapshot or test environment, not a state file",
                                 file=str(path))
        runs = _table(con, "runs", RUN_COLUMNS).sort_values("started_at", ascending=False)
        applied = _table(con, "applied", APPLIED_COLUMNS).sort_values("applied_at")
    return History(runs.reset_index(drop=True), applied.reset_index(drop=True))


def _counts(counts_json: object) -> dict:
    """A run's counts per status and action ({} for runs recorded before they were kept)."""
    return json.loads(counts_json) if isinstance(counts_json, str) and counts_json else {}


def _where_applied(applied: pd.DataFrame, run_id: str) -> list[tuple[str, bool]]:
    """(test copy, still applied) per test copy the run was applied to, its latest apply."""
    mine = applied[applied["run_id"] == run_id]
    latest = mine.groupby("test_copy", sort=False).tail(1)
    return [(str(r.test_copy), pd.isna(r.undone_at)) for r in latest.itertuples()]


def history_table(history: History, days: int | None = None) -> pd.DataFrame:
    """One line per run, newest first: id, when, list, status, counts and where applied."""
    runs = history.runs
    if days is not None:
        since = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=days)
        runs = runs[pd.to_datetime(runs["started_at"]) >= since]
    lines = []
    for rec in runs.to_dict("records"):
        counts = _counts(rec["counts_json"])
        places = _where_applied(history.applied, rec["run_id"])
        lines.append({
            "run_id": rec["run_id"],
            "when": _moment(rec["started_at"]),
            "list": Path(str(rec["input_path"])).name,
            "status": rec["status"],
            "rows": _number(rec["rows"]),
            **{head: _number(counts.get(section, {}).get(key)) for head, section, key in COUNTS},
            "applied to": "; ".join(f"{Path(copy).name} ({'applied' if on else 'undone'})"
                                    for copy, on in places) or "-",
        })
    columns = ["run_id", "when", "list", "status", "rows", *(c[0] for c in COUNTS), "applied to"]
    return pd.DataFrame(lines, columns=columns)


def table_text(table: pd.DataFrame) -> str:
    """The history as aligned text columns, each as wide as its widest value."""
    cells = [list(table.columns), *table.astype(str).to_numpy().tolist()]
    widths = [max(len(str(row[i])) for row in cells) for i in range(len(table.columns))]
    return "\n".join("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
                     for row in cells)


def run_detail(history: History, run_id: str) -> str:
    """One run in full: its times, input, output folder, counts and test copies, as text."""
    found = history.runs[history.runs["run_id"] == run_id]
    if found.empty:
        known = ", ".join(history.runs["run_id"].head(5)) or "none"
        raise WorkbenchError(f"no run {run_id} in the state file (latest: {known})")
    rec = found.iloc[0].to_dict()
    lines = [f"Run {run_id}: {rec['status']}",
             f"  started:   {_moment(rec['started_at'])}",
             f"  finished:  {_moment(rec['finished_at'])}",
             f"  list:      {rec['input_path']} ({_number(rec['rows'])} rows, "
             f"sha256 {str(rec['input_sha256'] or '-')[:12]})",
             f"  outputs:   {rec['out_dir'] or '-'}"]
    if isinstance(rec["error"], str) and rec["error"]:
        lines.append(f"  error:     {rec['error']}")
    for section, values in _counts(rec["counts_json"]).items():
        lines.append(f"  {section + ':':<16}" + ", ".join(f"{k} {v}" for k, v in values.items()))
    applied = history.applied[history.applied["run_id"] == run_id]
    for app in applied.itertuples():
        undone = "" if pd.isna(app.undone_at) else f", undone {_moment(app.undone_at)}"
        lines.append(f"  applied to {app.test_copy} at {_moment(app.applied_at)}{undone}")
    if applied.empty:
        lines.append("  not applied to a test copy")
    return "\n".join(lines)


def undo_from_history(state_path: str | Path, run_id: str,
                      test_copy: str | Path | None = None) -> tuple[Path, dict[str, int]]:
    """Undo a run in the test copy the history says it is applied to (``test_copy`` when it is
    applied to several); ``workbench undo`` does the work and notes it in the history."""
    from workbench.apply import undo_run

    history = read_history(state_path)
    if history.runs[history.runs["run_id"] == run_id].empty:
        raise WorkbenchError(f"no run {run_id} in the state file", file=str(state_path))
    live = [Path(c) for c, on in _where_applied(history.applied, run_id) if on]
    if test_copy is not None:
        wanted = Path(test_copy).resolve()
        if wanted not in live:
            raise WorkbenchError(f"run {run_id} is not applied to {test_copy} (applied to: "
                                 f"{', '.join(map(str, live)) or 'none'})", file=str(state_path))
        live = [wanted]
    if not live:
        raise WorkbenchError(f"run {run_id} is not applied to any test copy; nothing to undo",
                             file=str(state_path))
    if len(live) > 1:
        raise WorkbenchError(f"run {run_id} is applied to {len(live)} test copies ("
                             f"{', '.join(map(str, live))}); name one with --into",
                             file=str(state_path))
    return live[0], undo_run(run_id, live[0])


def _moment(value: object) -> str:
    """A stored UTC time as the analyst reads it."""
    return "-" if value is None or pd.isna(value) else \
        pd.Timestamp(value).strftime("%Y-%m-%d %H:%M UTC")


def _number(value: object) -> str:
    return "-" if value is None or pd.isna(value) else str(int(value))
