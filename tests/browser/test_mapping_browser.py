"""The mapping screen in a real JupyterLab: change a column, set a fixed value, save by name."""
from __future__ import annotations

import time

import pytest
import yaml
from playwright.sync_api import expect

from browser.conftest import run_until_shown, screenshot, set_parameters
from browser.review_case import build_review_case

pytestmark = pytest.mark.browser


def test_mapping_screen(jupyter_lab, page, tmp_path):
    case = build_review_case(tmp_path / "case")
    defs = tmp_path / "definitions"
    set_parameters(jupyter_lab["root"] / "02_mapping.ipynb", input_path=str(case["input"]),
                   sheet=None, definition_path=None, definitions_dir=str(defs),
                   crm_path=str(case["crm"]), state_path=str(case["state"]), language=None)
    started = run_until_shown(page, jupyter_lab, "02_mapping.ipynb", ".wb-map-col-org_city select")
    print(f"\nmapping: screen shown {time.perf_counter() - started:.1f} s after run-all "
          "(kernel imports, read, profile, suggestion and screen included)")

    city = page.locator(".wb-map-col-org_city select")
    expect(city).to_have_value("Plaats")  # pre-selected by the suggestion
    preview = page.locator(".wb-map-preview-org_city")
    expect(preview).to_contain_text("Utrecht", timeout=15_000)
    expect(page.locator(".wb-map-problems")).to_contain_text("No problems")
    # with the snapshot given, the hit-percentage sliders say how this list's pairs fall
    expect(page.locator(".wb-mapping")).to_contain_text("pairs taken as the same record",
                                                        timeout=15_000)
    screenshot(page, "mapping", element=".wb-mapping", docs=True)  # as the analyst first sees it

    # another column: the preview follows at once
    city.select_option("Bedrijfsnaam")
    expect(preview).to_contain_text("Hoekstra", timeout=15_000)
    expect(preview).not_to_contain_text("Utrecht")

    # a required field taken away is a problem right away, and back again it is gone
    last = page.locator(".wb-map-col-person_last_name select")
    last.select_option("(none)")
    problems = page.locator(".wb-map-problems")
    expect(problems).to_contain_text("Last name is required", timeout=15_000)
    last.select_option("Achternaam")
    expect(problems).not_to_contain_text("Last name is required", timeout=15_000)

    # a fixed value (Land = BE) shows in the preview
    country = page.locator(".wb-map-fixed-org_country input")
    country.fill("BE")
    country.press("Enter")
    expect(page.locator(".wb-map-preview-org_country")).to_contain_text("BE", timeout=15_000)

    # a match option: look up the place from the postcode
    page.locator(".wb-map-opt-lookup-city input").check()

    # save by name and find the file
    name = page.locator(".wb-map-save-name input")
    name.fill("beurs-leads")
    name.press("Tab")
    page.locator("button.wb-map-save").click()
    expect(page.locator(".wb-map-status")).to_contain_text("beurs-leads.yml", timeout=15_000)
    saved = yaml.safe_load((defs / "beurs-leads.yml").read_text(encoding="utf-8"))
    assert saved["name"] == "beurs-leads"
    assert saved["columns"]["org_city"] == "Bedrijfsnaam"
    assert saved["columns"]["person_last_name"] == "Achternaam"
    assert saved["fixed"]["org_country"] == "BE"
    assert saved["standardise"]["lookup_city_from_postcode"] is True

    # load it back after changing the screen
    city.select_option("Plaats")
    page.locator(".wb-map-load-name select").select_option("beurs-leads")
    page.locator("button.wb-map-load").click()
    expect(page.locator(".wb-map-status")).to_contain_text("Loaded", timeout=15_000)
    expect(city).to_have_value("Bedrijfsnaam")
    expect(page.locator(".wb-map-status")).to_contain_text("not mapped: 'Plaats'")
    screenshot(page, "mapping_after_load", element=".wb-mapping")
