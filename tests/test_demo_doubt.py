"""The hard demo's doubtful rows (issue 12 item 9): what the truth says of them, and that the
`make demo` run leaves them for the analyst's review instead of merging or creating them."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from rapidfuzz.distance import JaroWinkler

from workbench.demo import generate_demo, read_truth
from workbench.demo.names import FREEMAIL
from workbench.pipeline import RunSettings, run
from workbench.snapshot import build_snapshot


def _rows(folder: Path) -> list[dict[str, str]]:
    """The list's data rows as dicts ('' for empty)."""
    sheet = openpyxl.load_workbook(folder / "incoming.xlsx").active
    cells = list(sheet.iter_rows(values_only=True))
    return [{h: "" if v is None else str(v) for h, v in zip(cells[0], row, strict=True)}
            for row in cells[1:]]


def test_hard_demo_has_doubtful_rows_with_the_crm_firm_they_were_made_from(
        tmp_path: Path) -> None:
    generate_demo(tmp_path, organisations=400, incoming=300, seed=3, hard=True)
    truth = read_truth(tmp_path / "truth.csv")
    rows = _rows(tmp_path)
    orgs = pd.read_csv(tmp_path / "crm" / "organisations.csv", dtype=str,
                       keep_default_na=False).set_index("org_id")
    doubtful = truth[truth["case"] == "doubtful_org"]
    assert len(doubtful) >= 10
    assert set(doubtful["expected_status"]) == {"skipped"}
    assert set(doubtful["reject_reason"]) == {""}
    for t in doubtful.itertuples():
        org = orgs.loc[t.org_id]  # one CRM firm, for an analyst's answer to be checked against
        assert t.org_entity == t.org_id and t.person_entity.startswith("NEWPER-")
        row = rows[t.source_row - 1]
        # close to the CRM firm's name, not equal; its street and postcode, another number
        assert row["Bedrijfsnaam"] != org["name"]
        assert JaroWinkler.normalized_similarity(row["Bedrijfsnaam"].lower(),
                                                 org["name"].lower()) >= 0.85
        assert row["Postcode"] == org["postcode"] and row["Plaats"] == org["city"]
        street, number = row["Adres"].rsplit(" ", 1)
        assert street == org["street"] and number != org["house_number"]
        # nothing that would settle it: no KvK number, phone, website or company e-mail
        assert row["KvK-nummer"] == row["Telefoon"] == row["Website"] == row["E-mail"] == ""
        assert row["E-mail contactpersoon"].split("@")[1] in FREEMAIL


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The `make demo` data (2,000 x 500, seed 7, hard) run through the pipeline."""
    folder = tmp_path_factory.mktemp("demo_doubt")
    generate_demo(folder / "demo", organisations=2000, incoming=500, seed=7, hard=True)
    build_snapshot(folder / "demo" / "crm", folder / "crm.duckdb")
    run(RunSettings(folder / "demo" / "incoming.xlsx", folder / "crm.duckdb", folder / "out",
                    state_path=folder / "state.duckdb"))
    outcomes = pd.read_csv(folder / "out" / "row_outcomes.csv", dtype=str,
                           keep_default_na=False, encoding="utf-8-sig")
    outcomes["source_row"] = outcomes["source_row"].astype(int)
    return read_truth(folder / "demo" / "truth.csv"), outcomes


def test_the_demo_run_leaves_the_doubtful_rows_for_review(
        demo_run: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    truth, outcomes = demo_run
    df = truth[truth["case"] == "doubtful_org"].merge(outcomes, on="source_row",
                                                      suffixes=("_true", ""))
    assert len(df) >= 20
    # never silently merged into a CRM firm
    assert not df["org_id"].str.startswith("ORG").any(), df[["source_row", "org_id"]]
    review = df[(df["status"] == "skipped") & df["reason"].str.startswith("needs review")]
    # nearly all left for review, each naming the CRM firm the row was made from
    assert len(review) >= 0.9 * len(df), df[["source_row", "status", "org_id", "reason"]]
    for t in review.itertuples():
        assert f"may be CRM organisation {t.org_id_true}" in t.reason
