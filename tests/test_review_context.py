"""Review with context, answers per kind of pair, and the decisions view (no browser)."""
from __future__ import annotations

from pathlib import Path

import pytest
from browser.review_case import matched_review_case

from workbench.context import open_run
from workbench.pipeline import match
from workbench.review import SAME, SAME_ORG, SKIP
from workbench.review.decisions import (
    change_decision,
    decision_log,
    decisions_view,
    search_decisions,
)
from workbench.review.pair_context import crm_context, pair_context
from workbench.review.queue import DIFFERENT
from workbench.snapshot import open_snapshot
from workbench.state import load_decisions
from workbench.widgets.review import open_review


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    return matched_review_case(tmp_path_factory.mktemp("reviewctx") / "case")


def _context(built: dict, kind: str) -> dict:
    item = built["queue"][built["queue"]["kind"] == kind].iloc[0]
    with open_snapshot(built["crm"]) as con:
        crm = crm_context(con, built["matches"].pairs)
    return pair_context(item, built["prepared"].std.set_index("source_row"), crm)


def test_a_person_pair_shows_organisation_job_and_contact_details_on_both_sides(built):
    sides = _context(built, "crm_person")  # row 2, Jan de Vries, against PER-1
    incoming, other = dict(sides["incoming"]), dict(sides["other"])
    assert incoming["Organisation"] == "Bakkerij Jansen BV, Amsterdam"
    assert other["Organisation"] == "Bakkerij Jansen B.V., Amsterdam"
    assert other["Job title"] == "Eigenaar"
    assert other["Email"] == "j.devries@bakkerijjansen.nl"
    assert {"Job title", "Email", "Phone", "Mobile"} <= set(incoming)


def test_an_organisation_pair_shows_the_rows_contact_and_the_crm_persons(built):
    sides = _context(built, "crm_organisation")  # row 2 against ORG-2
    assert dict(sides["incoming"])["Contact person"] == "Jan de Vries"
    assert dict(sides["other"])["Persons at this organisation"] == "Jan de Vries (Eigenaar)"


@pytest.fixture
def review(built, tmp_path):
    """The review screen on the case, with a fresh state file (the run stays open)."""
    with open_run(built["crm"], definition=built["definition"],
                  state_path=tmp_path / "s.duckdb") as ctx:
        yield open_review(ctx, built["prepared"], built["matches"])


def test_the_pair_view_holds_the_context(built, review):
    person = built["queue"][built["queue"]["kind"] == "crm_person"].index[0]
    while review.session.current != person:
        review.act(SKIP)
    assert "wb-context" in review.body.value and "Eigenaar" in review.body.value
    assert "Bakkerij Jansen B.V., Amsterdam" in review.body.value


def test_same_organisation_other_person_is_offered_on_person_pairs_only(review):
    seen = set()
    while not review.session.done:
        level = review.session.queue.iloc[review.session.current]["level"]
        shown = review.buttons[SAME_ORG].layout.display != "none"
        assert shown == (level == "person"), level
        seen.add(level)
        if level == "organisation":
            assert not review.session.key("o")  # the key means nothing here
        review.act(SKIP)
    assert seen == {"person", "organisation"}


def test_the_score_filter_shows_its_value_from_the_start(review):
    assert review.band.value == 0 and review.band.label.startswith("all scores (6)")
    review.band.value = 1
    assert review.session.order  # a band with pairs
    assert all(review.session.queue["score"].iloc[p] >= review.bands[1][1][0]
               for p in review.session.order)


def _decide_all(built: dict, state: Path, answer: str = SAME) -> None:
    with open_run(built["crm"], definition=built["definition"], state_path=state) as ctx:
        review = open_review(ctx, built["prepared"], built["matches"])
        while not review.session.done:
            review.act(answer)


def test_a_rerun_says_how_many_earlier_decisions_apply_and_opens_them(built, tmp_path):
    state = tmp_path / "s.duckdb"
    _decide_all(built, state)
    with open_run(built["crm"], definition=built["definition"], state_path=state) as ctx:
        again = match(ctx, built["prepared"])
        review = open_review(ctx, built["prepared"], again)
    n = len(load_decisions(state))  # pairs of identical records share one decision
    assert n >= 4 and review.session.queue.empty
    assert "0 of 0 pairs decided" not in review.progress.value
    assert f"{n} earlier decisions apply to this list" in review.progress.value
    assert review.decisions_box.layout.display != "none"  # opened, as there is nothing to ask
    assert len(review.decisions.list.options) == n


def test_decisions_of_earlier_runs_are_listed_searchable_and_changeable(built, tmp_path):
    state = tmp_path / "s.duckdb"
    _decide_all(built, state)
    log = decision_log(state)
    assert len(log) == len(load_decisions(state))
    assert log["run_id"].notna().all() and log["decided_at"].notna().all()
    assert log["names"].str.contains("Bakkerij Jansen").any()
    # another list (no pairs of its own) still finds them by name
    other_list = built["matches"].rows.set_index("source_row").iloc[:0]
    view = decisions_view(log, built["matches"].pairs.iloc[:0], other_list)
    assert not view["this_list"].any()
    found = search_decisions(view, "de vries")
    assert len(found) == 1 and "PER-1" in found.iloc[0]["names"]
    change_decision(state, found.iloc[0], DIFFERENT, run_id="later-run")
    entry = decision_log(state).set_index("names").loc[found.iloc[0]["names"]]
    assert entry["decision"] == "different" and entry["run_id"] == "later-run"
    with pytest.raises(ValueError):  # an organisation pair cannot take the person answer
        org = view[view["level"] == "organisation"].iloc[0]
        change_decision(state, org, SAME_ORG)


def test_a_change_in_the_decisions_view_is_stored_and_the_preview_follows(built, tmp_path):
    state = tmp_path / "s.duckdb"
    _decide_all(built, state)
    with open_run(built["crm"], definition=built["definition"], state_path=state) as ctx:
        review = open_review(ctx, built["prepared"], match(ctx, built["prepared"]))
        before = review.counts.value
        view = review.decisions
        view.search.value = "Bakkerij Jansen"
        picked = next(v for label, v in view.list.options if "PER-1" not in label
                      and "ORG-2" in label)
        view.list.value = picked
        assert "wb-pair" in view.detail.value  # the pair itself, reopened
        change = next(b for b in view.answer_box.children
                      if getattr(b, "description", "") == "Not the same")
        change.click()
        assert "wb-decisions-changed" in view.detail.value
        after = review.counts.value
    assert after != before
    key = tuple(view.entries.loc[view.list.value, ["level", "fingerprint", "candidate"]])
    assert load_decisions(state)[key] == "different"


def test_a_screen_the_browser_refused_is_built_again_in_place(review):
    review.act(SAME)  # a decision before the browser loses the screen
    review.toggle_decisions(True)
    review.show()
    old, old_decisions = review.view, review.decisions.view
    # what the kernel hears when JupyterLab's widget manager was not yet listening: the browser
    # closes the screen's comm
    review.view.comm.handle_close({"content": {"comm_id": review.view.comm.comm_id, "data": {}}})
    assert review.view is not old and review.view.comm is not None
    assert review.decisions.view is not old_decisions
    assert old.comm is None  # the lost widgets are let go
    assert "1 of 6 pairs decided · question 2 of" in review.progress.value  # the same place
    assert review.decisions_box.layout.display != "none"
    review.act(SAME)  # and the new screen works
    assert "2 of 6 pairs decided" in review.progress.value
    assert review.shown.rebuilds == 1


def test_the_mapping_screen_is_built_again_with_the_same_definition(built, tmp_path):
    from workbench.widgets import MappingWidget
    from workbench.widgets.comeback import screen_bundle, show_screen

    screen = MappingWidget(built["raw"], built["definition"], tmp_path)
    shown = show_screen(screen)
    old, before = screen.view, screen.definition
    screen.view.comm.handle_close({"content": {"data": {}}})
    assert screen.view is not old and shown.rebuilds == 1
    assert screen.definition == before
    bundle = screen_bundle(screen.view)
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "run this cell again" in bundle["text/html"]
