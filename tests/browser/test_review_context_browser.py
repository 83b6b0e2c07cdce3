"""The review in a real JupyterLab: context on both sides of a person pair, the decisions view of
an earlier run (reopened, changed, preview updated), and the screen coming back after a reload."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser.conftest import (
    COLD_START_MS,
    KERNEL_READY,
    run_until_shown,
    screenshot,
    set_parameters,
)
from browser.review_case import build_review_case
from workbench.context import open_run
from workbench.pipeline import match, prepare
from workbench.review import SAME
from workbench.state import load_decisions
from workbench.widgets.review import open_review

pytestmark = pytest.mark.browser


def _notebook(lab: dict, case: dict, state, name: str) -> str:
    """A copy of 04_review.ipynb of its own, set to the case."""
    source = lab["root"] / "04_review.ipynb"
    (lab["root"] / name).write_bytes(source.read_bytes())
    set_parameters(lab["root"] / name, input_path=str(case["input"]), sheet=None,
                   crm_path=str(case["crm"]), definition_path=str(case["definition_path"]),
                   state_path=str(state))
    return name


def _skip_to_person_pair(page) -> None:
    """Skip questions until a person pair against the CRM is on screen."""
    body = page.locator(".wb-review-body")
    for _ in range(6):
        if "person vs CRM" in body.inner_text():
            return
        progress = page.locator(".wb-review-progress").inner_text()
        page.locator("button.wb-review-skip").click()
        expect(page.locator(".wb-review-progress")).not_to_have_text(progress, timeout=15_000)
    raise AssertionError("no person pair against the CRM among the questions")


def test_a_person_pair_shows_organisation_and_job_title_on_both_sides(jupyter_lab, page,
                                                                      tmp_path):
    case = build_review_case(tmp_path / "case")
    name = _notebook(jupyter_lab, case, tmp_path / "state.duckdb", "review_context.ipynb")
    run_until_shown(page, jupyter_lab, name, ".wb-review-body .wb-pair")
    # the score filter shows its value from the start
    expect(page.locator(".wb-review-band select")).to_have_value("all scores (6)")
    _skip_to_person_pair(page)
    incoming = page.locator(".wb-review-body .wb-context-incoming")
    other = page.locator(".wb-review-body .wb-context-other")
    expect(incoming).to_contain_text("Organisation: Bakkerij Jansen BV, Amsterdam")
    expect(incoming).to_contain_text("Job title:")
    expect(other).to_contain_text("Organisation: Bakkerij Jansen B.V., Amsterdam")
    expect(other).to_contain_text("Job title: Eigenaar")
    expect(other).to_contain_text("Email: j.devries@bakkerijjansen.nl")
    expect(page.locator("button.wb-review-same-org-other-person")).to_be_visible()
    screenshot(page, "review_context", element=".wb-review", docs=True)


def _decide_earlier(case: dict, state) -> str:
    """An earlier run's review: every pair answered 'same'; returns that run's id."""
    with open_run(case["crm"], definition=case["definition"], state_path=state) as ctx:
        prepared = prepare(ctx, case["raw"])
        review = open_review(ctx, prepared, match(ctx, prepared))
        while not review.session.done:
            review.act(SAME)
        return ctx.run_id


def test_the_decisions_view_reopens_and_changes_an_earlier_decision(jupyter_lab, page,
                                                                    tmp_path):
    case = build_review_case(tmp_path / "case")
    state = tmp_path / "state.duckdb"
    earlier_run = _decide_earlier(case, state)
    n = len(load_decisions(state))
    name = _notebook(jupyter_lab, case, state, "review_decisions.ipynb")
    run_until_shown(page, jupyter_lab, name, ".wb-decisions-list select")
    expect(page.locator(".wb-review-progress")).to_contain_text(
        f"{n} earlier decisions apply to this list")
    expect(page.locator(".wb-review-progress")).not_to_contain_text("0 of 0 pairs decided")
    counts = page.locator(".wb-review-changeset")
    expect(counts).to_contain_text("insert", timeout=30_000)
    before = counts.inner_text()

    page.locator(".wb-decisions-search input").fill("Bakkerij")
    listed = page.locator(".wb-decisions-list select option")
    expect(listed).to_have_count(2, timeout=15_000)  # the organisation and its person
    labels = listed.all_inner_texts()
    assert all(earlier_run in label for label in labels), labels
    org = next(label for label in labels if "ORG-2" in label)
    page.locator(".wb-decisions-list select").select_option(label=org)
    detail = page.locator(".wb-decisions-detail")
    expect(detail).to_contain_text("Bakkerij Jansen B.V.", timeout=15_000)  # the pair, reopened
    expect(page.locator("button.wb-decisions-same-org-other-person")).to_have_count(0)
    page.locator("button.wb-decisions-different").click()
    expect(detail).to_contain_text("Changed to Not the same", timeout=30_000)
    # counted again ("updating…" in between): the new counts differ from the old ones
    page.wait_for_function(
        """(before) => { const t = document.querySelector('.wb-review-changeset').innerText;
                         return t.includes('insert') && t !== before; }""",
        arg=before, timeout=30_000)
    expect(page.locator(".wb-decisions-list select option", has_text="ORG-2")).to_contain_text(
        "Not the same")
    screenshot(page, "review_decisions", element=".wb-review", docs=True)
    assert list(load_decisions(state).values()).count("different") == 1


def test_the_review_comes_back_after_a_page_reload(jupyter_lab, page, tmp_path):
    case = build_review_case(tmp_path / "case")
    name = _notebook(jupyter_lab, case, tmp_path / "state.duckdb", "review_reload.ipynb")
    run_until_shown(page, jupyter_lab, name, ".wb-review-body .wb-pair")
    page.locator("button.wb-review-same").click()
    expect(page.locator(".wb-review-progress")).to_contain_text("1 of", timeout=15_000)
    page.evaluate("() => { window.jupyterapp.commands.execute('docmanager:save'); }")
    page.wait_for_function("""() => !window.jupyterapp.shell.currentWidget.context.model.dirty""",
                           timeout=30_000)
    page.reload()
    page.locator(".jp-Notebook").first.wait_for(timeout=COLD_START_MS)
    page.wait_for_function(KERNEL_READY, arg=name, timeout=COLD_START_MS)
    back = page.locator(".wb-review-progress")
    expect(back).to_contain_text("1 of", timeout=60_000)
    expect(page.locator(".wb-review-body .wb-pair")).to_be_visible()
    expect(page.get_by_text("model not found")).to_have_count(0)
    screenshot(page, "review_reloaded", element=".wb-review")


# The model id of the review's output (the widget view of the notebook's last code cell).
REVIEW_MODEL = """() => {
  const cells = Array.from(window.jupyterapp.shell.currentWidget.content.model.cells);
  const outs = cells.filter(c => c.type === 'code').flatMap(c => c.outputs.toJSON());
  const views = outs.map(o => o.data?.['application/vnd.jupyter.widget-view+json'])
    .filter(Boolean);
  return views[views.length - 1]?.model_id;
}"""
# What JupyterLab does with a widget it cannot take at kernel start: it closes the widget's comm.
REFUSE = """(id) => {
  const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  k._comms.get(id).close();
}"""


def test_a_review_the_browser_refused_is_drawn_again_in_place(jupyter_lab, page, tmp_path):
    case = build_review_case(tmp_path / "case")
    name = _notebook(jupyter_lab, case, tmp_path / "state.duckdb", "review_refused.ipynb")
    run_until_shown(page, jupyter_lab, name, ".wb-review-body .wb-pair")
    page.locator("button.wb-review-same").click()
    progress = page.locator(".wb-review-progress")
    expect(progress).to_contain_text("1 of", timeout=15_000)
    first = page.evaluate(REVIEW_MODEL)
    page.evaluate(REFUSE, first)
    page.wait_for_function(f"() => ({REVIEW_MODEL})() !== {first!r}", timeout=30_000)
    expect(page.locator(".wb-review")).to_have_count(1, timeout=15_000)
    expect(progress).to_contain_text("1 of", timeout=15_000)  # the same place
    expect(page.get_by_text("Error displaying widget")).to_have_count(0)
    # the output changed height while replaced: bring the screen back into the notebook's view
    page.locator(".wb-review").scroll_into_view_if_needed()
    screenshot(page, "review_refused", element=".wb-review")
    page.locator("button.wb-review-skip").click()  # the new screen answers
    expect(progress).to_contain_text("question 3 of", timeout=15_000)
