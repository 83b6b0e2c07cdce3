"""The review screen in a real JupyterLab: decide three pairs by button and key, go back, check state."""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from browser.conftest import open_and_run, screenshot, set_parameters
from browser.review_case import build_review_case
from workbench.pipeline import match, prepare
from workbench.review import DIFFERENT, SAME, SAME_ORG, review_queue, stored_decision
from workbench.state import load_decisions

pytestmark = pytest.mark.browser


def test_review_screen(jupyter_lab, page, tmp_path):
    case = build_review_case(tmp_path / "case")
    state = tmp_path / "state.duckdb"
    # the queue the notebook will show (same code, same data, same order)
    prepared = prepare(case["raw"], case["definition"])
    queue = review_queue(match(prepared, case["crm"], case["definition"], None), prepared,
                         case["definition"].thresholds)
    n = len(queue)
    assert n >= 4
    set_parameters(jupyter_lab["root"] / "04_review.ipynb", input_path=str(case["input"]),
                   sheet=None, crm_path=str(case["crm"]),
                   definition_path=str(case["definition_path"]), state_path=str(state))
    started = open_and_run(page, jupyter_lab, "04_review.ipynb")

    body = page.locator(".wb-review-body .wb-pair")
    body.wait_for(timeout=60_000)
    print(f"\nreview: first pair visible {time.perf_counter() - started:.2f} s after run-all "
          f"({n} pairs; kernel start, read, match included)")
    progress = page.locator(".wb-review-progress")
    expect(progress).to_contain_text(f"0 of {n} decided · pair 1 of {n}")
    expect(page.locator(".wb-review-body tr.wb-diff").first).to_be_visible()
    screenshot(page, "review_widget", element=".wb-review", docs=True)

    page.locator("button.wb-review-same").click()
    expect(progress).to_contain_text(f"1 of {n} decided · pair 2 of {n}", timeout=15_000)
    keys = page.locator(".wb-review-keys input")
    keys.click()
    keys.press("d")
    expect(progress).to_contain_text(f"2 of {n} decided · pair 3 of {n}", timeout=15_000)
    keys.press("o")
    expect(progress).to_contain_text(f"3 of {n} decided · pair 4 of {n}", timeout=15_000)
    keys.press("b")  # back: the third pair again, with what was decided
    expect(progress).to_contain_text(f"pair 3 of {n}", timeout=15_000)
    expect(page.locator(".wb-review-body")).to_contain_text(
        "decided earlier: Same organisation, other person")
    page.locator("button.wb-review-back").click()
    expect(progress).to_contain_text(f"pair 2 of {n}", timeout=15_000)
    assert re.search(r"^3 of", progress.inner_text().strip())

    stored = load_decisions(state)
    expected = {}
    for i, decision in enumerate((SAME, DIFFERENT, SAME_ORG)):
        item = queue.iloc[i]
        expected[(item["level"], item["fingerprint"], item["candidate"])] = stored_decision(
            item["level"], decision)
    assert stored == expected

    page.locator("button.wb-review-refresh").click()
    expect(page.locator(".wb-review-changeset")).to_contain_text("insert", timeout=30_000)
    screenshot(page, "review_done", element=".wb-review")
