"""The whole run on demo data: every row accounted for once, outputs complete, snapshot untouched."""
from __future__ import annotations

import json

import duckdb
import pandas as pd
from openpyxl import load_workbook

from workbench.changeset import ACTIONS, STATUSES
from workbench.demo import read_truth
from workbench.snapshot import file_sha256

EXPECTED_FILES = ["row_outcomes.csv", "organisations_insert.csv", "organisations_update.csv",
                  "persons_insert.csv", "persons_update.csv", "contacts_insert.csv",
                  "organisations_insert.xlsx", "changes.parquet", "rejects.xlsx", "manifest.json",
                  "duplicate_report.html", "profile.html", "profile.json", "definition.yml"]


def _outcomes(run) -> pd.DataFrame:
    return pd.read_csv(run.out_dir / "row_outcomes.csv", dtype=str, encoding="utf-8-sig")


def test_every_input_row_has_exactly_one_outcome(demo_run, demo_dir):
    truth = read_truth(demo_dir / "truth.csv")
    outcomes = _outcomes(demo_run)
    assert outcomes["source_row"].astype(int).tolist() == list(range(1, len(truth) + 1))
    assert set(outcomes["status"]) <= set(STATUSES)
    for col in ("org_action", "person_action", "contact_action"):
        assert set(outcomes[col]) <= set(ACTIONS)
    counts = demo_run.manifest["counts"]["status"]
    assert sum(counts.values()) == demo_run.manifest["input"]["rows"] == len(truth)


def test_all_outputs_written(demo_run):
    names = {p.name for p in demo_run.out_dir.iterdir()}
    assert set(EXPECTED_FILES) <= names
    assert not [n for n in names if n.endswith(".tmp")]


def test_outcomes_agree_with_change_set_files(demo_run):
    outcomes = _outcomes(demo_run)
    inserts = pd.read_csv(demo_run.out_dir / "organisations_insert.csv", dtype=str,
                          encoding="utf-8-sig")
    assert len(inserts) == (outcomes["org_action"] == "insert").sum()
    assert inserts["org_id"].str.startswith("NEW-").all()
    assert set(inserts["org_id"]) <= set(outcomes["org_id"].dropna())
    assert inserts["run_id"].eq(demo_run.run_id).all()
    persons = pd.read_csv(demo_run.out_dir / "persons_insert.csv", dtype=str, encoding="utf-8-sig")
    assert len(persons) == (outcomes["person_action"] == "insert").sum()
    accepted = outcomes[outcomes["status"] == "accepted"]
    assert accepted["org_id"].notna().sum() + accepted["person_id"].notna().sum() > 0
    dups = outcomes[outcomes["status"] == "in_file_duplicate"]
    assert dups["duplicate_of"].notna().all()
    assert (dups["duplicate_of"].astype(int) < dups["source_row"].astype(int)).all()


def test_rejects_workbook_holds_every_rejected_row_with_reason(demo_run, demo_dir):
    outcomes = _outcomes(demo_run)
    rejected = outcomes[outcomes["status"] == "rejected"]
    ws = load_workbook(demo_run.out_dir / "rejects.xlsx")["rejects"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:2] == ("source_row", "reason")
    assert "Bedrijfsnaam" in rows[0]
    assert sorted(int(r[0]) for r in rows[1:]) == sorted(rejected["source_row"].astype(int))
    assert all(r[1] for r in rows[1:])


def test_rejects_match_the_truth(demo_run, demo_dir):
    truth = read_truth(demo_dir / "truth.csv")
    outcomes = _outcomes(demo_run).astype({"source_row": int})
    merged = truth.merge(outcomes, on="source_row")
    expected = merged[merged["expected_status"] == "rejected"]
    assert (expected["status"] == "rejected").mean() >= 0.9
    blank = merged[merged["expected_status"] == "skipped"]
    assert (blank["status"] == "skipped").all() and blank["reason"].eq("blank row").all()


def test_manifest(demo_run, demo_dir):
    manifest = json.loads((demo_run.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["run_id"] == demo_run.run_id
    assert manifest["input"]["sha256"] == file_sha256(demo_dir / "incoming.xlsx")
    assert manifest["definition"]["columns"]["org_name"] == "Bedrijfsnaam"
    assert "duckdb" in manifest["versions"] and "recordlinkage" in manifest["versions"]
    for col in ("org_action", "person_action", "contact_action"):
        assert sum(manifest["counts"][col].values()) == manifest["input"]["rows"]


def test_changes_parquet_is_a_field_level_diff(demo_run):
    diff = duckdb.sql(f"SELECT * FROM read_parquet('{demo_run.out_dir / 'changes.parquet'}')").df()
    assert list(diff.columns[:7]) == ["entity", "id", "action", "field", "old", "new", "source_row"]
    updates = diff[diff["action"] == "update"]
    # the default policy fills empty fields only: an update never replaces a CRM value
    assert updates["old"].isna().all()
    assert set(diff["entity"]) <= {"organisation", "person", "contact"}


def test_snapshot_is_byte_identical_after_a_run(snapshot_copy, demo_dir, tmp_path):
    from workbench.pipeline import RunSettings, run

    before = file_sha256(snapshot_copy)
    run(RunSettings(demo_dir / "incoming.xlsx", snapshot_copy, tmp_path / "out",
                    state_path=tmp_path / "state.duckdb"))
    assert file_sha256(snapshot_copy) == before


def test_existing_organisations_are_found(demo_run, demo_dir):
    truth = read_truth(demo_dir / "truth.csv")
    outcomes = _outcomes(demo_run).astype({"source_row": int})
    merged = truth.merge(outcomes, on="source_row", suffixes=("_true", ""))
    existing = merged[(merged["case"] == "existing_org_existing_person")
                      & (merged["status"] == "accepted")]
    hit = [p in t.split("|") for p, t in zip(existing["org_id"].fillna(""),
                                              existing["org_id_true"], strict=True)]
    assert len(existing) > 10 and sum(hit) / len(hit) >= 0.9
