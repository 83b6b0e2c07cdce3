"""Import definitions: suggestion from headers, YAML round trip, every problem reported at once."""
from __future__ import annotations

import pytest

from workbench.definition import (
    Definition,
    Thresholds,
    check_against_headers,
    definition_from_dict,
    load_definition,
    suggest_columns,
    suggest_definition,
)
from workbench.errors import DefinitionError

HEADER_CASES = [
    {"description": "Dutch purchased list",
     "input": ["Bedrijfsnaam", "KvK-nummer", "Adres", "Postcode", "Plaats", "Telefoon", "E-mail",
               "Website", "Aanhef", "Voorletters", "Voornaam", "Tussenvoegsel", "Achternaam",
               "Functie", "E-mail contactpersoon", "Mobiel"],
     "expected": {"org_name": "Bedrijfsnaam", "org_kvk_number": "KvK-nummer",
                  "org_address_line": "Adres", "org_postcode": "Postcode", "org_city": "Plaats",
                  "org_phone": "Telefoon", "org_email": "E-mail", "org_website": "Website",
                  "person_salutation": "Aanhef", "person_initials": "Voorletters",
                  "person_first_name": "Voornaam", "person_name_prefix": "Tussenvoegsel",
                  "person_last_name": "Achternaam", "contact_job_title": "Functie",
                  "contact_email": "E-mail contactpersoon", "contact_mobile": "Mobiel"}},
    {"description": "English export with separate street columns",
     "input": ["Company", "Street", "House number", "Zip code", "City", "Last name",
               "First Name", "Job title"],
     "expected": {"org_name": "Company", "org_street": "Street", "org_house_number": "House number",
                  "org_postcode": "Zip code", "org_city": "City", "person_last_name": "Last name",
                  "person_first_name": "First Name", "contact_job_title": "Job title"}},
    {"description": "near spellings and an unknown column",
     "input": ["Organisatie", "Post code", "Woonplaats", "Opmerkingen"],
     "expected": {"org_name": "Organisatie", "org_postcode": "Post code", "org_city": "Woonplaats"}},
]


@pytest.mark.parametrize("case", HEADER_CASES, ids=[c["description"] for c in HEADER_CASES])
def test_suggest_columns_from_headers(case):
    assert suggest_columns(case["input"]) == case["expected"]


def test_meanings_fill_columns_the_headers_do_not_name():
    got = suggest_columns(["Kolom A", "Kolom B"], {"Kolom A": "postcode", "Kolom B": "email"})
    assert got == {"org_postcode": "Kolom A", "contact_email": "Kolom B"}


def test_suggest_definition_defaults_country_only_when_no_column():
    assert suggest_definition(["Bedrijfsnaam"]).defaults == {"org_country": "NL"}
    assert suggest_definition(["Bedrijfsnaam", "Land"]).defaults == {}


def test_yaml_round_trip(tmp_path):
    original = Definition(name="beurs", columns={"org_name": "Bedrijf"}, fixed={"org_country": "NL"},
                          org_keys=("kvk", "address", "fuzzy"), thresholds=Thresholds(0.8, 0.4),
                          update_policy="overwrite", field_policies={"org_phone": "leave"},
                          create_new=False, defaults={"org_country": "NL"},
                          inherit=("address",), erase_when_empty=("org_phone",),
                          export_headers={"organisations.name": "Naam"})
    path = original.save(tmp_path / "beurs.yml")
    assert load_definition(path) == original


def test_every_problem_is_reported_together(tmp_path):
    path = tmp_path / "bad.yml"
    path.write_text("columns:\n  org_naam: Bedrijf\nmatch:\n  organisation: [kvk, telepathy]\n"
                    "actions:\n  update_policy: sometimes\n", encoding="utf-8")
    with pytest.raises(DefinitionError) as exc:
        load_definition(path)
    text = str(exc.value)
    assert "org_naam" in text and "telepathy" in text and "sometimes" in text
    assert str(path) in text
    assert len(exc.value.problems) == 3


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / "broken.yml"
    path.write_text("columns:\n  org_name: [unclosed\n", encoding="utf-8")
    with pytest.raises(DefinitionError, match="line"):
        load_definition(path)


def test_thresholds_must_be_ordered():
    with pytest.raises(DefinitionError, match="review <= match"):
        definition_from_dict({"match": {"thresholds": {"match": 0.3, "review": 0.8}}})


def test_missing_columns_named_with_the_files_headers():
    definition = Definition(columns={"org_name": "Bedrijfsnaam", "org_city": "Plaats"})
    with pytest.raises(DefinitionError) as exc:
        check_against_headers(definition, ["Bedrijfsnaam", "Stad"], "lijst.csv")
    assert "'Plaats'" in str(exc.value) and "Stad" in str(exc.value)
    assert check_against_headers(definition, ["Bedrijfsnaam", "Plaats", "Notitie"]) == ["Notitie"]


CONTACT_EXPORTS = [
    {"description": "Outlook CSV", "input": "outlook.csv",
     "expected": {"person_first_name": "First Name", "person_last_name": "Last Name",
                  "org_name": "Company", "contact_job_title": "Job Title",
                  "org_postcode": "Business Postal Code", "contact_mobile": "Mobile Phone"}},
    {"description": "vCard", "input": "contacts.vcf", "expected": {}},
]


@pytest.mark.parametrize("case", CONTACT_EXPORTS, ids=[c["description"] for c in CONTACT_EXPORTS])
def test_contact_exports_map_by_their_fixed_headers(case):
    from pathlib import Path

    from workbench.pipeline import choose_definition, read_input
    from workbench.read.contacts import contact_export_columns

    path = Path(__file__).parent / "data" / "good" / case["input"]
    raw = read_input(path)
    definition = choose_definition(raw)
    expected = case["expected"] or contact_export_columns(
        [c for c in raw.columns if c != "source_row"], "vcard")
    assert expected, "the export maps at least some columns"
    for target, header in expected.items():
        assert definition.columns.get(target) == header, target


def test_the_header_vocabulary_has_one_home():
    from workbench import fields
    from workbench.profile import meanings as profile
    from workbench.read import contacts as read_contacts

    assert read_contacts.OUTLOOK_COLUMNS is fields.OUTLOOK_COLUMNS
    assert read_contacts.GOOGLE_COLUMNS is fields.GOOGLE_COLUMNS
    assert read_contacts.VCARD_FIELDS is fields.VCARD_FIELDS
    assert profile.header_meanings is fields.header_meanings
    named = [*fields.MEANING_TARGET.values(), *fields.OUTLOOK_COLUMNS, *fields.GOOGLE_COLUMNS,
             *fields.VCARD_FIELDS.values(), *fields.HEADER_TARGETS.values()]
    assert set(named) <= set(fields.TARGET_BY_NAME)
    meanings = set(profile.PRIORITY)
    assert set(fields.MEANING_TARGET) <= meanings
    assert set(fields.MEANING_HEADER_WORDS) <= meanings


def test_header_meanings_match_whole_short_words_and_parts_of_long_ones():
    from workbench.fields import header_meanings

    assert header_meanings("Tel") == {"phone"}
    assert header_meanings("Titel") == {"salutation"}  # "tel" is short: not a part match
    assert header_meanings("Vestigingsplaats") == {"city"}
