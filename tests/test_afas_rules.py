"""The rules of AFAS Profit's import manual (issue 18), each through a real run on a small CRM."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from small_crm import make_small

from workbench.definition import definition_from_dict, suggest_definition
from workbench.errors import DefinitionError
from workbench.pipeline import RunSettings, run

HEADER = ["Bedrijfsnaam", "Adres", "Postcode", "Plaats", "Voornaam", "Achternaam"]
# an organisation the small CRM does not hold, for rows that create one
NEW_ORG = ["Nguyen Bloemen", "Marktplein 3", "1011 AB", "Amsterdam"]
# the small CRM's Bakkerij Jansen B.V. (ORG-2) with Jan de Vries (PER-1) as its contact
KNOWN_ORG = ["Bakkerij Jansen B.V.", "Dorpsstraat 12 A", "1234 AB", "Amsterdam"]


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("afas")
    return {"root": root, **make_small(root)}


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _run(small: dict, tmp_path: Path, rows: list[list[str]], header: list[str] = HEADER,
         target: str | None = None, **sections: dict):
    """Run the rows through `workbench run` with the suggested definition, its sections
    updated from ``sections`` (written as YAML and read back, as an analyst's file is)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "in.csv"
    pd.DataFrame(rows, columns=header).to_csv(path, sep=";", index=False)
    data = suggest_definition(header).to_dict()
    for section, values in sections.items():
        data.setdefault(section, {}).update(values)
    def_path = tmp_path / "def.yml"
    def_path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run(RunSettings(path, small["crm"], tmp_path / "out", def_path,
                             state_path=tmp_path / "state.duckdb", target=target))
    outcomes = _read(result.out_dir / "row_outcomes.csv")
    return result, outcomes.set_index(outcomes["source_row"].astype(int))


# --- 1. prefixes: blocked in the definition, doubtful ones warned about --------------------------

def test_a_blocked_prefix_stays_in_the_surname(small, tmp_path):
    result, _ = _run(small, tmp_path, [[*NEW_ORG, "Minh", "Le Nguyen"]],
                     standardise={"blocked_prefixes": ["le"]})
    persons = _read(result.out_dir / "persons_insert.csv")
    assert persons[["first_name", "name_prefix", "last_name"]].values.tolist() == [
        ["Minh", "", "Le Nguyen"]]
    problems = _read(result.out_dir / "problems.csv")
    assert not problems["problem"].str.contains("prefix").any()


def test_an_unblocked_foreign_prefix_is_split_with_a_warning(small, tmp_path):
    result, _ = _run(small, tmp_path, [[*NEW_ORG, "Minh", "Le Nguyen"]])
    persons = _read(result.out_dir / "persons_insert.csv")
    assert persons[["name_prefix", "last_name"]].values.tolist() == [["le", "Nguyen"]]
    problems = _read(result.out_dir / "problems.csv")
    hit = problems[problems["problem"].str.contains("possible prefix")]
    assert hit[["source_row", "field", "value", "severity"]].values.tolist() == [
        ["1", "person_last_name", "Le Nguyen", "warning"]]
    assert "standardise: {blocked_prefixes: [le]}" in hit["problem"].iloc[0]


def test_short_surnames_warned_ordinary_dutch_ones_not(small, tmp_path):
    rows = [[*NEW_ORG, "Sven", "Ek"], [*NEW_ORG, "Wei", "Li"], [*NEW_ORG, "Kees", "van Dijk"],
            [*NEW_ORG, "Anna", "de Vries"], [*NEW_ORG, "Piet", "van der Berg"],
            [*NEW_ORG, "Bram", "Jansen"]]
    result, _ = _run(small, tmp_path, rows)
    problems = _read(result.out_dir / "problems.csv")
    warned = problems[problems["problem"].str.contains("prefix")]
    assert warned[["source_row", "value"]].values.tolist() == [["1", "Ek"], ["2", "Li"]]
    assert warned["problem"].str.contains("AFAS Profit takes every two-letter").all()


def test_blocked_prefixes_must_be_a_list_of_known_prefixes():
    with pytest.raises(DefinitionError) as exc:
        definition_from_dict({"standardise": {"blocked_prefixes": "le"}})
    assert "standardise.blocked_prefixes: expected a list" in str(exc.value)
    with pytest.raises(DefinitionError) as exc:
        definition_from_dict({"standardise": {"blocked_prefixes": ["le", "lee"]}})
    assert "unknown value 'lee'" in str(exc.value)
    assert definition_from_dict({"standardise": {"blocked_prefixes": ["le", "van"]}}
                                ).blocked_prefixes == ("le", "van")


# --- 2. a new person needs a gender where the target requires it ---------------------------------

def test_new_person_without_gender_is_refused_for_afas(small, tmp_path):
    header = [*HEADER, "Geslacht"]
    rows = [[*NEW_ORG, "Kim", "Le", ""], [*NEW_ORG[:1], "Marktplein 5", *NEW_ORG[2:], "Sam",
                                          "Tan", "V"]]
    rows[1][0] = "Tan Advies"
    result, out = _run(small, tmp_path, rows, header, target="afas-profit")
    assert out.at[1, "status"] == "rejected"
    assert out.at[1, "reason"] == ("a new person needs a gender for AFAS Profit "
                                   "(Geslacht (Persoon)): the list gives none; it is not guessed "
                                   "from the first name")
    assert (out.at[2, "status"], out.at[2, "person_action"]) == ("accepted", "insert")
    persons = _read(result.out_dir / "persons_insert.csv")
    assert persons[["last_name", "gender"]].values.tolist() == [["Tan", "F"]]
    rejects = pd.read_excel(result.out_dir / "rejects.xlsx", dtype=str)
    assert rejects[["source_row", "Voornaam"]].values.tolist() == [["1", "Kim"]]
    wizard = pd.read_csv(result.out_dir / "afas-profit" / "afas-profit.csv", dtype=str, sep=None,
                         engine="python", encoding="utf-8-sig", keep_default_na=False)
    assert wizard["Achternaam (Persoon)"].tolist() == ["Tan"]
    assert wizard["Geslacht (Persoon)"].tolist() == ["V"]
    assert result.manifest["counts"]["status"]["rejected"] == 1


def test_no_gender_column_refuses_a_new_person_for_afas_but_not_elsewhere(small, tmp_path):
    rows = [[*NEW_ORG, "Kim", "Le"]]
    _, out = _run(small, tmp_path / "afas", rows, target="afas-profit")
    assert out.at[1, "status"] == "rejected" and "Geslacht (Persoon)" in out.at[1, "reason"]
    result, out = _run(small, tmp_path / "plain", rows)  # the workbench's own files need none
    assert (out.at[1, "status"], out.at[1, "person_action"]) == ("accepted", "insert")
    persons = _read(result.out_dir / "persons_insert.csv")
    assert persons[["first_name", "gender"]].values.tolist() == [["Kim", ""]]  # never guessed


# --- 3. create new if not found, per entity ------------------------------------------------------

def test_persons_not_created_when_switched_off_for_persons(small, tmp_path):
    rows = [[*KNOWN_ORG, "Kim", "Nieuwland"], [*NEW_ORG, "Minh", "Tran"],
            ["", "", "", "", "Els", "Mulder"]]
    result, out = _run(small, tmp_path, rows,
                       actions={"create_new": {"organisations": True, "persons": False}})
    reason = "person not in the CRM and create_new is off for persons"
    assert out["reason"].tolist() == [reason] * 3
    assert out["status"].tolist() == ["accepted", "accepted", "skipped"]
    assert out["person_action"].tolist() == ["none"] * 3 and out["person_id"].eq("").all()
    assert _read(result.out_dir / "persons_insert.csv").empty
    assert _read(result.out_dir / "organisations_insert.csv")["name"].tolist() == [
        "Nguyen Bloemen"]
    held = result.manifest["counts"]["held_back"]
    assert (held["persons_not_created"], held["organisations_not_created"]) == (3, 0)
    # the run's summary (CLI, notebooks, report) says the same
    assert (result.summary.person_not_created, result.summary.org_not_created) == (3, 0)


def test_organisations_not_created_when_switched_off_for_organisations(small, tmp_path):
    rows = [[*NEW_ORG, "Minh", "Tran"], ["", "", "", "", "Els", "Mulder"]]
    result, out = _run(small, tmp_path, rows,
                       actions={"create_new": {"organisations": False}})
    assert (out.at[1, "status"], out.at[1, "reason"]) == (
        "skipped", "organisation not in the CRM and create_new is off for organisations")
    assert (out.at[2, "status"], out.at[2, "person_action"]) == ("accepted", "insert")
    assert _read(result.out_dir / "persons_insert.csv")["last_name"].tolist() == ["Mulder"]
    assert result.manifest["counts"]["held_back"]["organisations_not_created"] == 1
    assert result.manifest["definition"]["actions"]["create_new"] == {"organisations": False}


def test_create_new_per_entity_is_checked():
    with pytest.raises(DefinitionError) as exc:
        definition_from_dict({"actions": {"create_new": {"persoons": False, "organisations": 1}}})
    message = str(exc.value)
    assert "unknown entity 'persoons'; did you mean 'persons'?" in message
    assert "actions.create_new.organisations: expected true or false" in message
    assert definition_from_dict({"actions": {"create_new": False}}).creates("persons") is False


# --- 4. new versus new + mutation: an existing record left alone says why -------------------------

def test_existing_records_unchanged_with_a_reason(small, tmp_path):
    rows = [[*KNOWN_ORG, "Kim", "Nieuwland"], [*NEW_ORG, "Minh", "Tran"]]
    result, out = _run(small, tmp_path, rows, actions={"update_existing": False})
    assert (out.at[1, "status"], out.at[1, "org_action"], out.at[1, "org_id"]) == (
        "accepted", "unchanged", "ORG-2")
    assert out.at[1, "reason"] == ("organisation exists in the CRM (ORG-2); update_existing is "
                                   "off, so it is not changed")
    assert out.at[2, "reason"] == "" and out.at[2, "org_action"] == "insert"
    assert result.manifest["counts"]["held_back"]["organisations_not_updated"] == 1
    assert result.summary.org_not_updated == 1
    assert "not changed: update_existing is off 1" in "\n".join(result.summary.lines())


def test_mapping_screen_keeps_a_per_entity_create_new():
    from workbench.mapping import definition_from_state

    base = definition_from_dict({"actions": {"create_new": {"persons": False}}})
    assert definition_from_state(base, {"create_new": True}).create_new == {"persons": False}
    assert definition_from_state(base, {"create_new": False}).create_new is False
