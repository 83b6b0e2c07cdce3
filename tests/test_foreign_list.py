"""Issue 12: a list of US, Belgian, German, British and Dutch organisations through the default
path (`workbench run LIST --crm CRM --out OUT`, no definition): no row rejected for its address,
the in-file duplicates found, and foreign CRM records matched."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from foreign_list import make_foreign_list
from small_crm import CONTACTS, ORGS, PERSONS

from workbench.snapshot import build_snapshot

IN_CRM = 10  # first organisations of the list also written into the CRM, in its own format


@pytest.fixture(scope="module")
def run_out(tmp_path_factory) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    root = tmp_path_factory.mktemp("foreign")
    truth = make_foreign_list(root / "list.csv")
    truth["source_row"] = range(1, len(truth) + 1)
    firsts = truth.drop_duplicates("_entity")
    in_crm = firsts[firsts["_code"] != "NL"].groupby("_code").head(IN_CRM // 4 + 1)
    crm_rows = pd.DataFrame({
        "org_id": [f"ORG-F{i}" for i in range(len(in_crm))], "name": in_crm["Company"].to_numpy(),
        "street": in_crm["_street"].to_numpy(), "house_number": in_crm["_number"].to_numpy(),
        "postcode": in_crm["Postcode"].to_numpy(), "city": in_crm["City"].to_numpy(),
        "country": in_crm["_code"].to_numpy()})
    export = root / "crm"
    export.mkdir()
    orgs = pd.concat([pd.read_csv(pd.io.common.StringIO(ORGS), dtype=str), crm_rows])
    orgs.to_csv(export / "organisations.csv", index=False)
    (export / "persons.csv").write_text(PERSONS, encoding="utf-8")
    (export / "contacts.csv").write_text(CONTACTS, encoding="utf-8")
    build_snapshot(export, root / "crm.duckdb")
    done = subprocess.run([sys.executable, "-m", "workbench.cli", "run", str(root / "list.csv"),
                           "--crm", str(root / "crm.duckdb"), "--out", str(root / "out")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    outcomes = pd.read_csv(root / "out" / "row_outcomes.csv", dtype=str, encoding="utf-8-sig")
    outcomes["source_row"] = outcomes["source_row"].astype(int)
    crm_rows["_entity"] = in_crm["_entity"].to_numpy()
    return truth, outcomes, crm_rows


def test_the_list_has_every_country_and_duplicates(run_out):
    truth, _, _ = run_out
    assert set(truth["_code"]) == {"US", "BE", "DE", "GB", "NL"}
    assert truth["_entity"].duplicated().sum() == 60


def test_no_row_is_rejected(run_out):
    _, outcomes, _ = run_out
    rejected = outcomes[outcomes["status"] == "rejected"]
    assert rejected.empty, rejected["reason"].head().tolist()


def test_in_file_duplicates_are_found(run_out):
    truth, outcomes, _ = run_out
    df = truth.merge(outcomes, on="source_row")
    entity = df.set_index("source_row")["_entity"]
    said = df[df["status"] == "in_file_duplicate"]
    right = sum(entity.get(int(float(d)), None) == e
                for d, e in zip(said["duplicate_of"], said["_entity"], strict=True))
    # a copy matched to a CRM record that its first is matched to also counts as found
    true = int(truth["_entity"].duplicated().sum())
    copies = df[truth["_entity"].duplicated(keep="first").to_numpy()]
    firsts = df.drop_duplicates("_entity").set_index("_entity")["org_id"]
    via_crm = sum(isinstance(o, str) and o.startswith("ORG-F") and firsts.get(e) == o
                  for o, e, s in zip(copies["org_id"], copies["_entity"], copies["status"],
                                     strict=True) if s != "in_file_duplicate")
    precision = right / len(said)
    recall = (right + via_crm) / true
    assert precision >= 0.99, (right, len(said))
    assert recall >= 0.95, (right, via_crm, true)


def test_foreign_crm_records_are_matched(run_out):
    truth, outcomes, crm = run_out
    df = truth.merge(outcomes, on="source_row")
    wanted = df[df["_entity"].isin(crm["_entity"])]
    expected = wanted["_entity"].map(dict(zip(crm["_entity"], crm["org_id"], strict=True)))
    missed = wanted[wanted["org_id"] != expected]
    assert len(missed) / len(wanted) <= 0.05, "; ".join(
        f"{c}: {r}" for c, r in zip(missed["Company"], missed["reason"], strict=True))
    others = df[~df["_entity"].isin(crm["_entity"])]
    assert not others["org_id"].fillna("").str.startswith("ORG-F").any()
