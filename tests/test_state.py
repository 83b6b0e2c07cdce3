"""The state file: runs recorded with their real start and their outcome, and the lock two
processes share (the second waits while the first writes, then both decisions are kept)."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from workbench.errors import WorkbenchError
from workbench.pipeline import RunSettings, run
from workbench.state import load_decisions, record_run, save_decision


def _runs(state: Path) -> list[dict]:
    with duckdb.connect(str(state), read_only=True) as con:
        rel = con.execute("SELECT * FROM runs ORDER BY started_at")
        names = [d[0] for d in rel.description]
        return [dict(zip(names, row, strict=True)) for row in rel.fetchall()]


def test_record_run_keeps_the_real_start(tmp_path):
    state = tmp_path / "state.duckdb"
    started = datetime.now(UTC) - timedelta(minutes=5)
    record_run(state, "r1", started_at=started, input_path="lijst.xlsx", status="finished",
               input_sha256="ab" * 32, rows=10, out_dir="out")
    (rec,) = _runs(state)
    assert rec["started_at"] == started.replace(tzinfo=None)
    assert rec["finished_at"] - rec["started_at"] >= timedelta(minutes=5)
    assert (rec["status"], rec["rows"], rec["error"]) == ("finished", 10, None)


def test_record_run_refuses_an_unknown_status(tmp_path):
    with pytest.raises(ValueError, match="run status"):
        record_run(tmp_path / "s.duckdb", "r1", started_at=datetime.now(UTC),
                   input_path="x.csv", status="done")


def test_a_state_file_from_before_the_error_column_takes_a_failed_run(tmp_path):
    state = tmp_path / "old.duckdb"
    with duckdb.connect(str(state)) as con:  # the runs table as earlier versions made it
        con.execute("CREATE TABLE runs (run_id VARCHAR PRIMARY KEY, started_at TIMESTAMP, "
                    "finished_at TIMESTAMP, input_path VARCHAR, input_sha256 VARCHAR, "
                    "rows INTEGER, out_dir VARCHAR, status VARCHAR)")
        con.execute("INSERT INTO runs VALUES ('old', now(), now(), 'a.csv', 'x', 1, 'o', "
                    "'finished')")
    record_run(state, "new", started_at=datetime.now(UTC), input_path="b.csv", status="failed",
               error="WorkbenchError: no rows")
    assert {r["run_id"]: r["error"] for r in _runs(state)} == {
        "old": None, "new": "WorkbenchError: no rows"}


def test_a_finished_run_is_recorded_with_its_start_and_end(demo_run):
    (rec,) = _runs(demo_run.out_dir.parent / "state.duckdb")
    assert rec["run_id"] == demo_run.run_id and rec["status"] == "finished"
    started = datetime.fromisoformat(demo_run.manifest["started_at"]).replace(tzinfo=None)
    assert rec["started_at"] == started and rec["finished_at"] > rec["started_at"]
    assert rec["rows"] == demo_run.manifest["input"]["rows"]


def test_a_failed_run_is_recorded_with_its_message_and_no_traceback(demo_dir, tmp_path):
    bad = tmp_path / "lijst.csv"
    bad.write_text("Bedrijfsnaam;Plaats;Plaats\nA;B;C\n", encoding="utf-8")
    state = tmp_path / "state.duckdb"
    with pytest.raises(WorkbenchError, match="Plaats"):
        run(RunSettings(bad, demo_dir / "crm.duckdb", tmp_path / "out", state_path=state))
    (rec,) = _runs(state)
    assert rec["status"] == "failed" and rec["input_path"] == str(bad)
    assert "Plaats" in rec["error"] and "\n" not in rec["error"]
    assert "Traceback" not in rec["error"]
    assert rec["finished_at"] >= rec["started_at"]


def _holder(state: Path) -> subprocess.Popen:
    """A process that writes a decision and keeps the state file open until told to let go."""
    code = textwrap.dedent(f"""
        import sys
        from workbench.state import open_state
        with open_state({str(state)!r}) as con:
            con.execute("INSERT INTO decisions (level, fingerprint, candidate, decision, "
                        "decided_at) VALUES ('organisation', 'aaaa', 'ORG-1', 'same', now())")
            print("locked", flush=True)
            sys.stdin.readline()
    """)
    return subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)


def test_a_second_process_waits_for_the_lock_and_both_decisions_are_kept(tmp_path):
    state = tmp_path / "state.duckdb"
    holder = _holder(state)
    assert holder.stdout.readline().strip() == "locked"
    waiter = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import logging
        from workbench.state import save_decision
        logging.basicConfig(level=logging.WARNING)
        save_decision({str(state)!r}, 'organisation', 'bbbb', 'ORG-2', 'different')
        print("saved", flush=True)
    """)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    said = []
    for line in waiter.stderr:  # ends early only if the waiter gives up or never waits
        said.append(line)
        if "in use by another run" in line:
            break
    assert said and "in use by another run" in said[-1], "".join(said)
    assert waiter.poll() is None, "the second process went on while the first held the lock"
    holder.communicate("release\n", timeout=60)
    out, err = waiter.communicate(timeout=120)
    assert waiter.returncode == 0 and out.strip() == "saved", err
    assert load_decisions(state) == {("organisation", "aaaa", "ORG-1"): "same",
                                     ("organisation", "bbbb", "ORG-2"): "different"}


def test_a_process_gives_up_after_its_wait_with_a_plain_message(tmp_path):
    state = tmp_path / "state.duckdb"
    save_decision(state, "organisation", "cccc", "ORG-3", "same")
    holder = _holder(state)
    assert holder.stdout.readline().strip() == "locked"
    try:
        r = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
            from workbench.errors import WorkbenchError
            from workbench.state import open_state
            try:
                with open_state({str(state)!r}, wait_seconds=1):
                    pass
            except WorkbenchError as exc:
                print(exc)
        """)], capture_output=True, text=True, timeout=120)
    finally:
        holder.communicate("release\n", timeout=60)
    assert "in use by another run" in r.stdout and "state.duckdb" in r.stdout, r.stderr
    assert load_decisions(state)[("organisation", "cccc", "ORG-3")] == "same"
