"""The duplicate report opened in headless Chromium: histogram, pairs, search and sort work."""
from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from workbench.context import open_run
from workbench.pipeline import build, choose_definition, match, prepare, read_input
from workbench.report import write_duplicate_report

ROOT = Path(__file__).resolve().parents[2]
ART = ROOT / "artifacts"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def report(demo_dir, tmp_path_factory) -> Path:
    raw = read_input(demo_dir / "incoming.xlsx")
    definition = choose_definition(raw)
    # a wide review band, so the report has doubtful pairs to show
    definition = replace(definition, thresholds=replace(definition.thresholds, match=0.99999,
                                                        review=0.0001))
    path = tmp_path_factory.mktemp("report") / "duplicate_report.html"
    with open_run(demo_dir / "crm.duckdb", definition=definition,
                  state_path=path.with_name("state.duckdb")) as ctx:
        prepared = prepare(ctx, raw)
        matches = match(ctx, prepared)
        build(ctx, prepared, matches)
        write_duplicate_report(matches, prepared, ctx.con, definition, path)
    return path


def test_report_in_chromium(report, browser):
    from playwright.sync_api import expect

    # the session's browser (tests/browser/conftest.py): one sync Playwright per process
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(report.as_uri())
        expect(page.locator("h1")).to_have_text("Duplicate report")
        histogram = page.locator("img[alt='score histogram']")
        expect(histogram).to_be_visible()
        assert histogram.evaluate("img => img.naturalWidth") > 100  # the inline PNG decoded
        pairs = page.locator(".pair")
        total = pairs.count()
        assert total > 5 and page.locator(".pair.review").count() > 0
        assert page.locator(".pair .diff").count() > 0  # differing fields highlighted
        # search: a row number narrows the list to the pairs that mention it
        row = pairs.first.get_attribute("data-row")
        page.fill("#search", f"row {row} vs")
        visible = page.locator(".pair:visible")
        assert 0 < visible.count() < total
        assert all(f"row {row} vs" in t for t in visible.all_inner_texts())
        page.fill("#search", "")
        assert page.locator(".pair:visible").count() == total
        # sort: high scores first in every section
        page.select_option("#sort", "score:desc")
        scores = [float(s) for s in page.locator(".pairs").first.locator(".pair")
                  .evaluate_all("els => els.map(e => e.dataset.score)")]
        assert scores == sorted(scores, reverse=True)
        assert all(u.startswith(("file:", "data:")) for u in requests)  # nothing from the internet
        ART.mkdir(exist_ok=True)
        page.evaluate("() => window.scrollTo(0, 0)")
        page.screenshot(path=str(ART / "duplicate_report.png"), full_page=False)
        page.locator(".pair.review").first.screenshot(path=str(ART / "duplicate_report_pair.png"))
    finally:
        context.close()
    if os.environ.get("WORKBENCH_UPDATE_DOCS"):  # the README's pictures, refreshed on request
        for name in ("duplicate_report.png", "duplicate_report_pair.png"):
            shutil.copy(ART / name, ROOT / "docs" / name)
