"""Persons through the default path on a small real snapshot: two people of one name at one
organisation told apart by their initials, or left for review when only their own e-mail
addresses differ (the hard demo's namesake colleagues); a later copy joining its cluster through
the member it matches; a surname typed into the first-name field."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from small_crm import HEADER, PERSONS, make_small

from workbench.pipeline import RunSettings, run
from workbench.snapshot import build_snapshot

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import quality  # noqa: E402  (bench/quality.py: the demo's quality report)


def _outcomes(root: Path, rows: list[list[str]], persons: str | None = None,
              header: list[str] | None = None) -> pd.DataFrame:
    """Run the small CRM (``persons`` as its persons.csv) and ``rows`` (under ``header``) through
    the default path; the row outcomes by row."""
    paths = make_small(root, rows, header)
    if persons is not None:
        (root / "crm" / "persons.csv").write_text(persons, encoding="utf-8")
        paths["crm"].unlink()
        build_snapshot(root / "crm", paths["crm"])
    result = run(RunSettings(paths["input"], paths["crm"], root / "out",
                             state_path=root / "state.duckdb"))
    return result.changeset.outcomes.set_index("source_row")


SMIT = ["Smit Schilders V.O.F.", "", "Molenlaan 3", "9711 AA", "Groningen", "050-1234567", ""]


def test_namesakes_in_the_file_with_other_initials_are_two_people(tmp_path):
    out = _outcomes(tmp_path, [
        [*SMIT, "K.M.", "Karin", "", "Smit", "Eigenaar", "k.smit@smitschilders.nl"],
        [*SMIT, "K.B.", "Karin", "", "Smit", "Schilder", "karin.smit@smitschilders.nl"],
    ])
    assert (out["status"] == "accepted").all()
    assert out.at[1, "person_id"] != out.at[2, "person_id"]
    assert out.at[1, "org_id"] == out.at[2, "org_id"]


def test_one_name_with_two_own_e_mails_is_left_for_review(tmp_path):
    out = _outcomes(tmp_path, [
        [*SMIT, "K.M.", "Karin", "", "Smit", "Eigenaar", "k.smit@smitschilders.nl"],
        [*SMIT, "K.M.", "Karin", "", "Smit", "Eigenaar", "karin.smit@smitschilders.nl"],
        [*SMIT, "K.M.", "Karin", "", "Smit", "Eigenaar", "k.smit@smitschilders.nl"],
    ])
    assert out.at[1, "status"] == "accepted"
    assert out.at[2, "status"] == "skipped"  # the same person or a colleague: an analyst says
    assert out.at[3, "status"] == "in_file_duplicate" and int(out.at[3, "duplicate_of"]) == 1
    # the quality report counts the pairs left for review by kind: row 2 with rows 1 and 3
    assert quality.review_by_kind(tmp_path / "out") == {"file_person": 2}


JANSEN = ["Bakkerij Jansen BV", "", "Dorpsstraat 12a", "1234ab", "Amsterdam", "020-1234567", ""]


def test_crm_namesake_colleague_with_other_initials_is_a_new_person(tmp_path):
    # the CRM's Jan de Vries at Bakkerij Jansen (PER-1) as "J.H."
    persons = PERSONS.replace("PER-1,J.,Jan", "PER-1,J.H.,Jan")
    out = _outcomes(tmp_path, [
        [*JANSEN, "J.K.", "Jan", "de", "Vries", "", "jan.devries@bakkerijjansen.nl"],
        [*JANSEN, "J.", "Jan", "de", "Vries", "", ""],
    ], persons)
    assert out.at[1, "status"] == "accepted" and out.at[1, "org_id"] == "ORG-2"
    assert out.at[1, "person_id"] != "PER-1"  # "J.K." cannot be "J.H.": a colleague
    assert out.at[2, "person_id"] == "PER-1"  # "J." can be


def test_a_later_copy_joins_the_cluster_through_the_member_it_matches(tmp_path):
    # row 3 matches row 2 (same spelling) and was never compared with row 1 (another surname
    # key, no e-mail): it joins row 1's cluster all the same, as row 2 did
    out = _outcomes(tmp_path, [
        [*SMIT, "K.", "Karin", "", "Smit", "Eigenaar", "k.smit@smitschilders.nl"],
        [*SMIT, "K.", "Karin", "", "Smith", "Eigenaar", "k.smit@smitschilders.nl"],
        [*SMIT, "K.", "Karin", "", "Smith", "Eigenaar", ""],
    ])
    assert out.at[1, "status"] == "accepted"
    assert out.at[2, "status"] == "in_file_duplicate" and int(out.at[2, "duplicate_of"]) == 1
    assert out.at[3, "status"] == "in_file_duplicate" and int(out.at[3, "duplicate_of"]) == 1


def test_a_surname_in_the_first_name_field_is_evidence_not_a_difference(tmp_path):
    # the CRM's Anna Bakker at Hoekstra (PER-2) with her mobile; the list has her surname in the
    # first-name field and another name in the surname field (swapped, then one retyped)
    persons = PERSONS.replace("PER-2,A.,Anna,,Bakker,F,,,,,,",
                              "PER-2,A.,Anna,,Bakker,F,,,,,+31612345678,")
    header = [*HEADER, "Mobiel"]
    hoekstra = ["Hoekstra Transport B.V.", "12345678", "Industrieweg 4", "3542AD", "Utrecht", "", ""]
    out = _outcomes(tmp_path, [[*hoekstra, "", "Bakker", "", "Visser", "Planner", "",
                                "06-12345678"]], persons, header)
    assert out.at[1, "org_id"] == "ORG-1"
    assert out.at[1, "person_id"] == "PER-2"
