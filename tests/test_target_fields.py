"""Fields only the target CRM has (AFAS's Voorkeursmedium, Autorisatierol) filled by the
definition's fixed values and defaults, and the contact that takes its organisation's address
(AFAS manual 000, step 11): through `workbench run --target afas-profit`, files read back."""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
import yaml
from small_crm import HEADER, INCOMING, make_small

from workbench.cli import main
from workbench.crm import parse_layout
from workbench.definition import definition_from_dict, load_definition, suggest_definition
from workbench.errors import DefinitionError, WorkbenchError

GENDERS = ["V", "M", "M", "V", "V", "M"]


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("target_fields")
    rows = [[*r, g] for r, g in zip(INCOMING, GENDERS, strict=True)]
    return {"root": root, **make_small(root, rows, [*HEADER, "Geslacht"])}


def _definition(tmp_path: Path, **settings) -> Path:
    """The suggested definition of the small list with ``settings`` on top, saved as YAML."""
    data = suggest_definition([*HEADER, "Geslacht"]).to_dict()
    for key, value in settings.items():
        section, _, name = key.rpartition(".")
        (data.setdefault(section, {}) if section else data)[name] = value
    path = tmp_path / "def.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _run(small: dict, tmp_path: Path, definition: Path, target: str = "afas-profit") -> int:
    return main(["run", str(small["input"]), "--crm", str(small["crm"]), "--out",
                 str(tmp_path / "out"), "--definition", str(definition), "--target", target,
                 "--state", str(tmp_path / "state.duckdb"), "--quiet"])


def _afas(tmp_path: Path) -> list[dict]:
    with (tmp_path / "out" / "afas-profit" / "afas-profit.csv").open(
            encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _canonical(tmp_path: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(tmp_path / "out" / f"{name}.csv", dtype=str, encoding="utf-8-sig",
                       keep_default_na=False)


def test_fixed_and_default_target_fields_on_their_rows(small, tmp_path):
    definition = _definition(tmp_path, fixed={"person_preferred_medium": "tel",
                                              "Voorkeursmedium (Organisatie)": "TEL",
                                              "org_country": "NL"},
                             defaults={"Autorisatierol (Contact)": "Medewerker"})
    assert _run(small, tmp_path, definition) == 0
    rows = _afas(tmp_path)
    persons = [r for r in rows if r["Nummer (Persoon)"].startswith("NEW-")]
    org_only = [r for r in rows if not r["Nummer (Persoon)"]]
    assert persons and org_only
    # the code as the layout writes it, on every new person, never on an organisation's own row
    assert {r["Voorkeursmedium (Persoon)"] for r in persons} == {"TEL"}
    assert {r["Voorkeursmedium (Persoon)"] for r in org_only} == {""}
    assert {r["Autorisatierol (Contact)"] for r in persons} == {"Medewerker"}
    assert "Autorisatierol (Contact)" in rows[0] and "Zoeknaam (Persoon)" not in rows[0]
    # an update offers the fixed value too (the wizard's "vaste waarde"): ORG-2 gets a phone;
    # a record only named for a link gets nothing (ORG-1 and PER-2 beside Anna's new job title)
    org2 = next(r for r in rows if r["Nummer (Organisatie)"] == "ORG-2")
    assert org2["Voorkeursmedium (Organisatie)"] == "TEL" and not org2["Naam (Organisatie)"]
    anna = next(r for r in rows if r["Nummer (Persoon)"] == "PER-2")
    assert anna["Functie (Contact)"] == "Planner"
    assert anna["Voorkeursmedium (Persoon)"] == anna["Voorkeursmedium (Organisatie)"] == ""
    assert anna["Autorisatierol (Contact)"] == ""  # a default: new contacts only
    # the canonical files know nothing of the target's own fields
    assert "Voorkeursmedium (Persoon)" not in _canonical(tmp_path, "persons_insert").columns


def test_a_field_the_definition_declares_with_its_own_codes(small, tmp_path):
    definition = _definition(tmp_path, extra_fields={
        "Zoeknaam (Persoon)": "person",
        "Voorkeursmedium (Persoon)": {"entity": "person", "codes": ["TEL", "EMA"]}},
        fixed={"Voorkeursmedium (Persoon)": "EMA", "Zoeknaam (Persoon)": "BEURS"})
    assert _run(small, tmp_path, definition) == 0
    persons = [r for r in _afas(tmp_path) if r["Nummer (Persoon)"].startswith("NEW-")]
    assert {(r["Voorkeursmedium (Persoon)"], r["Zoeknaam (Persoon)"]) for r in persons} == {
        ("EMA", "BEURS")}
    assert load_definition(tmp_path / "out" / "definition.yml").extra_fields[
        "Zoeknaam (Persoon)"] == {"entity": "person"}


BAD = [
    ({"fixed": {"person_preferred_medium": "FAX"}}, "afas-profit",
     ["fixed.person_preferred_medium", "'FAX'", "TEL"]),
    ({"defaults": {"Voorkeursmedium (Persoon)": "BRIEF"}}, "afas-profit",
     ["defaults.Voorkeursmedium (Persoon)", "'BRIEF'"]),
    ({"fixed": {"Voorkeursmedum (Persoon)": "TEL"}}, "afas-profit",
     ["did you mean 'Voorkeursmedium (Persoon)'?"]),
    ({"fixed": {"person_preferred_medium": "TEL"}}, "superoffice",
     ["'person_preferred_medium' is not a field of superoffice"]),
    ({"extra_fields": {"Land (Persoon)": "person"}}, "afas-profit",
     ["'Land (Persoon)' is already a column of afas-profit"]),
    ({"actions.contact_address_from_organisation": False, "actions.inherit": ["address"]},
     "afas-profit", ["contact_address_from_organisation", "keep one of them"]),
]


@pytest.mark.parametrize(("settings", "target", "expected"), BAD,
                         ids=["bad code", "bad default code", "misspelt field",
                              "other target", "a layout column", "contradiction"])
def test_a_bad_target_field_is_a_definition_error(small, tmp_path, capsys, settings, target,
                                                  expected):
    definition = _definition(tmp_path, **settings)
    assert _run(small, tmp_path, definition, target) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and str(definition) in err
    for text in expected:
        assert text in err
    assert not (tmp_path / "out" / "afas-profit").exists()  # refused before anything was written


def test_a_new_contact_takes_its_organisations_address_unless_switched_off(small, tmp_path):
    assert _run(small, tmp_path / "on", _definition(tmp_path)) == 0
    contacts = _canonical(tmp_path / "on", "contacts_insert").set_index("source_row")
    visser = contacts.loc["6"]  # Bram Visser, new at the new Smit Schilders
    assert (visser["street"], visser["house_number"], visser["postcode"], visser["city"]) == (
        "Molenlaan", "3", "9711 AA", "Groningen")
    smit = next(r for r in _afas(tmp_path / "on") if r["Achternaam (Persoon)"] == "Visser")
    assert smit["Straat (Adres contact)"] == smit["Straat (Adres organisatie)"] == "Molenlaan"
    assert smit["Postcode (Adres contact)"] == "9711 AA"

    off = _definition(tmp_path, **{"actions.contact_address_from_organisation": False})
    assert _run(small, tmp_path / "off", off) == 0
    contacts = _canonical(tmp_path / "off", "contacts_insert")
    assert len(contacts) and (contacts[["street", "postcode"]] == "").all().all()
    visser = next(r for r in _afas(tmp_path / "off") if r["Achternaam (Persoon)"] == "Visser")
    assert visser["Straat (Adres contact)"] == "" and visser["Straat (Adres organisatie)"]


def test_the_switch_and_extra_fields_save_only_when_set():
    plain = suggest_definition(HEADER).to_dict()
    assert "extra_fields" not in plain
    assert "contact_address_from_organisation" not in plain["actions"]
    off = definition_from_dict({"actions": {"contact_address_from_organisation": False}})
    assert off.to_dict()["actions"]["contact_address_from_organisation"] is False


def test_definition_and_layout_refuse_malformed_declarations():
    with pytest.raises(DefinitionError, match="extra_fields.Zoeknaam.entity"):
        definition_from_dict({"extra_fields": {"Zoeknaam": "persoon"}})
    with pytest.raises(DefinitionError, match="org_contry"):
        definition_from_dict({"fixed": {"org_contry": "NL"}})
    layout = {"name": "x", "system": "X", "intake": {"organisations": {
        "files": ["o"], "columns": {"org_id": "Nr"}}}, "output": {
        "shape": "org_with_person", "formats": ["csv"], "columns": {"Naam": "org.name"},
        "extra_fields": {"Medium": {"entity": "person", "code": ["TEL"]}}}}
    with pytest.raises(WorkbenchError, match="output.extra_fields.Medium: unknown key 'code'"):
        parse_layout(layout, "x.yml")
