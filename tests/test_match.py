"""Matching and the change set on a small hand-made CRM whose answers are known."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from small_crm import make_small

from workbench.context import open_run
from workbench.definition import Definition, suggest_definition
from workbench.pipeline import build, match, prepare, read_input
from workbench.state import save_decision


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("small")
    paths = make_small(root)
    raw = read_input(paths["input"])
    definition = suggest_definition([c for c in raw.columns if c != "source_row"])
    return {"root": root, "crm": paths["crm"], "raw": raw, "definition": definition}


def _run(small: dict, definition: Definition | None = None, state: Path | None = None):
    definition = definition or small["definition"]
    state = state or small["root"] / "no-decisions.duckdb"
    with open_run(small["crm"], definition=definition, state_path=state, run_id="test-run") as ctx:
        prepared = prepare(ctx, small["raw"])
        matches = match(ctx, prepared)
        changeset = build(ctx, prepared, matches)
    return matches, changeset.outcomes.set_index("source_row"), changeset


def test_organisations_matched_by_kvk_and_by_score(small):
    matches, out, _ = _run(small)
    rows = matches.rows.set_index("source_row")
    assert rows.at[1, "crm_org_id"] == "ORG-1" and rows.at[1, "org_method"] == "kvk"
    assert rows.at[2, "crm_org_id"] == "ORG-2" and rows.at[2, "org_method"] == "fuzzy"
    assert "name" in rows.at[2, "org_explanation"] and "address" in rows.at[2, "org_explanation"]
    assert out.at[1, "org_id"] == "ORG-1" and out.at[2, "org_id"] == "ORG-2"


def test_other_house_number_addition_is_another_organisation(small):
    _, out, _ = _run(small)
    assert out.at[3, "status"] == "accepted"
    assert out.at[3, "org_id"].startswith("NEW-") and out.at[3, "org_action"] == "insert"


def test_persons_matched_within_their_organisation(small):
    _, out, _ = _run(small)
    assert out.at[1, "person_id"] == "PER-2"  # by e-mail
    assert out.at[2, "person_id"] == "PER-1"  # "J. de Vries" at Bakkerij Jansen
    assert out.at[2, "contact_action"] in ("unchanged", "update")


def test_in_file_duplicates_and_second_person_at_new_organisation(small):
    _, out, _ = _run(small)
    assert out.at[4, "status"] == "accepted" and out.at[4, "org_action"] == "insert"
    assert out.at[5, "status"] == "in_file_duplicate" and int(out.at[5, "duplicate_of"]) == 4
    assert out.at[6, "status"] == "accepted"
    assert out.at[6, "org_id"] == out.at[4, "org_id"] and out.at[6, "org_action"] == "unchanged"
    assert out.at[6, "person_action"] == "insert" and out.at[6, "contact_action"] == "insert"


POLICY_CASES = [
    {"description": "fill empty only: the empty phone is filled, the website kept",
     "input": "fill_empty", "expected": {"phone": "+31201234567"}},
    {"description": "overwrite: the website is replaced too",
     "input": "overwrite", "expected": {"phone": "+31201234567", "website": "www.bakkerij-jansen.nl"}},
    {"description": "leave alone: nothing changes", "input": "leave", "expected": {}},
]


@pytest.mark.parametrize("case", POLICY_CASES, ids=[c["description"] for c in POLICY_CASES])
def test_update_policies(small, case):
    definition = replace(small["definition"], update_policy=case["input"])
    _, out, changeset = _run(small, definition)
    diff = changeset.changes
    got = diff[(diff["id"] == "ORG-2") & (diff["action"] == "update")]
    got = dict(zip(got["field"], got["new"], strict=True))
    got = {k: v for k, v in got.items() if k in ("phone", "website")}
    assert got == case["expected"]
    assert (out.at[2, "org_action"] == "update") == bool(case["expected"])


def test_create_new_off_skips_unknown_organisations(small):
    _, out, changeset = _run(small, replace(small["definition"], create_new=False))
    assert out.at[4, "status"] == "skipped" and "create_new is off" in out.at[4, "reason"]
    assert changeset.tables["organisations_insert"].empty


def test_stored_decision_overrules_the_score(small, tmp_path):
    state = tmp_path / "state.duckdb"
    matches, _, _ = _run(small, state=state)
    rows = matches.rows.set_index("source_row")
    save_decision(state, "organisation", rows.at[2, "org_fp"], "ORG-2", "different")
    matches, out, _ = _run(small, state=state)
    assert out.at[2, "org_id"] != "ORG-2"


def test_members_of_one_cluster_found_unalike_go_to_review():
    import pandas as pd

    from workbench.match.cluster import flag_loose_clusters, star_clusters

    # rows 1 and 2 each match row 0, but not each other: no chaining, one cluster, one doubt
    pairs = pd.DataFrame({"left": [0, 0, 1], "right": [1, 2, 2], "score": [0.95, 0.93, 0.1],
                          "band": ["match", "match", "non-match"], "decided": False,
                          "explanation": ["a", "b", "c"]})
    roots = star_clusters(pairs, pd.Index([0, 1, 2]))
    assert roots.tolist() == [0, 0, 0]
    flag_loose_clusters(pairs, roots)
    assert pairs["band"].tolist() == ["match", "match", "review"]
    assert pairs.loc[2, "explanation"].startswith("in one cluster, but not alike")
