"""The review screen and decisions view in the analyst's language, fields as the CRM names them
(no browser: the widgets' values and the rendered HTML)."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest
from browser.review_case import matched_review_case

from workbench.context import open_run
from workbench.labels import MESSAGES, field_label
from workbench.review import SAME, SKIP, cluster_view_html, file_clusters
from workbench.widgets.review import open_review

# Names of the system that an analyst must never read on the screen (as whole words).
INTERNAL = ("kvk_number", "org_name", "left_row", "right_key", "band", "house_number",
            "name_prefix", "first_name", "last_name", "birth_date", "crm_organisation",
            "crm_person", "file_organisation", "same_org_other_person")


def _visible(page: str) -> str:
    """The text of an HTML page as shown: without its style sheet, tags and attributes."""
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


def _internal_names(page: str) -> list[str]:
    text = _visible(page)
    return [n for n in INTERNAL if re.search(rf"\b{n}\b", text)]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    return matched_review_case(tmp_path_factory.mktemp("reviewlang") / "case")


def _screen(built, tmp_path, given: str | None = None, **definition):
    """The review screen in ``given`` language, its definition changed by ``definition``."""
    changed = replace(built["definition"], **definition)
    with open_run(built["crm"], definition=changed, state_path=tmp_path / "s.duckdb") as ctx:
        return open_review(ctx, built["prepared"], built["matches"], language=given)


def _go_to(widget, kind: str) -> None:
    position = widget.session.queue.index[widget.session.queue["kind"] == kind][0]
    while widget.session.current != position:
        widget.act(SKIP)


def test_a_dutch_definition_gives_a_dutch_review_screen(built, tmp_path):
    widget = _screen(built, tmp_path, **{"language": "nl"})  # none given: the definition's
    buttons = {a: b.description for a, b in widget.buttons.items()}
    assert buttons[SAME] == "Dezelfde (s)" and buttons["different"] == "Niet dezelfde (d)"
    assert buttons["skip"] == "Overslaan (k)" and buttons["back"] == "Terug (b)"
    assert "paren beslist · vraag 1 van" in widget.progress.value
    assert widget.band.options[0][0].startswith("alle scores (")
    assert widget.open_decisions.description == "Beslissingen tonen"
    _go_to(widget, "crm_organisation")
    page = widget.body.value
    for dutch in ("Organisatienaam", "KvK-nummer", "Huisnummer", "Plaats", "binnenkomende rij",
                  "vergelijking", "punten", "organisatie tegen het CRM", "Rond dit paar",
                  "Personen bij deze organisatie"):
        assert dutch in page, dutch
    assert _internal_names(page) == []
    assert "Organisation name" not in page and "Job title" not in page


def test_a_person_pair_and_a_cluster_in_dutch_show_no_internal_names(built, tmp_path):
    widget = _screen(built, tmp_path, given="nl")  # given: wins over the definition's "en"
    _go_to(widget, "crm_person")
    page = widget.body.value
    assert "Achternaam" in page and "Voorletters" in page and "Functie" in page
    assert "persoon tegen het CRM" in page and "achternaam: " in page
    assert _internal_names(page) == []
    queue = built["queue"]
    (_, members), = file_clusters(queue).items()
    cluster = cluster_view_html(queue.iloc[members], built["prepared"].std.set_index("source_row"),
                                "nl")
    assert "rijen van dit bestand lijken één" in cluster and "<th>rij " in cluster
    assert "Organisatienaam" in cluster and _internal_names(cluster) == []


def test_the_english_screen_names_fields_not_columns(built, tmp_path):
    widget = _screen(built, tmp_path)
    assert widget.buttons[SAME].description == "Same (s)"
    assert "pairs decided · question 1 of" in widget.progress.value
    _go_to(widget, "crm_organisation")
    page = widget.body.value
    assert "Organisation name" in page and "incoming row" in page
    assert _internal_names(page) == []


def test_with_an_export_target_fields_carry_the_crms_names(built, tmp_path):
    widget = _screen(built, tmp_path, language="nl", target="afas-profit")
    _go_to(widget, "crm_organisation")
    page = widget.body.value
    assert field_label("org_name", "nl", "afas-profit") == "Naam (Organisatie)"
    assert "<th>Naam (Organisatie)</th>" in page and "<th>Organisatienaam</th>" not in page


def test_the_decisions_view_speaks_dutch(built, tmp_path):
    with open_run(built["crm"], definition=built["definition"],
                  state_path=tmp_path / "s.duckdb") as ctx:  # open: a change recounts
        _check_decisions_view(open_review(ctx, built["prepared"], built["matches"], "nl"))


def _check_decisions_view(widget) -> None:
    widget.act(SAME)
    widget.toggle_decisions(True)
    view = widget.decisions
    assert widget.open_decisions.description == "Beslissingen verbergen"
    assert view.search.description == "zoeken"
    assert "van deze lijst" in view.count.value
    first = view.list.options[0][0]
    assert " · Dezelfde · " in first and first.endswith(" · deze lijst")
    view.list.value = view.list.options[0][1]
    labels = [c.description or c.value for c in view.answer_box.children[1:]]
    assert view.answer_box.children[0].value == "Wijzigen in:"
    assert labels == ["Dezelfde", "Niet dezelfde"]
    view.change(view.list.value, "different")
    assert "Gewijzigd in <b>Niet dezelfde</b>" in view.detail.value


def test_every_review_text_is_in_both_languages():
    review = [k for k in MESSAGES if k.startswith(("review.", "decisions."))]
    assert len(review) > 40
    for key in review:
        assert set(MESSAGES[key]) == {"en", "nl"}, key
        assert MESSAGES[key]["nl"].strip(), key
