"""The sentences of the output files in the analyst's language: problems.csv, rejects and the row
outcomes say in Dutch what they say in English, and English stays as it was."""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from workbench.definition import suggest_definition
from workbench.labels import LANGUAGES
from workbench.messages import placeholders, say, sentence, speaking, spoken_language
from workbench.output_sentences import SENTENCES
from workbench.pipeline import RunSettings, run
from workbench.standardise import (
    birth_date,
    city,
    email,
    initials,
    kvk_number,
    phone,
    postcode,
    split_address,
    website,
)

# --- the catalogue ---------------------------------------------------------------------------


def test_every_sentence_has_both_languages_with_the_same_placeholders():
    for key, texts in SENTENCES.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(texts[lang].strip() for lang in LANGUAGES), key
        assert placeholders(texts["en"]) == placeholders(texts["nl"]), key


def test_the_language_holds_inside_speaking_only():
    assert spoken_language() == "en"
    with speaking("nl"):
        assert say("outcome.blank_row") == "lege rij"
        with speaking("en"):
            assert say("outcome.blank_row") == "blank row"
        assert spoken_language() == "nl"
    assert say("outcome.blank_row") == "blank row"
    with speaking("xx"):  # an unknown language speaks the default
        assert say("outcome.blank_row") == "blank row"
    assert sentence("reject.no_name", "nl") == "geen organisatienaam en geen achternaam"


# --- the standardisers, value by value ---------------------------------------------------------

CASES = [
    # (standardiser, value, English as it always was, Dutch)
    (postcode, "1234 A", "postcode '1234 A' is not a Dutch postcode (expected 1234 AB); it has "
     "four digits and one letter",
     "postcode '1234 A' heeft niet de vorm 1234 AB van een Nederlandse postcode; hij heeft vier "
     "cijfers en één letter"),
    (postcode, "1234 SS", "postcode '1234 SS' uses letters SS, which are never issued",
     "postcode '1234 SS' heeft de letters SS, die nooit worden uitgegeven"),
    (kvk_number, "1234567", "KvK number '1234567' has 7 digits: leading zero restored",
     "KvK-nummer '1234567' heeft 7 cijfers: voorloopnul hersteld"),
    (kvk_number, "12AB", "KvK number '12AB' contains characters other than digits",
     "KvK-nummer '12AB' bevat andere tekens dan cijfers"),
    (email, "jan@@example.nl", "e-mail 'jan@@example.nl' is not an e-mail address",
     "e-mail 'jan@@example.nl' is geen e-mailadres"),
    (email, "jan@gmial.com", "e-mail 'jan@gmial.com' has domain gmial.com: a typo for gmail.com?",
     "e-mail 'jan@gmial.com' heeft domein gmial.com: een tikfout voor gmail.com?"),
    (phone, "12", "phone '12' is not a valid phone number",
     "telefoon '12' is geen geldig telefoonnummer"),
    (city, "3511 AB", "city '3511 AB' contains a postcode or number, not a place name",
     "plaats '3511 AB' bevat een postcode of nummer, geen plaatsnaam"),
    (split_address, "Dorpsstraat", "address 'Dorpsstraat' has no house number",
     "adres 'Dorpsstraat' heeft geen huisnummer"),
    (initials, "J2", "initials 'J2' contain digits", "voorletters 'J2' bevatten cijfers"),
    (website, "jan@example.nl", "website 'jan@example.nl' looks like an e-mail address",
     "website 'jan@example.nl' lijkt een e-mailadres"),
    (birth_date, "31-02-1980", "birth date '31-02-1980' does not exist (read as dd-mm-yyyy)",
     "geboortedatum '31-02-1980' bestaat niet (gelezen als dd-mm-yyyy)"),
]


@pytest.mark.parametrize(("standardise", "value", "english", "dutch"), CASES,
                         ids=[f"{c[0].__name__}:{c[1]}" for c in CASES])
def test_a_problem_is_said_in_the_runs_language(standardise, value, english, dutch):
    s = pd.Series([value], dtype=object)
    assert standardise(s)["problem"].iloc[0] == english
    with speaking("nl"):
        assert standardise(s)["problem"].iloc[0] == dutch


# --- a whole run on a real CSV against a real snapshot -----------------------------------------

HEADERS = ["Bedrijfsnaam", "KvK-nummer", "Adres", "Postcode", "Plaats", "Telefoon", "E-mail",
           "Voornaam", "Achternaam"]
ROWS = [  # a few typical bad values, one a row, on an otherwise loadable row
    ["Bakkerij Visser", "12AB", "Dorpsstraat 1", "1234 A", "Utrecht", "030-1234567",
     "info@visser.nl", "Jan", "Visser"],
    ["Smederij Bos", "", "Kerkweg 2", "3511 AB", "Utrecht", "12", "jan@@bos.nl", "Piet", "Bos"],
    ["", "", "", "", "", "", "", "Klaas", ""],               # no name at all
    ["B.V.", "", "Laan 3", "3511 AB", "Utrecht", "", "", "", ""],  # a legal form only
    ["Garage Smit", "", "", "", "", "", "", "", ""],         # a new organisation, no address
]
# English words a Dutch sentence never holds (the quoted values are taken out first; "is" and
# "of" are Dutch words too)
ENGLISH = re.compile(r"\b(not|the|has|have|and|no|a|needs|contains|expected|with|which|does|"
                     r"cannot|should|kept|given|name|number|row|may|same)\b", re.IGNORECASE)


def _run(demo_dir: Path, tmp_path: Path, language: str, list_path: Path | None = None,
         definition=None) -> Path:
    if list_path is None:
        list_path = tmp_path / "list.csv"
        pd.DataFrame(ROWS, columns=HEADERS).to_csv(list_path, index=False, sep=";")
        definition = suggest_definition(HEADERS)
    path = tmp_path / f"definition-{language}.yml"
    path.write_text(replace(definition, language=language).to_yaml(), encoding="utf-8")
    out = tmp_path / f"out-{language}"
    run(RunSettings(list_path, demo_dir / "crm.duckdb", out, definition_path=path,
                    state_path=tmp_path / f"state-{language}.duckdb"))
    return out


def _problems(out: Path) -> list[str]:
    return pd.read_csv(out / "problems.csv", dtype=str, encoding="utf-8-sig")["problem"].tolist()


def _reasons(out: Path) -> list[str]:
    book = load_workbook(out / "rejects.xlsx", read_only=True)
    try:
        rows = list(book["rejects"].iter_rows(values_only=True))
    finally:
        book.close()
    at = rows[0].index("reason")
    return [str(r[at]) for r in rows[1:]]


def _outcome_reasons(out: Path) -> list[str]:
    frame = pd.read_csv(out / "row_outcomes.csv", dtype=str, encoding="utf-8-sig")
    return frame["reason"].dropna().tolist()


def _unquoted(text: str) -> str:
    return re.sub(r"'[^']*'", "''", text)


def test_a_dutch_run_writes_dutch_reasons_and_english_stays_as_it_was(demo_dir, tmp_path):
    english = _run(demo_dir, tmp_path, "en")
    dutch = _run(demo_dir, tmp_path, "nl")

    assert set(_problems(english)) >= {
        "postcode '1234 A' is not a Dutch postcode (expected 1234 AB); it has four digits and "
        "one letter",
        "KvK number '12AB' contains characters other than digits",
        "phone '12' is not a valid phone number",
        "e-mail 'jan@@bos.nl' is not an e-mail address",
        "organisation name 'B.V.' has no name besides its legal form"}
    assert set(_problems(dutch)) >= {
        "postcode '1234 A' heeft niet de vorm 1234 AB van een Nederlandse postcode; hij heeft "
        "vier cijfers en één letter",
        "KvK-nummer '12AB' bevat andere tekens dan cijfers",
        "telefoon '12' is geen geldig telefoonnummer",
        "e-mail 'jan@@bos.nl' is geen e-mailadres",
        "organisatienaam 'B.V.' heeft geen naam naast de rechtsvorm"}

    assert set(_reasons(english)) == {
        "no organisation name and no last name",
        "Organisation name: organisation name 'B.V.' has no name besides its legal form",
        "a new organisation needs a name and an address (postcode and house number, or "
        "street, house number and city)"}
    assert set(_reasons(dutch)) == {
        "geen organisatienaam en geen achternaam",
        "Organisatienaam: organisatienaam 'B.V.' heeft geen naam naast de rechtsvorm",
        "een nieuwe organisatie heeft een naam en een adres nodig (postcode en huisnummer, of "
        "straat, huisnummer en plaats)"}
    for said in _problems(dutch) + _reasons(dutch) + _outcome_reasons(dutch):
        assert not ENGLISH.search(_unquoted(said)), said
    # the row outcomes' words are the run's too, and the counts find them in either language
    assert len(_outcome_reasons(dutch)) == len(_outcome_reasons(english))


def test_a_dutch_run_of_the_demo_list_leaves_no_english_sentence(demo_dir, demo_run, tmp_path):
    from workbench.definition import load_definition

    definition = load_definition(demo_run.out_dir / "definition.yml")
    out = _run(demo_dir, tmp_path, "nl", demo_dir / "incoming.xlsx", definition)
    problems, reasons = _problems(out), _reasons(out)
    assert problems and reasons
    for said in problems + reasons:
        assert not ENGLISH.search(_unquoted(said)), said
    # the same rows are refused as in the English run, each with its reason
    assert len(reasons) == len(_reasons(demo_run.out_dir))


def test_a_new_persons_missing_field_is_named_in_the_runs_language(demo_dir, tmp_path):
    definition = replace(suggest_definition(HEADERS), target="afas-profit")
    list_path = tmp_path / "list.csv"
    pd.DataFrame(ROWS[:2], columns=HEADERS).to_csv(list_path, index=False, sep=";")
    english = _run(demo_dir, tmp_path, "en", list_path, definition)
    dutch = _run(demo_dir, tmp_path, "nl", list_path, definition)
    assert set(_reasons(english)) == {
        "a new person needs a gender for AFAS Profit (Geslacht (Persoon)): the list gives none; "
        "it is not guessed from the first name"}
    assert set(_reasons(dutch)) == {
        "een nieuwe persoon heeft een geslacht nodig voor AFAS Profit (Geslacht (Persoon)): de "
        "lijst geeft er geen; het wordt niet uit de voornaam geraden"}


def test_rows_held_back_are_counted_whatever_language_said_why():
    from workbench.changeset.outcomes import not_created, run_counts

    with speaking("nl"):
        reasons = [not_created("organisations"), say("outcome.not_updated.persons", id="P-1"),
                   say("outcome.blank_row")]
    reasons.append(sentence("outcome.not_updated.persons", "en", id="P-2"))
    outcomes = pd.DataFrame({"source_row": [1, 2, 3, 4], "status": "accepted",
                             "org_action": "none", "person_action": "none",
                             "contact_action": "none", "reason": reasons})
    assert run_counts(outcomes, {})["held_back"] == {
        "organisations_not_created": 1, "organisations_not_updated": 0,
        "persons_not_created": 0, "persons_not_updated": 2}


# --- the match explanation -----------------------------------------------------------------

def test_every_comparison_level_and_label_is_in_the_catalogue_as_it_was_in_english():
    from workbench.match.compare import org_comparisons, person_comparisons

    for comp in org_comparisons() + person_comparisons():
        assert comp.spoken_label() == comp.label
        for level, text in enumerate(comp.levels):
            assert comp.describe(level) == text  # English as the comparison says it
            with speaking("nl"):
                dutch = comp.describe(level)
                assert comp.spoken_label() != comp.label
            assert dutch != text or text.startswith("similarity"), text
            if text.startswith("similarity"):
                assert dutch == text.replace("similarity", "gelijkenis")


def _review_reasons(demo_dir: Path, demo_run, tmp_path: Path, language: str) -> list[str]:
    from workbench.definition import load_definition
    from workbench.definition.model import Thresholds

    # a match threshold no fuzzy score reaches: the demo's sure pairs wait for review
    definition = replace(load_definition(demo_run.out_dir / "definition.yml"),
                         thresholds=Thresholds(match=0.99999, review=0.3))
    out = _run(demo_dir, tmp_path, language, demo_dir / "incoming.xlsx", definition)
    pairs = pd.read_csv(out / "duplicate_pairs.csv", dtype=str, encoding="utf-8-sig")
    assert {c for c in pairs.columns if c.startswith("pts_")} >= {"pts_name", "pts_address"}
    return [r for r in _outcome_reasons(out) if r.startswith(("needs review", "te beoordelen"))]


def test_a_dutch_run_explains_its_review_in_dutch_and_english_stays(demo_dir, demo_run, tmp_path):
    english = _review_reasons(demo_dir, demo_run, tmp_path, "en")
    dutch = _review_reasons(demo_dir, demo_run, tmp_path, "nl")
    assert english and len(dutch) == len(english)
    assert any(re.search(r"\(score \d\.\d\d: name: similarity >= 0\.\d+ \([+-][\d.]+\); "
                         r"address: same address \([+-][\d.]+\)", r) for r in english), english
    assert any(re.search(r"\(score \d\.\d\d: naam: gelijkenis >= 0\.\d+ \([+-][\d.]+\); "
                         r"adres: zelfde adres \([+-][\d.]+\)", r) for r in dutch), dutch
    for said in dutch:
        assert not ENGLISH.search(_unquoted(said)), said
    # the numbers are the same in either language: only the words differ
    assert sorted(re.findall(r"[+-]?\d+\.\d+", " ".join(english))) == \
        sorted(re.findall(r"[+-]?\d+\.\d+", " ".join(dutch)))


# --- rows the reader could not fit to the header ---------------------------------------------

def test_a_row_the_reader_could_not_fit_is_rejected_in_the_runs_language(demo_dir, tmp_path):
    lines = [";".join(HEADERS), ";".join(ROWS[0]), ";".join([*ROWS[0], "extra"]),
             '"' + ";".join(ROWS[0]), ";".join(ROWS[1])]
    list_path = tmp_path / "broken.csv"
    list_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    definition = suggest_definition(HEADERS)
    width = len(HEADERS)
    english = _reasons(_run(demo_dir, tmp_path, "en", list_path, definition))
    dutch = _reasons(_run(demo_dir, tmp_path, "nl", list_path, definition))
    letter = chr(ord("A") + width)
    assert {
        f"row 3 of the file has a value in column {width + 1} ({letter}), but the header has "
        f"only {width} columns; the row was not read",
        'row 4 of the file has a quote (") in column 1 (A) that is never closed; the row was '
        "not read"} <= set(english)
    assert {
        f"rij 3 van het bestand heeft een waarde in kolom {width + 1} ({letter}), maar de "
        f"kopregel telt maar {width} kolommen; de rij is niet gelezen",
        'rij 4 van het bestand heeft een aanhalingsteken (") in kolom 1 (A) dat nergens wordt '
        "gesloten; de rij is niet gelezen"} <= set(dutch)
    assert len(english) == len(dutch)


# --- the run's summary on the terminal -------------------------------------------------------

def test_the_command_line_prints_the_runs_summary_in_the_definitions_language(demo_dir,
                                                                               tmp_path):
    import subprocess
    import sys

    from workbench.summary import RunSummary

    list_path = tmp_path / "list.csv"
    pd.DataFrame(ROWS, columns=HEADERS).to_csv(list_path, index=False, sep=";")
    printed = {}
    for language in LANGUAGES:
        path = tmp_path / f"cli-{language}.yml"
        path.write_text(replace(suggest_definition(HEADERS), language=language).to_yaml(),
                        encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "workbench.cli", "run", str(list_path), "--crm",
             str(demo_dir / "crm.duckdb"), "--out", str(tmp_path / f"cli-out-{language}"),
             "--definition", str(path), "--state", str(tmp_path / f"cli-{language}.duckdb")],
            capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        printed[language] = done.stdout
    fields = RunSummary.__dataclass_fields__
    counts = RunSummary(**dict.fromkeys(fields, 0))
    for language in LANGUAGES:  # each summary line's words as that language says them
        for line in counts.lines(language):
            assert line.split(":")[0] + ":" in printed[language], (language, line)
    assert "Pairs side by side in duplicate_report.html" in printed["en"]
    assert "Paren naast elkaar in duplicate_report.html" in printed["nl"]
    assert "Pairs side by side" not in printed["nl"]


def test_a_placeholder_may_be_called_key():
    """``say``/``sentence``/``label`` take the message key positionally, so ``{key}`` is free."""
    from workbench.labels import label

    assert "kvk_number" in say("match.tie", key="kvk_number", row=3)
    assert "kvk_number" in sentence("match.tie", "nl", key="kvk_number", row=3)
    assert "kvk_number" in label("match.tie", "en", key="kvk_number", row=3)
