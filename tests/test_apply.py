"""Test environment first: apply a run to a copy of the snapshot, query it, undo it exactly."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from small_crm import TABLES, snapshot_tables

from workbench.apply import apply_changeset, undo_run
from workbench.demo import read_truth
from workbench.errors import WorkbenchError
from workbench.fields import CRM_TABLES
from workbench.pipeline import RunSettings, run
from workbench.snapshot import file_sha256

BIN = Path(sys.executable).parent / "workbench"


def test_apply_then_undo_gives_back_the_snapshot(demo_run, demo_dir, tmp_path):
    crm = demo_dir / "crm.duckdb"
    before_sha = file_sha256(crm)
    test_db = tmp_path / "test.duckdb"
    counts = apply_changeset(demo_run.out_dir, crm, test_db)
    assert counts["organisations_insert"] == len(demo_run.changeset.tables["organisations_insert"])
    with duckdb.connect(str(test_db), read_only=True) as con:
        n_orgs = con.execute("SELECT count(*) FROM organisations").fetchone()[0]
        with duckdb.connect(str(crm), read_only=True) as orig:
            n_before = orig.execute("SELECT count(*) FROM organisations").fetchone()[0]
        assert n_orgs == n_before + counts["organisations_insert"]
        # an update filled an empty field: the new value is there
        upd = demo_run.changeset.changes
        upd = upd[(upd["entity"] == "organisation") & (upd["action"] == "update")].iloc[0]
        got = con.execute(f"SELECT {upd['field']} FROM organisations WHERE org_id = ?",
                          [upd["id"]]).fetchone()[0]
        assert got == upd["new"]
    with pytest.raises(WorkbenchError, match="already applied"):
        apply_changeset(demo_run.out_dir, crm, test_db)
    undo_run(demo_run.run_id, test_db)
    original, restored = snapshot_tables(crm), snapshot_tables(test_db)
    for table in TABLES:
        pd.testing.assert_frame_equal(restored[table], original[table], check_dtype=False)
    assert file_sha256(crm) == before_sha


def test_a_second_run_against_the_applied_test_environment_finds_everything(demo_run, demo_dir,
                                                                           tmp_path):
    test_db = tmp_path / "test.duckdb"
    apply_changeset(demo_run.out_dir, demo_dir / "crm.duckdb", test_db)
    again = run(RunSettings(demo_dir / "incoming.xlsx", test_db, tmp_path / "again",
                            state_path=tmp_path / "state.duckdb"))
    counts = again.manifest["counts"]
    assert counts["org_action"]["insert"] == 0 and counts["person_action"]["insert"] == 0
    assert counts["contact_action"]["insert"] == 0


def _kvk_groups(path: Path) -> set[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        orgs = con.execute("SELECT org_id, kvk_number FROM organisations WHERE kvk_number IS NOT "
                           "NULL").df()
    dup = orgs[orgs.duplicated("kvk_number", keep=False)]
    return set(dup.groupby("kvk_number")["org_id"].apply(lambda s: "|".join(sorted(s))))


def test_no_duplicate_organisation_by_kvk_after_apply(demo_run, demo_dir, tmp_path):
    test_db = tmp_path / "test.duckdb"
    apply_changeset(demo_run.out_dir, demo_dir / "crm.duckdb", test_db)
    truth = read_truth(demo_dir / "truth.csv")
    before, after = _kvk_groups(demo_dir / "crm.duckdb"), _kvk_groups(test_db)
    # the load adds no organisation under a KvK number the CRM already holds; only the CRM's
    # own duplicates (made on purpose by the demo generator) remain
    assert after == before
    assert {t for t in truth["org_id"] if "|" in t} <= before


def test_undo_refuses_the_snapshot_itself(demo_dir):
    r = subprocess.run([str(BIN), "undo", "20260101T000000-abcdef", "--crm",
                        str(demo_dir / "crm.duckdb")], capture_output=True, text=True)
    assert r.returncode == 2 and "not a test environment" in r.stderr


def test_apply_refuses_to_write_into_the_snapshot(demo_run, demo_dir):
    r = subprocess.run([str(BIN), "apply", str(demo_run.out_dir), "--crm",
                        str(demo_dir / "crm.duckdb"), "--into", str(demo_dir / "crm.duckdb")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "must not be the CRM snapshot" in r.stderr


def test_columns_of_the_test_environment_are_canonical(demo_run, demo_dir, tmp_path):
    test_db = tmp_path / "test.duckdb"
    apply_changeset(demo_run.out_dir, demo_dir / "crm.duckdb", test_db)
    with duckdb.connect(str(test_db), read_only=True) as con:
        for table, columns in CRM_TABLES.items():
            got = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
            assert got == list(columns)
