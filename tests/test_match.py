"""Matching and the change set on a small hand-made CRM whose answers are known."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from workbench.definition import Definition, suggest_definition
from workbench.pipeline import build, match, prepare, read_input
from workbench.snapshot import build_snapshot
from workbench.state import save_decision

ORGS = """org_id,name,kvk_number,street,house_number,house_number_addition,postcode,city,country,phone,email,website
ORG-1,Hoekstra Transport B.V.,12345678,Industrieweg,4,,3542 AD,Utrecht,NL,+31302345678,,www.hoekstra-transport.nl
ORG-2,Bakkerij Jansen B.V.,,Dorpsstraat,12,A,1234 AB,Amsterdam,NL,,info@bakkerijjansen.nl,www.bakkerijjansen.nl
ORG-3,Van Dijk Installatietechniek,87654321,Kerkweg,7,,2511 CV,'s-Gravenhage,NL,+31701234567,,
"""
PERSONS = """person_id,initials,first_name,name_prefix,last_name,gender,birth_date,email,phone,mobile,street,house_number,house_number_addition,postcode,city,country
PER-1,J.,Jan,de,Vries,M,,,,,,,,,,
PER-2,A.,Anna,,Bakker,F,,,,,,,,,,
"""
CONTACTS = """contact_id,org_id,person_id,contact_type,job_title,email,phone,mobile,department_name,street,house_number,house_number_addition,postcode,city,country
CON-1,ORG-2,PER-1,person,Eigenaar,j.devries@bakkerijjansen.nl,,,,,,,,,
CON-2,ORG-1,PER-2,person,,a.bakker@hoekstra-transport.nl,,,,,,,,,
"""
INCOMING = [
    # Bedrijfsnaam;KvK-nummer;Adres;Postcode;Plaats;Telefoon;Website;Voorletters;Voornaam;Tussenvoegsel;Achternaam;Functie;E-mail contactpersoon
    ["Hoekstra Logistiek", "12345678", "Industrieweg 4", "3542AD", "Utrecht", "", "", "A", "Anna", "", "Bakker", "Planner", "a.bakker@hoekstra-transport.nl"],
    ["Bakkerij Jansen BV", "", "Dorpsstraat 12a", "1234ab", "Amsterdam", "020-1234567", "www.bakkerij-jansen.nl", "J", "Jan", "", "de Vries", "", ""],
    ["Jansen Installaties", "", "Dorpsstraat 12 B", "1234 AB", "Amsterdam", "", "", "P", "Piet", "", "Pietersen", "", ""],
    ["Smit Schilders V.O.F.", "", "Molenlaan 3", "9711 AA", "Groningen", "050-1234567", "", "K", "Karin", "", "Smit", "", "k.smit@smitschilders.nl"],
    ["Smit Schilders VOF", "", "Molenlaan 3", "9711AA", "Groningen", "", "", "K.", "Karin", "", "Smit", "", "k.smit@smitschilders.nl"],
    ["Smit Schilders V.O.F.", "", "Molenlaan 3", "9711 AA", "Groningen", "", "", "B", "Bram", "", "Visser", "Schilder", ""],
]
HEADER = ["Bedrijfsnaam", "KvK-nummer", "Adres", "Postcode", "Plaats", "Telefoon", "Website",
          "Voorletters", "Voornaam", "Tussenvoegsel", "Achternaam", "Functie",
          "E-mail contactpersoon"]


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("small")
    export = root / "crm"
    export.mkdir()
    (export / "organisations.csv").write_text(ORGS, encoding="utf-8")
    (export / "persons.csv").write_text(PERSONS, encoding="utf-8")
    (export / "contacts.csv").write_text(CONTACTS, encoding="utf-8")
    build_snapshot(export, root / "crm.duckdb")
    pd.DataFrame(INCOMING, columns=HEADER).to_csv(root / "in.csv", sep=";", index=False)
    raw = read_input(root / "in.csv")
    definition = suggest_definition([c for c in raw.columns if c != "source_row"])
    return {"root": root, "crm": root / "crm.duckdb", "raw": raw, "definition": definition}


def _run(small: dict, definition: Definition | None = None, state: Path | None = None):
    definition = definition or small["definition"]
    prepared = prepare(small["raw"], definition)
    matches = match(prepared, small["crm"], definition, state)
    changeset = build(prepared, matches, small["crm"], definition, "test-run")
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
    assert out.at[4, "status"] == "skipped" and "create new" in out.at[4, "reason"]
    assert changeset.tables["organisations_insert"].empty


def test_stored_decision_overrules_the_score(small, tmp_path):
    state = tmp_path / "state.duckdb"
    matches, _, _ = _run(small, state=state)
    rows = matches.rows.set_index("source_row")
    save_decision(state, "organisation", rows.at[2, "org_fp"], "ORG-2", "different")
    matches, out, _ = _run(small, state=state)
    assert out.at[2, "org_id"] != "ORG-2"
