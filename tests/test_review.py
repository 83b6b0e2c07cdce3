"""Review logic on a small hand-made CRM whose doubtful pairs are known."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from browser.review_case import build_review_case, many_pairs

from workbench.context import open_run
from workbench.pipeline import match, prepare
from workbench.review import (
    BACK,
    DIFFERENT,
    SAME,
    SAME_ORG,
    SKIP,
    ReviewSession,
    ReviewWidget,
    changeset_counts,
    cluster_fields,
    cluster_renderer,
    cluster_rows,
    cluster_view_html,
    counts_html,
    file_clusters,
    filter_queue,
    pair_fields,
    pair_renderer,
    pair_view_html,
    question_order,
    review_queue,
    score_bands,
    stored_decision,
)
from workbench.snapshot import open_snapshot
from workbench.state import load_decisions
from workbench.widgets import review as screen


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    case = build_review_case(tmp_path_factory.mktemp("review") / "case")
    with open_run(case["crm"], definition=case["definition"],
                  state_path=case["root"] / "no-decisions.duckdb") as ctx:
        case["prepared"] = prepare(ctx, case["raw"])
        case["matches"] = match(ctx, case["prepared"])
    case["queue"] = review_queue(case["matches"], case["prepared"], case["definition"].thresholds)
    return case


@pytest.fixture
def case(built: dict, tmp_path: Path) -> dict:
    """The shared case with a fresh state file of its own, and a run context on it."""
    state = tmp_path / "state.duckdb"
    with open_run(built["crm"], definition=built["definition"], state_path=state) as ctx:
        yield {**built, "state": state, "ctx": ctx}


def test_queue_holds_the_doubtful_pairs_most_doubtful_first(case):
    queue = case["queue"]
    assert len(queue) >= 4
    assert set(queue["band"]) == {"review"}
    mid = (case["definition"].thresholds.match + case["definition"].thresholds.review) / 2
    assert queue["doubt"].is_monotonic_increasing
    assert (queue["doubt"] - (queue["score"] - mid).abs()).abs().max() < 1e-12
    assert {"level", "fingerprint", "candidate"} <= set(queue.columns)


def test_decisions_are_stored_at_once_and_not_asked_again(case):
    queue, state = case["queue"], case["state"]
    session = ReviewSession(queue, state, clusters={})  # pair by pair; clusters tested below
    session.act(SAME)
    assert len(load_decisions(state)) == 1  # stored before the next pair is even shown
    session.act(DIFFERENT)
    session.act(SKIP)
    assert session.progress().startswith("2 of 6 pairs decided · question 4 of 6")
    stored = load_decisions(state)
    assert len(stored) == 2
    first, second = queue.iloc[0], queue.iloc[1]
    assert stored[(first["level"], first["fingerprint"], first["candidate"])] == "same"
    assert stored[(second["level"], second["fingerprint"], second["candidate"])] == "different"
    # a re-run of the same file asks only what was not decided
    again = match(case["ctx"], case["prepared"])
    requeue = review_queue(again, case["prepared"], case["definition"].thresholds)
    asked = set(zip(requeue["level"], requeue["fingerprint"], requeue["candidate"], strict=True))
    assert not asked & set(stored)
    assert len(requeue) == len(queue) - 2


def test_back_lets_the_analyst_change_a_decision(case):
    session = ReviewSession(case["queue"], case["state"])
    session.act(SAME)
    session.act(BACK)
    assert session.current == 0 and session.decisions == {0: SAME}
    session.act(DIFFERENT)
    item = case["queue"].iloc[0]
    assert load_decisions(case["state"])[(item["level"], item["fingerprint"],
                                          item["candidate"])] == "different"
    session.act(BACK)
    session.act(BACK)
    assert session.cursor == 0  # never before the first pair


def test_keys_map_to_decisions(case):
    session = ReviewSession(case["queue"], case["state"], clusters={})
    assert session.key("s") and session.key("D") and session.key("k")
    assert not session.key("x")
    assert session.decisions == {0: SAME, 1: DIFFERENT} and session.cursor == 3
    assert session.key("b") and session.cursor == 2


def test_same_organisation_other_person_is_an_answer_for_person_pairs_only():
    with pytest.raises(ValueError, match="person pairs only"):
        stored_decision("organisation", SAME_ORG)
    assert stored_decision("person", SAME_ORG) == "different"
    assert stored_decision("person", SKIP) is None
    with pytest.raises(ValueError):
        stored_decision("person", "maybe")


def test_score_band_filter(case):
    queue = case["queue"]
    options = score_bands(queue)
    assert options[0][1] is None and options[0][0] == f"all scores ({len(queue)})"
    total = sum(len(filter_queue(queue, band)) for _, band in options[1:])
    assert total == len(queue)
    top = options[1][1]
    assert all(queue["score"].iloc[i] >= top[0] for i in filter_queue(queue, top))
    session = ReviewSession(queue, case["state"])
    session.set_filter(top)
    assert session.current == filter_queue(queue, top)[0]


def test_pair_shows_both_sides_and_highlights_differences(case):
    queue = case["queue"]
    with open_snapshot(case["crm"]) as con:
        from workbench.report import pair_records
        data = pair_records(case["matches"].pairs, case["prepared"].std, con)
    crm_pair = queue[queue["kind"] == "crm_organisation"].iloc[0]
    fields = {f["field"]: f for f in pair_fields(crm_pair, data)}
    assert fields["name"]["incoming"] == "Bakkerij Jansen BV"
    assert fields["name"]["other"] == "Bakkerij Jansen B.V." and fields["name"]["differs"]
    assert not fields["postcode"]["differs"]
    page = pair_view_html(crm_pair, data)
    assert "wb-diff" in page and "CRM ORG-2" in page and "points" in page


def test_changeset_preview_follows_decisions(case):
    before = changeset_counts(case["ctx"], case["prepared"])
    queue = case["queue"]
    session = ReviewSession(queue, case["state"])
    for _ in range(len(queue)):
        session.act(SAME)
    after = changeset_counts(case["ctx"], case["prepared"])
    assert after["status"]["skipped"] < before["status"]["skipped"]
    assert after["status"]["skipped"] == 0
    assert "<table>" in counts_html(after) and "wb-count-org-insert" in counts_html(after)


def test_widget_runs_without_a_browser(case):
    widget = ReviewWidget(case["queue"], lambda item: f"pair {item['left_row']}", case["state"],
                          preview=lambda: {"org_action": {"insert": 7}})
    assert "0 of 6 pairs decided · question 1 of 6" in widget.progress.value
    # what ipyevents sends for a key press; modified keys and other events are not shortcuts
    widget.on_key({"type": "keydown", "key": "s"})
    widget.on_key({"type": "keydown", "key": "d", "ctrlKey": True})
    widget.on_key({"type": "keyup", "key": "d"})
    widget.on_key({"type": "keydown", "key": "D", "shiftKey": True})
    assert len(load_decisions(case["state"])) == 2
    assert "question 3 of" in widget.progress.value
    widget.buttons[BACK].click()
    assert "question 2 of" in widget.progress.value
    assert widget.events.watched_events == ["keydown"] and widget.events.source is widget.view


def test_in_file_pairs_sharing_rows_are_one_cluster(case):
    queue = case["queue"]
    clusters = file_clusters(queue)
    # rows 4, 5 and 6 are one organisation three times; the person pair 4-5 stays a pair
    assert len(clusters) == 1
    (first, members), = clusters.items()
    assert first == members[0] and set(queue["kind"].iloc[members]) == {"file_organisation"}
    assert cluster_rows(queue.iloc[members]) == [4, 5, 6]
    questions = question_order(list(range(len(queue))), clusters)
    assert len(questions) == len(queue) - len(members) + 1
    assert question_order(members[1:], clusters) == [first]  # a filter keeps the cluster whole
    # chains join (1-2, 2-3 is one cluster of three rows); kinds never mix
    chain = pd.DataFrame({"kind": ["file_person", "file_person", "file_organisation",
                                   "crm_person", "file_person"],
                          "left_row": [1, 2, 1, 1, 7], "right_key": [2, 3, 2, "PER-1", 8]})
    assert file_clusters(chain) == {0: [0, 1]}
    assert file_clusters(chain.iloc[:0]) == {}


def test_cluster_view_shows_rows_side_by_side(case):
    queue = case["queue"]
    (_, members), = file_clusters(queue).items()
    rows = case["prepared"].std.set_index("source_row")
    fields = {f["field"]: f for f in cluster_fields(queue.iloc[members], rows)}
    assert fields["name"]["values"] == ["Smit Schilders V.O.F.", "Smit Schilders VOF",
                                        "Smit Schilders V.O.F."]
    assert fields["name"]["differs"] and fields["phone"]["differs"]
    assert not fields["postcode"]["differs"] and fields["postcode"]["values"] == ["9711 AA"] * 3
    page = cluster_view_html(queue.iloc[members], rows)
    assert "wb-cluster" in page and page.count("<th>row ") == 3 and "rows 5 – 6" in page
    assert cluster_renderer(case["prepared"])(queue.iloc[members]) == page


def test_one_decision_for_every_pair_of_a_cluster(case):
    queue, state = case["queue"], case["state"]
    (first, members), = file_clusters(queue).items()
    session = ReviewSession(queue, state)
    while session.current != first:
        session.act(SKIP)
    session.act(DIFFERENT)
    assert {p: session.decisions[p] for p in members} == dict.fromkeys(members, DIFFERENT)
    stored = load_decisions(state)
    for p in members:
        item = queue.iloc[p]
        assert stored[(item["level"], item["fingerprint"], item["candidate"])] == "different"
    session.act(BACK)  # back to the cluster, and another answer for all of its pairs
    assert session.current == first
    with pytest.raises(ValueError):  # not an answer for organisation rows
        session.act(SAME_ORG)
    assert not session.key("o") and session.current == first
    session.act(SAME)
    assert all(session.decisions[p] == SAME for p in members)
    assert all(load_decisions(state)[(queue.iloc[p]["level"], queue.iloc[p]["fingerprint"],
                                      queue.iloc[p]["candidate"])] == "same" for p in members)
    # a re-run does not ask about any pair of the cluster again
    again = review_queue(match(case["ctx"], case["prepared"]),
                         case["prepared"], case["definition"].thresholds)
    assert not set(again["kind"]) & {"file_organisation"}


def test_widget_shows_a_cluster_in_one_view(case):
    widget = ReviewWidget(case["queue"], lambda item: "pair", case["state"],
                          cluster_html=lambda members: f"cluster of {len(members)}")
    (first, members), = file_clusters(case["queue"]).items()
    for _ in range(widget.session.order.index(first)):
        widget.act(SKIP)
    assert widget.body.value == f"cluster of {len(members)}"
    widget.on_key({"type": "keydown", "key": "s"})
    assert f"{len(members)} of {len(case['queue'])} pairs decided" in widget.progress.value


class _CountingConnection:
    """A real snapshot connection that notes every query sent through it."""

    def __init__(self, con) -> None:
        self.con, self.queries = con, []

    def execute(self, sql: str, *args):
        self.queries.append(sql)
        return self.con.execute(sql, *args)


def test_review_on_10000_pairs_reads_the_crm_once_and_renders_only_the_current_pair(tmp_path,
                                                                                     case):
    # What keeps the screen quick on a big queue: the CRM records of all pairs fetched in one
    # query per table (not one per pair), and only the pair on screen turned into HTML.
    matches = many_pairs(case["matches"], 10_000)
    queue = review_queue(matches, case["prepared"], case["definition"].thresholds)
    assert len(queue) == 10_000
    with open_snapshot(case["crm"]) as con:
        counted = _CountingConnection(con)
        render = pair_renderer(matches, case["prepared"], counted)
    assert len(counted.queries) <= 3, counted.queries  # organisations, persons, their contacts
    shown = []
    cluster = cluster_renderer(case["prepared"])
    widget = ReviewWidget(queue, lambda item: shown.append("pair") or render(item),
                          tmp_path / "s.duckdb",
                          cluster_html=lambda members: shown.append("cluster") or cluster(members))
    assert len(shown) == 1, f"opening rendered {len(shown)} pairs or clusters"
    assert "0 of 10000 pairs decided · question 1 of" in widget.progress.value
    assert "wb-pair" in widget.body.value or "wb-cluster" in widget.body.value
    widget.act(SKIP)
    assert len(shown) == 2 and "question 2 of" in widget.progress.value


def test_empty_queue_shows_the_change_set_at_once(tmp_path):
    calls = []
    widget = ReviewWidget(pd.DataFrame(), str, tmp_path / "s.duckdb",
                          preview=lambda: calls.append(1) or {"org_action": {"insert": 3}})
    assert "0 of 0 pairs decided" in widget.progress.value and "have been seen" in widget.body.value
    assert calls == [1] and "wb-count-org-insert'>3<" in widget.counts.value


def test_queue_logic_imports_without_the_screen():
    # The queue, its HTML and the preview are plain logic: importing them must not load ipywidgets.
    code = ("import sys, workbench.review; "
            "assert 'ipywidgets' not in sys.modules, 'ipywidgets imported'; "
            "assert 'workbench.widgets' not in sys.modules, 'the screen imported'")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_every_review_name_is_importable_from_the_package():
    import workbench.review as review

    for name in review.__all__:
        assert getattr(review, name) is not None, name
    # the screen's names are the widget module's own objects, not copies
    assert review.ReviewWidget is screen.ReviewWidget
    assert review.open_review is screen.open_review
