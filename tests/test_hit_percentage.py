"""The hit percentage: thresholds written as percentages, and the pairs per band they give."""
from __future__ import annotations

import duckdb
import numpy as np
import pytest
from small_crm import make_small_with_definition

from workbench.bands import PairScores, band_counts, pair_scores
from workbench.context import open_run
from workbench.definition import (
    Definition,
    Thresholds,
    definition_from_dict,
    load_definition,
)
from workbench.definition.load import parse_definition_text
from workbench.errors import DefinitionError
from workbench.pipeline import read_input
from workbench.widgets.mapping import MappingWidget, mapping_screen
from workbench.widgets.thresholds import ThresholdsWidget


def _bands(text: str) -> Thresholds:
    return definition_from_dict(parse_definition_text(text)).thresholds


def test_thresholds_as_percentages_and_as_before():
    assert _bands("match:\n  thresholds: {match: 85%, review: 60 %}\n") == Thresholds(0.85, 0.6)
    assert _bands("match:\n  thresholds: {match: '92,5%', review: 0.4}\n") == \
        Thresholds(0.925, 0.4)
    assert _bands("match:\n  thresholds: {match: 0.8, review: 0.3}\n") == Thresholds(0.8, 0.3)
    assert _bands("match:\n  thresholds: {match: 100%, review: 0%}\n") == Thresholds(1.0, 0.0)


@pytest.mark.parametrize(("value", "says"), [
    ("85", "write 85% for a percentage"),  # a bare 85: meant as 85% or a slip for 0.85?
    ("101%", "got '101%'"), ("'x%'", "percentage such as 85%"), ("-5%", "got '-5%'")])
def test_a_threshold_that_is_neither_is_refused_plainly(value, says):
    with pytest.raises(DefinitionError, match="match.thresholds.match") as caught:
        _bands(f"match:\n  thresholds:\n    match: {value}\n")
    assert says in str(caught.value)


def test_review_above_match_is_named_in_percent():
    with pytest.raises(DefinitionError, match="review 80% is above match 30%"):
        _bands("match:\n  thresholds: {match: 30%, review: 80%}\n")


def test_a_percentage_definition_saves_and_loads_back(tmp_path):
    definition = definition_from_dict(parse_definition_text(
        "match:\n  thresholds: {match: 87%, review: 55%}\n"))
    assert load_definition(definition.save(tmp_path / "d.yml")) == definition


def test_band_counts_follow_the_thresholds():
    scores = PairScores({"organisation": np.array([0.1, 0.5, 0.6, 0.9, 0.95]),
                         "person": np.array([0.5, 0.99])}, below_floor=3)
    counts = band_counts(scores, Thresholds(0.9, 0.5))
    # at a threshold is in its band, as the classifier has it (score >= threshold)
    assert (counts.match, counts.review, counts.below) == (3, 3, 1 + 3)
    assert counts.match + counts.review + counts.below == scores.total == 10
    person = band_counts(scores, Thresholds(0.9, 0.5), "person")
    assert (person.match, person.review, person.below) == (1, 1, 0)
    lower = band_counts(scores, Thresholds(0.55, 0.05))
    assert (lower.match, lower.review, lower.below) == (4, 3, 0 + 3)
    assert "At 55% / 5%: 4 pairs taken as the same record, 3 for review, 3 different." == \
        lower.sentence(Thresholds(0.55, 0.05))


@pytest.fixture(scope="module")
def small_list(tmp_path_factory):
    small = make_small_with_definition(tmp_path_factory.mktemp("hit"))
    definition = load_definition(small["definition"])
    raw = read_input(small["input"])
    with open_run(small["crm"], definition=definition,
                  state_path=small["crm"].with_name("state.duckdb")) as ctx:
        yield {"ctx": ctx, "raw": raw, "definition": definition}


def test_pair_scores_of_a_list_count_every_candidate_pair(small_list):
    from workbench.pipeline import match, prepare

    ctx, raw = small_list["ctx"], small_list["raw"]
    scores = pair_scores(ctx, raw)
    matches = match(ctx, prepare(ctx, raw))
    assert scores.total == matches.counts["pairs_scored"] > 0
    at_definition = band_counts(scores, ctx.definition.thresholds)
    assert at_definition.match + at_definition.review + at_definition.below == scores.total
    # a lower match threshold takes more pairs as the same record, never fewer
    assert band_counts(scores, Thresholds(0.3, 0.1)).match >= at_definition.match
    assert band_counts(scores, Thresholds(1.0, 1.0)).below >= at_definition.below


def test_sliders_count_pairs_and_keep_review_below_match(small_list, tmp_path):
    screen = MappingWidget(small_list["raw"], small_list["definition"], tmp_path,
                           ctx=small_list["ctx"])
    bands = screen.bands
    assert bands.match.value == 90 and bands.review.value == 50
    assert "Count pairs" in bands.meaning.value
    bands.count()
    assert bands.meaning.value.startswith("At 90% / 50%: ")
    bands.match.value = 40  # below review: review follows it down
    assert bands.review.value == 40
    assert bands.meaning.value.startswith("At 40% / 40%: ")
    counts = band_counts(bands.scores, Thresholds(0.4, 0.4))
    assert f"{counts.match} pairs taken as the same record" in bands.meaning.value
    assert screen.definition.thresholds == Thresholds(0.4, 0.4)
    # a definition put on the screen moves the sliders; saved, it keeps them
    screen.show(Definition(thresholds=Thresholds(0.85, 0.6)))
    assert (bands.match.value, bands.review.value) == (85, 60)
    screen.name.value = "hit"
    assert load_definition(screen.save()).thresholds == Thresholds(0.85, 0.6)


def test_without_the_snapshot_the_sliders_still_set_the_thresholds():
    bands = ThresholdsWidget(Thresholds(0.8, 0.3))
    assert "open_run" in bands.meaning.value  # says how to get the counts
    bands.review.value = 95  # above match: match follows it up
    assert bands.thresholds == Thresholds(0.95, 0.95)


def test_the_screen_as_02_opens_it_counts_with_the_snapshot(tmp_path):
    small = make_small_with_definition(tmp_path / "small")
    definition, raw = load_definition(small["definition"]), read_input(small["input"])
    state = tmp_path / "state.duckdb"
    screen = mapping_screen(raw, definition, tmp_path, small["crm"], state_path=state)
    try:
        bands = screen.bands
        assert bands.meaning.value.startswith("At 90% / 50%: ")  # counted at once
        with open_run(small["crm"], definition=definition, state_path=state) as ctx:
            from workbench.pipeline import match, prepare
            scored = match(ctx, prepare(ctx, raw)).counts["pairs_scored"]
        counts = band_counts(bands.scores, bands.thresholds)
        assert all(isinstance(n, int) for n in (counts.match, counts.review, counts.below))
        assert counts.match + counts.review + counts.below == scored > 0
        # the snapshot is open read-only: writing to it is refused
        with pytest.raises(duckdb.Error):
            screen.ctx.con.execute("DELETE FROM organisations")
    finally:
        screen.ctx.close()
    assert not state.exists()  # counting writes no state file


def test_the_screen_without_a_snapshot_has_no_counts(tmp_path):
    small = make_small_with_definition(tmp_path / "small")
    screen = mapping_screen(read_input(small["input"]), load_definition(small["definition"]),
                            tmp_path, None, language="nl")
    assert screen.ctx is None and screen.bands.scores is None and screen.language == "nl"
    assert "open_run" in screen.bands.meaning.value
