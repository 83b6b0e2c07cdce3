"""The review screen in a real JupyterLab: decide by keyboard (a cluster too), back, state file."""
from __future__ import annotations

import re
import time

import nbformat
import pytest
from playwright.sync_api import expect

from browser.conftest import (
    COLD_START_MS,
    KERNEL_READY,
    ROOT,
    open_notebook,
    run_until_shown,
    screenshot,
    set_parameters,
)
from browser.review_case import build_review_case
from workbench.context import open_run
from workbench.pipeline import match, prepare
from workbench.review import (
    DIFFERENT,
    SAME,
    SAME_ORG,
    file_clusters,
    question_order,
    review_queue,
    stored_decision,
)
from workbench.state import load_decisions

pytestmark = pytest.mark.browser

# key, decision: three questions (the second is a person pair: "o" is an answer there only)
PRESSED = (("s", SAME), ("o", SAME_ORG), ("d", DIFFERENT))
CELL_COUNT = "() => window.jupyterapp.shell.currentWidget.content.widgets.length"


def test_review_screen(jupyter_lab, page, tmp_path):
    case = build_review_case(tmp_path / "case")
    state = tmp_path / "state.duckdb"
    # the queue the notebook will show (same code, same data, same order)
    with open_run(case["crm"], definition=case["definition"], state_path=state) as ctx:
        prepared = prepare(ctx, case["raw"], str(case["input"]))
        queue = review_queue(match(ctx, prepared), prepared, case["definition"].thresholds)
    clusters = file_clusters(queue)
    questions = question_order(list(range(len(queue))), clusters)
    n, q = len(queue), len(questions)
    assert q >= 4 and any(p in clusters for p in questions[:3])  # a cluster among the three
    assert queue.iloc[questions[1]]["level"] == "person"
    set_parameters(jupyter_lab["root"] / "04_review.ipynb", input_path=str(case["input"]),
                   sheet=None, crm_path=str(case["crm"]),
                   definition_path=str(case["definition_path"]), state_path=str(state))
    started = run_until_shown(page, jupyter_lab, "04_review.ipynb", ".wb-review-body .wb-pair")
    print(f"\nreview: first pair visible {time.perf_counter() - started:.2f} s after run-all "
          f"({n} pairs; kernel start, read, match included)")
    progress = page.locator(".wb-review-progress")
    expect(progress).to_contain_text(f"0 of {n} pairs decided · question 1 of {q}")
    expect(page.locator(".wb-review-body tr.wb-diff").first).to_be_visible()
    cells = page.evaluate(CELL_COUNT)

    # No text box: point at the screen (ipyevents listens while the pointer is over it) and type.
    page.locator(".wb-review-body").click()
    expect(page.locator(".wb-review.ipyevents-watched")).to_be_visible(timeout=15_000)
    screenshot(page, "review_widget", element=".wb-review", docs=True)
    decided = 0
    for i, (key, _) in enumerate(PRESSED):
        if questions[i] in clusters:  # one view for the whole cluster, one decision for each pair
            expect(page.locator(".wb-review-body .wb-cluster")).to_be_visible()
            screenshot(page, "review_cluster", element=".wb-review")
        page.keyboard.press(key)
        decided += len(clusters.get(questions[i], [questions[i]]))
        expect(progress).to_contain_text(
            f"{decided} of {n} pairs decided · question {i + 2} of {q}", timeout=15_000)
    page.keyboard.press("b")  # back: the third question again, with what was decided
    expect(progress).to_contain_text(f"question 3 of {q}", timeout=15_000)
    expect(page.locator(".wb-review-body")).to_contain_text(
        "decided earlier: Not the same")
    page.locator("button.wb-review-back").click()
    expect(progress).to_contain_text(f"question 2 of {q}", timeout=15_000)
    assert re.search(rf"^{decided} of", progress.inner_text().strip())
    # the keys went to the review, not to JupyterLab (b would insert a cell, o hide the output)
    assert page.evaluate(CELL_COUNT) == cells
    expect(page.locator(".wb-review")).to_be_visible()

    stored = load_decisions(state)
    expected = {}
    for position, (_, decision) in zip(questions, PRESSED, strict=False):
        for member in clusters.get(position, [position]):
            item = queue.iloc[member]
            expected[(item["level"], item["fingerprint"], item["candidate"])] = stored_decision(
                item["level"], decision)
    assert stored == expected

    page.locator("button.wb-review-refresh").click()
    expect(page.locator(".wb-review-changeset")).to_contain_text("insert", timeout=30_000)
    screenshot(page, "review_done", element=".wb-review")


def test_review_opens_fast_on_10000_pairs(jupyter_lab, page, tmp_path):
    """Time from executing the review cell to the first pair in the DOM (printed, not asserted)."""
    case = build_review_case(tmp_path / "case")
    # 04_review.ipynb itself, with a cell that blows the matches up to 10,000 doubtful pairs
    nb = nbformat.read(ROOT / "notebooks" / "04_review.ipynb", as_version=4)
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    review_cell = code[-1]
    nb.cells.insert(review_cell, nbformat.v4.new_code_cell(
        f"import sys\nsys.path.insert(0, {str(ROOT / 'tests')!r})\n"
        "from browser.review_case import many_pairs\n"
        "matches = many_pairs(matches, 10_000)\nprint(f'ready: {len(matches.pairs)} pairs')"))
    name = "review_10000.ipynb"
    nbformat.write(nb, jupyter_lab["root"] / name)
    set_parameters(jupyter_lab["root"] / name, input_path=str(case["input"]), sheet=None,
                   crm_path=str(case["crm"]), definition_path=str(case["definition_path"]),
                   state_path=str(tmp_path / "state.duckdb"))
    review_cell += 1

    open_notebook(page, jupyter_lab, name)
    page.evaluate("""(i) => { const nb = window.jupyterapp.shell.currentWidget.content;
        nb.activeCellIndex = i; window.jupyterapp.commands.execute('notebook:run-all-above'); }""",
                  review_cell)
    expect(page.locator(".jp-OutputArea-output", has_text="ready: 10000 pairs")).to_be_visible(
        timeout=COLD_START_MS)
    page.wait_for_function(KERNEL_READY, arg=name, timeout=COLD_START_MS)

    # Timed in the page: a mutation observer notes when the first pair is in the DOM.
    page.evaluate("""(i) => {
        const nb = window.jupyterapp.shell.currentWidget.content;
        nb.activeCellIndex = i;
        const t0 = performance.now();
        const seen = new MutationObserver(() => {
          if (document.querySelector('.wb-review-body .wb-pair')) {
            seen.disconnect(); window.wbFirstPair = performance.now() - t0;
          }
        });
        seen.observe(document.body, {childList: true, subtree: true});
        window.jupyterapp.commands.execute('notebook:run-cell');
    }""", review_cell)
    page.wait_for_function("() => window.wbFirstPair !== undefined", timeout=60_000)
    seconds = page.evaluate("() => window.wbFirstPair") / 1000
    expect(page.locator(".wb-review-progress")).to_contain_text(
        "0 of 10000 pairs decided · question 1 of")
    kernel = page.locator(".jp-OutputArea-output", has_text="first pair shown after").inner_text()
    print(f"\nreview on 10,000 pairs: first pair in the DOM {seconds:.2f} s after executing the "
          f"review cell (kernel side: {kernel.strip()})")
    # and the keys still answer at this size
    page.locator(".wb-review-body").click()
    page.keyboard.press("k")
    expect(page.locator(".wb-review-progress")).to_contain_text("question 2 of", timeout=15_000)
