"""Dutch or English: every field and screen text in the analyst's language, fields by the CRM."""
from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

import ipywidgets as w
import pandas as pd
import pytest

from workbench.definition import ORG_KEYS, PERSON_KEYS, suggest_definition
from workbench.definition.load import definition_from_dict
from workbench.fields import TARGETS
from workbench.labels import (
    FIELD_LABELS_NL,
    LANGUAGES,
    MEANING_LABELS,
    MESSAGES,
    field_label,
    label,
    transform_label,
)
from workbench.profile import MEANINGS, profile_frame, render_html
from workbench.widgets.mapping import MappingWidget

HEADERS = ["Bedrijfsnaam", "KvK", "Adres", "Postcode", "Plaats", "Achternaam", "E-mail"]
INTERNAL = {t.name for t in TARGETS} | set(ORG_KEYS) - {"name", "address"} | (
    set(PERSON_KEYS) - {"email"}) | {"left_row", "band", "fill_empty"}


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_every_field_has_a_dutch_and_an_english_label(target) -> None:
    english, dutch = field_label(target.name, "en"), field_label(target.name, "nl")
    assert english == target.label and dutch and dutch != target.name
    assert "_" not in english + dutch
    base = re.sub(r"_\d$", "", target.name)
    assert base in FIELD_LABELS_NL  # the numbered ones follow their first


def test_every_message_and_meaning_is_in_both_languages() -> None:
    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGUAGES), key
    assert set(MEANINGS) <= set(MEANING_LABELS)
    assert label("no_problems", "nl") == "Geen problemen: klaar om te draaien."
    assert label("no_problems", "de") == label("no_problems", "en")  # unknown: the default


def test_afas_fields_are_named_as_the_afas_wizard_names_them() -> None:
    assert field_label("org_name", "nl", "afas-profit") == "Naam (Organisatie)"
    assert field_label("contact_email", "en", "afas-profit") == "E-mail werk (Contact)"
    assert field_label("person_last_name", "nl", "afas-profit") == "Achternaam (Persoon)"
    # a field the wizard has no column for keeps the analyst's label
    assert field_label("person_full_name", "nl", "afas-profit") == "Volledige naam (één kolom)"
    assert field_label("org_name", "nl", "workbench") == "Organisatienaam"


def test_language_is_a_definition_setting() -> None:
    assert definition_from_dict({"name": "x"}).language == "en"
    dutch = definition_from_dict({"name": "x", "language": "nl"})
    assert dutch.language == "nl" and "language: nl" in dutch.to_yaml()
    assert "language" not in definition_from_dict({"name": "x"}).to_yaml()


def _raw() -> pd.DataFrame:
    rows = [["Bakkerij Jansen BV", "1234567", "Dorpsstraat 12a", "1234 A", "Bergen (NH)",
             "de Vries", "j.devries@example.nl"]]
    frame = pd.DataFrame(rows, columns=HEADERS, dtype=object)
    frame.insert(0, "source_row", [1])
    return frame


def _texts(widget: w.Widget) -> list[str]:
    """Every text the screen shows: HTML without its tags, descriptions, options, placeholders."""
    out: list[str] = []
    if isinstance(widget, w.HTML):
        text = re.sub(r"<style>.*?</style>", "", widget.value, flags=re.S)
        out.append(html.unescape(re.sub(r"<[^>]+>", " ", text)))
    for attr in ("description", "placeholder"):
        out.append(str(getattr(widget, attr, "") or ""))
    if isinstance(widget, w.Dropdown):
        out += [str(text) for text in widget._options_labels]  # what the list shows
    for child in getattr(widget, "children", ()):
        out += _texts(child)
    return out


def _screen(tmp_path: Path, language: str, target: str = "workbench") -> list[str]:
    definition = replace(suggest_definition(HEADERS), language=language, target=target)
    return _texts(MappingWidget(_raw(), definition, tmp_path).view)


def test_mapping_screen_in_dutch_shows_dutch_labels_and_no_internal_names(tmp_path: Path
                                                                          ) -> None:
    texts = _screen(tmp_path, "nl")
    shown = "\n".join(texts)
    for dutch in ("CRM-veld", "Organisatienaam", "Achternaam", "Koppelen en acties",
                  "nieuw aanmaken als niet gevonden", "alleen lege velden vullen",
                  "Definitie opslaan", transform_label("org_city", "nl")):
        assert dutch in shown, dutch
    for english in ("CRM field", "Organisation name", "create new if not found"):
        assert english not in shown, english
    words = set(re.findall(r"[A-Za-z_]+", shown))
    assert not words & INTERNAL, words & INTERNAL


def test_mapping_screen_follows_the_definition_and_the_afas_names(tmp_path: Path) -> None:
    assert "Organisation name" in "\n".join(_screen(tmp_path, "en"))
    afas = "\n".join(_screen(tmp_path, "nl", "afas-profit"))
    assert "Naam (Organisatie)" in afas and "E-mail werk (Contact)" in afas


def test_profile_page_in_dutch(tmp_path: Path) -> None:
    profile = profile_frame(_raw())
    page = render_html(profile, "nl")
    assert '<html lang="nl">' in page and "Profiel van" in page and "Waarschuwingen" in page
    assert "ongeldig als postcode" in page and "one letter" in page
    assert "kvk_number" not in page and "street_house_number" not in page


def test_every_match_key_has_a_label_in_both_languages():
    from workbench.labels import label

    for key in {*ORG_KEYS, *PERSON_KEYS}:
        assert label(f"key.{key}", "en") and label(f"key.{key}", "nl"), key
