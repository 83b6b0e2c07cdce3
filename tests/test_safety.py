"""The snapshot is never written (by path, hard link or same bytes), undo goes in order, and a
state file that cannot be used says what is wrong with it at once."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from small_crm import (
    HEADER,
    INCOMING,
    TABLES,
    make_small_with_definition,
    snapshot_tables,
)

from workbench.apply import apply_changeset, undo_run
from workbench.errors import WorkbenchError
from workbench.pipeline import RunSettings, run
from workbench.snapshot import file_sha256
from workbench.state import load_decisions, open_state, save_decision

BIN = Path(sys.executable).parent / "workbench"


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> dict[str, Path]:
    """The small CRM snapshot, its incoming CSV, a definition, and one run's output folder."""
    root = tmp_path_factory.mktemp("small")
    paths = make_small_with_definition(root)
    paths["run"] = run(RunSettings(paths["input"], paths["crm"], root / "run_a",
                                   paths["definition"], state_path=root / "state.duckdb")).out_dir
    return paths


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, timeout=300)


def _one_line_exit_2(r: subprocess.CompletedProcess) -> str:
    assert r.returncode == 2, r.stdout + r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr, r.stderr
    return r.stderr


def _hard_link(small: dict[str, Path], tmp_path: Path) -> Path:
    link = tmp_path / "linked.duckdb"
    os.link(small["crm"], link)
    return link


def _byte_copy(small: dict[str, Path], tmp_path: Path) -> Path:
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(small["crm"], copy)
    return copy


# ---------------------------------------------------------------- never the snapshot

@pytest.mark.parametrize("make, how", [(lambda s, t: s["crm"], "same path"),
                                       (_hard_link, "hard link"),
                                       (_byte_copy, "same content")])
def test_state_is_never_the_snapshot(small, tmp_path, make, how):
    sha = file_sha256(small["crm"])
    state = make(small, tmp_path)
    err = _one_line_exit_2(_cli("run", str(small["input"]), "--crm", str(small["crm"]), "--out",
                                str(tmp_path / "out"), "--definition", str(small["definition"]),
                                "--state", str(state)))
    assert "--state must not be the CRM snapshot" in err and how in err
    assert file_sha256(small["crm"]) == sha and file_sha256(state) == sha
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("make, how", [(_hard_link, "hard link"), (_byte_copy, "same content")])
def test_apply_into_is_never_the_snapshot(small, tmp_path, make, how):
    sha = file_sha256(small["crm"])
    into = make(small, tmp_path)
    err = _one_line_exit_2(_cli("apply", str(small["run"]), "--crm", str(small["crm"]),
                                "--into", str(into)))
    assert "--into must not be the CRM snapshot" in err and how in err
    assert file_sha256(small["crm"]) == sha
    with duckdb.connect(str(small["crm"]), read_only=True) as con:
        tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    assert "workbench_applied" not in tables


def test_a_snapshot_copy_is_refused_as_a_state_file(small, tmp_path):
    crm_like = _byte_copy(small, tmp_path)
    with pytest.raises(WorkbenchError, match="not a state file"):
        save_decision(crm_like, "organisation", "f" * 16, "ORG-1", "same")


# ---------------------------------------------------------------- undo in order

def test_undo_refuses_while_a_later_run_changed_the_same_records(small, tmp_path):
    # run B sees the same list with another phone for Bakkerij Jansen: it updates ORG-2 as A did
    rows = [list(r) for r in INCOMING]
    rows[1][5] = "020-7654321"
    pd.DataFrame(rows, columns=HEADER).to_csv(tmp_path / "b.csv", sep=";", index=False)
    run_b = run(RunSettings(tmp_path / "b.csv", small["crm"], tmp_path / "run_b",
                            small["definition"], state_path=tmp_path / "state.duckdb"))
    a_id = json.loads((small["run"] / "manifest.json").read_text(encoding="utf-8"))["run_id"]
    test_db = tmp_path / "test.duckdb"
    apply_changeset(small["run"], small["crm"], test_db)
    apply_changeset(run_b.out_dir, small["crm"], test_db)
    with duckdb.connect(str(test_db), read_only=True) as con:
        phone = con.execute("SELECT phone FROM organisations WHERE org_id = 'ORG-2'").fetchone()[0]
    assert phone and phone.endswith("207654321")  # B's value is the one in place
    with pytest.raises(WorkbenchError, match=f"undo {run_b.run_id} .*first") as refused:
        undo_run(a_id, test_db)
    assert f"run {run_b.run_id}, applied later" in str(refused.value)
    undo_run(run_b.run_id, test_db)
    undo_run(a_id, test_db)
    original, restored = snapshot_tables(small["crm"]), snapshot_tables(test_db)
    for table in TABLES:
        pd.testing.assert_frame_equal(restored[table], original[table], check_dtype=False)


def test_undo_refuses_while_a_later_run_added_contacts_to_its_new_records(small, tmp_path):
    a_id = json.loads((small["run"] / "manifest.json").read_text(encoding="utf-8"))["run_id"]
    test_db = tmp_path / "test.duckdb"
    apply_changeset(small["run"], small["crm"], test_db)
    # run B against the test environment: a new person at the organisation run A inserted
    row = dict.fromkeys(HEADER, "")
    row.update({"Bedrijfsnaam": "Smit Schilders V.O.F.", "Adres": "Molenlaan 3",
                "Postcode": "9711 AA", "Plaats": "Groningen", "Voorletters": "H",
                "Voornaam": "Henk", "Achternaam": "de Boer"})
    pd.DataFrame([row], columns=HEADER).to_csv(tmp_path / "b.csv", sep=";", index=False)
    run_b = run(RunSettings(tmp_path / "b.csv", test_db, tmp_path / "run_b", small["definition"],
                            state_path=tmp_path / "state.duckdb"))
    contacts = pd.read_csv(run_b.out_dir / "contacts_insert.csv", dtype=str, encoding="utf-8-sig")
    assert contacts["org_id"].str.startswith(f"TEST-{a_id}-").all() and len(contacts) == 1
    apply_changeset(run_b.out_dir, small["crm"], test_db)
    with pytest.raises(WorkbenchError, match=f"undo {run_b.run_id} first"):
        undo_run(a_id, test_db)
    undo_run(run_b.run_id, test_db)
    undo_run(a_id, test_db)
    original, restored = snapshot_tables(small["crm"]), snapshot_tables(test_db)
    for table in TABLES:
        pd.testing.assert_frame_equal(restored[table], original[table], check_dtype=False)


# ---------------------------------------------------------------- honest state errors

def _corrupt(path: Path) -> None:
    path.write_bytes(b"this is not a database " * 400)


def _folder(path: Path) -> None:
    path.mkdir()


def _read_only(path: Path) -> None:
    save_decision(path, "organisation", "f" * 16, "ORG-1", "same")
    path.chmod(0o444)


def _unreadable(path: Path) -> None:
    save_decision(path, "organisation", "f" * 16, "ORG-1", "same")
    path.chmod(0o000)


@pytest.mark.parametrize("spoil, says", [(_corrupt, "not a valid DuckDB database"),
                                         (_folder, "is a folder"),
                                         (_read_only, "read-only"),
                                         (_unreadable, "cannot be read")])
def test_an_unusable_state_file_is_named_not_blamed_on_another_run(tmp_path, spoil, says):
    state = tmp_path / "state.duckdb"
    spoil(state)
    with pytest.raises(WorkbenchError) as error:
        with open_state(state, wait_seconds=600):  # it must not wait for a lock nobody holds
            pass
    assert says in str(error.value) and "another run" not in str(error.value)
    assert str(state) in str(error.value)
    if state.is_file():
        state.chmod(0o644)


def test_a_corrupt_state_file_stops_the_run_with_exit_2(small, tmp_path):
    state = tmp_path / "state.duckdb"
    _corrupt(state)
    err = _one_line_exit_2(_cli("run", str(small["input"]), "--crm", str(small["crm"]),
                                "--out", str(tmp_path / "out"), "--definition",
                                str(small["definition"]), "--state", str(state)))
    assert "not a valid DuckDB database" in err and "another run" not in err
    assert not (tmp_path / "out").exists()


def test_a_good_state_file_still_works(tmp_path):
    state = tmp_path / "sub" / "state.duckdb"
    save_decision(state, "organisation", "f" * 16, "ORG-1", "different")
    assert load_decisions(state) == {("organisation", "f" * 16, "ORG-1"): "different"}
