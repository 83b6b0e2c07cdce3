"""The screens' sentences in Dutch (``language: nl``) and, by default, in the English they always had:
the profile's warnings and reasons, the mapping screen's problems, the change-set counts and the
run summary."""
from __future__ import annotations

import html
import string
from dataclasses import fields, replace

import pandas as pd
import pytest

from workbench.definition import suggest_definition
from workbench.labels import MESSAGES, label, number
from workbench.mapping import definition_for_list, load_named, mapping_problems, required_fields
from workbench.profile import profile_frame
from workbench.profile.checks import verdicts
from workbench.review import counts_html
from workbench.screen_sentences import COUNTS_NL, SCREEN_SENTENCES
from workbench.summary import COUNTS, RunSummary
from workbench.validate import USABLE_ADDRESS_TEXT


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(SCREEN_SENTENCES))
def test_every_sentence_has_both_languages_with_the_same_placeholders(key):
    texts = SCREEN_SENTENCES[key]
    assert set(texts) == {"en", "nl"} and texts["nl"].strip()
    assert _placeholders(texts["en"]) == _placeholders(texts["nl"]), key
    assert MESSAGES[key] is texts  # read through the one catalogue, labels.label


def test_every_count_of_a_run_has_its_dutch_words():
    assert list(COUNTS_NL) == [name for name, *_ in COUNTS]
    assert all(what and means for what, means in COUNTS_NL.values())


def test_the_address_rule_is_said_as_validate_says_it():
    assert label("required.new_org_address") == \
        f"a new organisation needs an address: {USABLE_ADDRESS_TEXT}"


def test_dutch_numbers_group_thousands_with_a_dot():
    assert number(1234567, "nl") == "1.234.567" and number(1234567) == "1,234,567"


# -- the profile -------------------------------------------------------------------------------
def _list() -> pd.DataFrame:
    rows = [["Bakkerij Jansen", "06 12345678", "Jansen", ""],
            ["Bakkerij Jansen", "020 123 4567", "de Vries", ""],
            ["Smit & Zn", "06 87654321", "Sm1t", ""],
            ["", "", "", ""],
            ["Smit & Zn", "06 11112222", "Bakker", ""]]
    frame = pd.DataFrame(rows, columns=["Naam", "Mobiel", "Achternaam", "Leeg"], dtype=object)
    frame = frame.replace("", None)
    frame.insert(0, "source_row", range(1, len(rows) + 1))
    return frame


ENGLISH_WARNINGS = [
    "1 blank row(s); they are kept with their source_row and skipped.",
    "Column 'Mobiel' (mobile number): 1 invalid value(s), e.g. '020 123 4567' is a landline "
    "number (the column holds mobile numbers).",
    "Column 'Achternaam' (last name): 1 invalid value(s), e.g. 'Sm1t' has characters a name does "
    "not have (only letters, spaces, - ' .).",
    "Column 'Leeg' is empty.",
]


def test_profile_warnings_are_english_by_default_as_before():
    profile = profile_frame(_list())
    assert profile["warnings"] == ENGLISH_WARNINGS
    assert profile_frame(_list(), lang="en")["warnings"] == ENGLISH_WARNINGS


def test_profile_warnings_and_reasons_in_dutch():
    profile = profile_frame(_list(), lang="nl")
    assert profile["warnings"] == [
        "1 lege rij(en); ze houden hun source_row en worden overgeslagen.",
        "Kolom 'Mobiel' (mobiel nummer): 1 ongeldige waarde(n), bijvoorbeeld '020 123 4567' is "
        "een vast nummer (de kolom bevat mobiele nummers).",
        "Kolom 'Achternaam' (achternaam): 1 ongeldige waarde(n), bijvoorbeeld 'Sm1t' bevat tekens "
        "die niet in een naam horen (alleen letters, spaties, - ' .).",
        "Kolom 'Leeg' is leeg.",
    ]
    column = {c["name"]: c for c in profile["columns"]}["Achternaam"]
    assert column["invalid_reasons"] == [
        "'Sm1t' bevat tekens die niet in een naam horen (alleen letters, spaties, - ' .)"]


@pytest.mark.parametrize(("meaning", "value", "english", "dutch"), [
    ("mobile", "0201234567", "is a landline number", "is een vast nummer"),
    ("legal_form", "Firma", "is not a legal form", "is geen rechtsvorm"),
    ("name_prefix", "vn", "is not a surname prefix", "is geen tussenvoegsel"),
    ("first_name", "J4n", "has characters a name does not have", "bevat tekens die niet"),
    ("organisation_name", " ", "stands for no value", "betekent: geen waarde"),
])
def test_each_reason_of_the_profile_in_both_languages(meaning, value, english, dutch):
    severity, reasons = verdicts(meaning, [value])
    assert severity[0] == "error" and english in reasons[0]
    severity_nl, reasons_nl = verdicts(meaning, [value], "nl")
    assert severity_nl[0] == "error" and dutch in reasons_nl[0]


def test_profile_table_in_dutch_and_as_before():
    from workbench.profile import profile_table

    profile = profile_frame(_list(), lang="nl")
    assert list(profile_table(profile).columns)[:3] == ["column", "meaning", "confidence"]
    dutch = profile_table(profile, "nl")
    assert list(dutch.columns)[:3] == ["kolom", "betekenis", "betrouwbaarheid"]
    assert dutch.set_index("kolom").loc["Mobiel", "betekenis"] == "mobiel nummer"


def test_profile_page_in_dutch(tmp_path):
    from workbench.profile import render_html, warnings_html

    profile = profile_frame(_list(), lang="nl")
    page = render_html(profile, "nl")
    assert '<html lang="nl">' in page and html.escape("Kolom 'Leeg' is leeg.") in page
    assert "hoe vaak elk patroon voorkomt" in page and "pattern frequencies" not in page
    assert warnings_html(profile, "nl").startswith("<b>Waarschuwingen</b><ul><li>1 lege rij")
    assert warnings_html({"warnings": []}, "nl") == "Geen waarschuwingen."
    assert warnings_html({"warnings": []}) == "No warnings."


# -- the mapping screen ------------------------------------------------------------------------
HEADERS = ["Bedrijfsnaam", "Adres", "Straat", "Postcode", "Plaats", "Achternaam", "E-mail"]


def _troubled_definition():
    base = suggest_definition(HEADERS)
    columns = {**base.columns, "org_address_line": "Adres", "org_city": "Bedrijfsnaam",
               "contact_job_title": "Functie"}
    columns.pop("person_last_name", None)
    return replace(base, columns=columns, org_keys=("kvk", "fuzzy"),
                   person_keys=("always_new", "email"))


def test_mapping_problems_english_as_before():
    messages = [p.message for p in mapping_problems(_troubled_definition(), HEADERS)]
    assert "Job title: the file has no column 'Functie'" in messages
    assert "Last name is required (persons are imported) but not mapped" in messages
    assert ("KvK number is required (organisation key: KvK number) but not mapped: that key "
            "finds nothing") in messages
    assert "column 'Bedrijfsnaam' is mapped to Organisation name, City" in messages
    assert "both an address line and a street are mapped: the street column wins" in messages
    assert "person key 'always new' makes the other person keys unused" in messages


def test_mapping_problems_in_dutch():
    definition = _troubled_definition()
    english = mapping_problems(definition, HEADERS)
    dutch = mapping_problems(definition, HEADERS, "nl")
    # the same problems, in the same order and severity: only the words differ
    assert [(p.target, p.severity) for p in dutch] == [(p.target, p.severity) for p in english]
    messages = [p.message for p in dutch]
    assert "Functie: het bestand heeft geen kolom 'Functie'" in messages
    assert ("Achternaam is verplicht (er worden personen geïmporteerd) maar aan geen kolom "
            "gekoppeld") in messages
    assert ("KvK-nummer is verplicht (sleutel organisatie: KvK-nummer) maar aan geen kolom "
            "gekoppeld: die sleutel vindt niets") in messages
    assert "kolom 'Bedrijfsnaam' is gekoppeld aan Organisatienaam, Plaats" in messages
    assert ("zowel een adresregel als een straat is gekoppeld: de kolom met de straat gaat "
            "voor") in messages
    assert "persoonssleutel 'altijd nieuw' maakt de andere persoonssleutels overbodig" in messages
    assert required_fields(definition, "nl")["person_last_name"] == \
        "er worden personen geïmporteerd"
    assert required_fields(definition)["person_last_name"] == "persons are imported"


def test_which_definition_and_loading_in_dutch(tmp_path):
    from workbench.mapping import save_named

    _, said = definition_for_list(tmp_path / "leads.xlsx", tmp_path / "defs", lang="nl")
    assert said.startswith("Definitie: voor deze lijst is er nog geen opgeslagen")
    _, said = definition_for_list(tmp_path / "leads.xlsx", tmp_path / "defs")
    assert said.startswith("Definition: none saved for this list")
    save_named(suggest_definition(HEADERS), tmp_path / "defs", "leads")
    _, messages = load_named(tmp_path / "defs", "leads", [*HEADERS[1:], "Nieuw"], "nl")
    assert messages == [
        "ontbreekt in dit bestand, koppeling vervallen: 'Bedrijfsnaam' (Organisatienaam)",
        "nieuw in dit bestand, niet gekoppeld: 'Adres', 'Nieuw'"]


# -- the counts ---------------------------------------------------------------------------------
COUNTS_OF_A_PREVIEW = {"org_action": {"insert": 3, "update": 1},
                       "person_action": {"insert": 2}, "contact_action": {},
                       "status": {"accepted": 5, "rejected": 1}}


def test_change_set_counts_in_english_as_before_and_in_dutch():
    english = counts_html(COUNTS_OF_A_PREVIEW)
    assert english.startswith("<table><tr><th></th><th>insert</th><th>update</th>"
                              "<th>unchanged</th><th>none</th></tr><tr><th>org</th>")
    assert english.endswith("<small>rows accepted: 5 · in_file_duplicate: 0 · skipped: 0 · "
                            "rejected: 1</small>")
    dutch = counts_html(COUNTS_OF_A_PREVIEW, "nl")
    assert "<th>nieuw</th><th>bijwerken</th><th>ongewijzigd</th><th>geen</th>" in dutch
    assert "<th>organisatie</th><td class='wb-count-org-insert'>3</td>" in dutch
    assert dutch.endswith("<small>rijen geaccepteerd: 5 · dubbel in het bestand: 0 · "
                          "overgeslagen: 0 · afgewezen: 1</small>")


def test_run_summary_in_dutch_keeps_its_counts():
    summary = RunSummary(**{f.name: i for i, f in enumerate(fields(RunSummary))})
    english = summary.to_html()
    assert summary._repr_html_() == english == summary.in_language(None)._repr_html_()
    assert "<th>section</th><th>what</th><th>count</th><th>what it counts</th>" in english
    dutch = summary.in_language("nl")._repr_html_()
    assert "<th>onderdeel</th><th>wat</th><th>aantal</th><th>wat het telt</th>" in dutch
    assert ("data-count='rows_rejected'><td>rijen</td><td>afgewezen</td>"
            "<td style='text-align:right'>5</td>") in dutch
    assert summary.frame("nl")["count"].tolist() == summary.frame()["count"].tolist()
    assert summary.in_language("nl").lines()[0].startswith("  rijen:         rijen gelezen 0, ")
    assert summary.lines() == summary.in_language("en").lines()


def test_threshold_sliders_in_dutch():
    from workbench.bands import PairScores, band_counts
    from workbench.definition import Thresholds
    from workbench.widgets.thresholds import ThresholdsWidget

    english = ThresholdsWidget(Thresholds(0.8, 0.3))
    assert english.match.description == "same record from"
    assert english.meaning.value.startswith("Pair counts need the CRM snapshot")
    dutch = ThresholdsWidget(Thresholds(0.8, 0.3), language="nl")
    assert dutch.match.description == "zelfde record vanaf"
    assert "Trefpercentage" in dutch.view.children[0].value
    assert dutch.meaning.value.startswith("Voor het tellen van paren is de momentopname")
    import numpy as np

    scores = PairScores({"crm_organisation": np.array([0.1, 0.5, 0.9])}, 2)
    counts = band_counts(scores, Thresholds(0.8, 0.3))
    assert counts.sentence(Thresholds(0.8, 0.3)) == \
        "At 80% / 30%: 1 pairs taken as the same record, 1 for review, 3 different."
    assert counts.sentence(Thresholds(0.8, 0.3), "nl") == \
        "Bij 80% / 30%: 1 paren gelden als hetzelfde record, 1 ter beoordeling, 3 verschillend."
    dutch.scores = scores
    dutch.explain()
    assert "organisatie tegen het CRM: 1 dezelfde, 1 beoordelen, 1 verschillend" in \
        dutch.meaning.value
